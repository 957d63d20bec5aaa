import ConsumerRuntime
import DomainEvents
import Foundation
import GRDB
import Logging

extension ChargeCaptureHandler {
  /// Seed 003 Event 1: cosignature check, idempotency on the event id, encounter check, then the
  /// suggestion and the guard.
  func applyProgressNote(
    _ envelope: ContractEnvelope<ProgressNoteSignedPayload>, db: Database, context: inout HandlerContext
  ) throws {
    let payload = envelope.payload
    let noteId = payload.entity_id.lowercasedIfNeeded()
    if payload.requires_cosignature && !payload.cosigned {
      throw HandlerError.permanent(
        "progress note \(noteId) requires a cosignature that is not complete: documentation incomplete, not billable"
      )
    }
    let organization = envelope.metadata.organization_id.lowercasedIfNeeded()
    let eventId = envelope.metadata.event_id
    if try ChargeSuggestion.exists(db, sourceEventId: eventId) {
      context.logger.info("charge suggestion already recorded for this event — skipping")
      return
    }
    let encounterId = payload.encounter_id.lowercasedIfNeeded()
    try requireEncounter(encounterId, organizationId: organization, db: db)
    let draft = SuggestionDraft(
      organizationId: organization, sourceEventId: eventId, sourceEventName: envelope.event,
      encounterId: encounterId, chartId: payload.chart_id.lowercasedIfNeeded(), noteId: noteId,
      crisisEpisodeId: nil,
      renderingProviderId: payload.rendering_provider_id.lowercasedIfNeeded(),
      serviceDate: payload.service_date,
      billingCodes: try normalizedCodes(payload.billing_codes),
      modifiers: normalizedModifiers(payload.modifiers),
      durationMinutes: payload.duration_minutes, noteType: payload.note_type)
    try record(draft, db: db, context: &context)
  }

  /// Seed 003 Event 4: a crisis suggestion linked to the episode (`crisis_episode_id`), units from
  /// the duration for time-based codes, the same guard. A linked encounter must exist; a
  /// suggestion without an encounter is never auto-posted.
  func applyCrisisResolved(
    _ envelope: ContractEnvelope<CrisisEpisodeResolvedPayload>, db: Database, context: inout HandlerContext
  ) throws {
    let payload = envelope.payload
    let organization = envelope.metadata.organization_id.lowercasedIfNeeded()
    let eventId = envelope.metadata.event_id
    if try ChargeSuggestion.exists(db, sourceEventId: eventId) {
      context.logger.info("charge suggestion already recorded for this event — skipping")
      return
    }
    let encounterId = payload.encounter_id?.lowercasedIfNeeded()
    if let encounterId {
      try requireEncounter(encounterId, organizationId: organization, db: db)
    }
    let draft = SuggestionDraft(
      organizationId: organization, sourceEventId: eventId, sourceEventName: envelope.event,
      encounterId: encounterId, chartId: payload.chart_id.lowercasedIfNeeded(), noteId: nil,
      crisisEpisodeId: payload.entity_id.lowercasedIfNeeded(),
      renderingProviderId: payload.rendering_provider_id.lowercasedIfNeeded(),
      serviceDate: payload.service_date, billingCodes: try normalizedCodes([payload.billing_code]),
      modifiers: nil,
      durationMinutes: payload.duration_minutes, noteType: nil)
    try record(draft, db: db, context: &context)
  }

  /// Units, guard, suggestion row, then either the posted lines or the billing notification.
  func record(_ draft: SuggestionDraft, db: Database, context: inout HandlerContext) throws {
    let rules = rules(for: draft.organizationId)
    let units = draft.billingCodes.map {
      UnitDerivation.derive(code: $0, durationMinutes: draft.durationMinutes, rules: rules)
    }
    var decision = HighRiskCodeGuard.evaluate(billingCodes: draft.billingCodes, rules: rules)
    if draft.encounterId == nil { decision = decision.holding(.noEncounter) }
    let previous = try ChargeSuggestion.latest(
      db, organizationId: draft.organizationId, noteId: draft.noteId, crisisEpisodeId: draft.crisisEpisodeId)
    if previous != nil { decision = decision.holding(.alreadySuggested) }

    let now = ISOTime.string(context.now)
    let primary = units.first ?? UnitDerivation(units: 1, basis: .perService)
    let suggestion = ChargeSuggestion(
      id: TimeOrderedUUID.make(), organizationId: draft.organizationId,
      sourceEventId: draft.sourceEventId,
      sourceEventName: draft.sourceEventName, encounterId: draft.encounterId, chartId: draft.chartId,
      noteId: draft.noteId, crisisEpisodeId: draft.crisisEpisodeId,
      renderingProviderId: draft.renderingProviderId,
      serviceDate: draft.serviceDate, billingCodes: draft.billingCodes, modifiers: draft.modifiers,
      durationMinutes: draft.durationMinutes, units: primary.units, unitsBasis: primary.basis,
      unitsPerCode: units.map(\.units), noteType: draft.noteType, status: decision.status,
      highRiskCodes: decision.highRiskCodes, reviewReasons: decision.autoPost ? nil : decision.reviewReasons,
      supersedesSuggestionId: previous, createdAt: now)
    try suggestion.insert(db)

    if decision.autoPost {
      for (index, code) in draft.billingCodes.enumerated() {
        try PostedCharge(
          id: TimeOrderedUUID.make(), organizationId: draft.organizationId,
          suggestionId: suggestion.id,
          lineNumber: index + 1, encounterId: draft.encounterId, billingCode: code,
          modifiers: draft.modifiers,
          units: units[index].units, renderingProviderId: draft.renderingProviderId,
          serviceDate: draft.serviceDate,
          postedAt: now
        ).insert(db)
      }
    } else {
      context.notify(
        OutboxNotification(
          id: "\(draft.sourceEventId):\(Self.manualReviewTemplate):\(Self.billingRole)",
          organizationId: draft.organizationId, recipientType: "role", recipientId: Self.billingRole,
          severity: decision.notificationSeverity, template: Self.manualReviewTemplate,
          eventId: draft.sourceEventId, entityId: suggestion.id, entityType: "charge_suggestion"))
    }
    context.logger.info(
      "charge suggestion recorded",
      metadata: [
        "suggestion_id": "\(suggestion.id)", "status": "\(suggestion.status)",
        "charge_lines": "\(decision.autoPost ? draft.billingCodes.count : 0)",
      ])
  }

  /// Normalized billing codes; an empty list or an empty code is a permanent error (nothing to bill).
  func normalizedCodes(_ codes: [String]) throws -> [String] {
    let normalized = codes.map(BillingCode.normalized)
    guard !normalized.isEmpty, !normalized.contains("") else {
      throw HandlerError.permanent("billing_codes must contain at least one non-empty code")
    }
    return normalized
  }

  /// Normalized modifiers; an absent or empty list is stored as NULL.
  func normalizedModifiers(_ modifiers: [String]?) -> [String]? {
    let normalized = (modifiers ?? []).map(BillingCode.normalized).filter { !$0.isEmpty }
    return normalized.isEmpty ? nil : normalized
  }
}
