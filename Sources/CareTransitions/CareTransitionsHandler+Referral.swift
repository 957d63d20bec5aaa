import ConsumerRuntime
import DomainEvents
import Foundation
import GRDB
import Logging

extension CareTransitionsHandler {
  /// `pm_referral_accepted` (003 Event 2): chart check, `cl_care_transitions` row, coordinator
  /// assignment, notifications. A referral that already has a transition is a no-op.
  func acceptReferral(
    _ envelope: ContractEnvelope<ReferralAcceptedPayload>, eventId: String, db: Database,
    context: inout HandlerContext
  ) throws {
    let payload = envelope.payload
    let organization = envelope.metadata.organization_id.lowercasedIfNeeded()
    let referralId = payload.entity_id.lowercasedIfNeeded()
    let patientId = payload.patient_id.lowercasedIfNeeded()
    let now = ISOTime.string(context.now)
    var logger = context.logger
    logger[metadataKey: "referral_id"] = "\(referralId)"

    if let owner = try String.fetchOne(
      db, sql: "SELECT organization_id FROM cl_care_transitions WHERE referral_id = ?",
      arguments: [referralId])
    {
      guard owner == organization else {
        throw HandlerError.permanent(
          "referral \(referralId) already has a care transition in another organization")
      }
      logger.info("referral already has a care transition — skipping")
      return
    }

    // 1. Chart check, on the patient the merges known so far lead to.
    let currentPatient = try currentPatientId(organizationId: organization, patientId: patientId, db: db)
    if let chart = payload.chart_id?.lowercasedIfNeeded() {
      try rememberChart(
        organizationId: organization, patientId: currentPatient, chartId: chart, eventId: eventId, now: now,
        db: db)
    }
    let chartId =
      try payload.chart_id?.lowercasedIfNeeded()
      ?? knownChart(organizationId: organization, patientId: currentPatient, db: db)

    // 2. Coordinator (CL-12 rule).
    let urgent = payload.priority == "urgent" || payload.priority == "emergent"
    let assignment = try CoordinatorAssignment.decide(
      serviceType: payload.service_type, urgent: urgent, rules: configuration.rules(for: organization)
    ) { coordinatorId in
      try Int.fetchOne(
        db,
        sql: """
          SELECT COUNT(*) FROM cl_care_transitions
          WHERE organization_id = ? AND care_coordinator_id = ? AND status = 'active'
          """,
        arguments: [organization, coordinatorId]) ?? 0
    }
    let status = assignment.coordinatorId == nil ? "awaiting_coordinator" : "active"

    // 3. The transition.
    let transitionId = UUID().uuidString.lowercasedIfNeeded()
    try db.execute(
      sql: """
        INSERT INTO cl_care_transitions (
          id, organization_id, referral_id, patient_id, original_patient_id, chart_id, needs_chart_creation,
          referring_provider_id, accepting_provider_id, referral_type, service_type, priority,
          authorization_number, care_coordinator_id, assignment_pool, assignment_reason, status,
          source_event_id, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        transitionId, organization, referralId, patientId, patientId, chartId, chartId == nil ? 1 : 0,
        payload.referring_provider_id.lowercasedIfNeeded(),
        payload.accepting_provider_id.lowercasedIfNeeded(),
        payload.referral_type, payload.service_type, payload.priority, payload.authorization_number,
        assignment.coordinatorId, assignment.pool.rawValue, assignment.reason.rawValue, status, eventId, now,
        now,
      ])
    try Self.merges.followKnownMerges(
      itemId: transitionId, organizationId: organization, patientId: patientId, now: now, db: db)
    logger.info(
      "care transition created",
      metadata: [
        "transition_id": "\(transitionId)", "status": "\(status)",
        "care_coordinator_id": "\(assignment.coordinatorId ?? "none")",
        "assignment_reason": "\(assignment.reason.rawValue)", "needs_chart_creation": "\(chartId == nil)",
      ])

    // 4. Notifications.
    let severity = urgent ? "high" : "info"
    func notify(_ template: String, recipientType: String, recipient: String, severity: String) {
      context.notify(
        OutboxNotification(
          id: "\(eventId):\(template):\(recipient)", organizationId: organization,
          recipientType: recipientType,
          recipientId: recipient, severity: severity, template: template, eventId: eventId,
          entityId: transitionId, entityType: "care_transition"))
    }
    notify(
      "referral_accepted_transition", recipientType: "profile",
      recipient: payload.accepting_provider_id.lowercasedIfNeeded(),
      severity: severity)
    if let coordinator = assignment.coordinatorId {
      notify("care_transition_assigned", recipientType: "profile", recipient: coordinator, severity: severity)
    } else {
      notify(
        "care_transition_awaiting_coordinator", recipientType: "role",
        recipient: configuration.coordinationLeadRole, severity: urgent ? "high" : "warning")
    }
    if chartId == nil {
      notify(
        "chart_creation_required", recipientType: "role", recipient: configuration.chartCreationRole,
        severity: urgent ? "high" : "warning")
    }
  }

  /// Records patient → chart and clears the chart-creation flag of that patient's transitions.
  func rememberChart(
    organizationId: String, patientId: String, chartId: String, eventId: String, now: String, db: Database
  ) throws {
    try db.execute(
      sql: """
        INSERT INTO cl_patient_charts_seen (organization_id, patient_id, chart_id, learnt_from_event_id, updated_at)
        VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (organization_id, patient_id) DO UPDATE SET
          chart_id = excluded.chart_id, learnt_from_event_id = excluded.learnt_from_event_id,
          updated_at = excluded.updated_at
        """,
      arguments: [organizationId, patientId, chartId, eventId, now])
    try db.execute(
      sql: """
        UPDATE cl_care_transitions SET chart_id = ?, needs_chart_creation = 0, updated_at = ?
        WHERE organization_id = ? AND patient_id = ? AND needs_chart_creation = 1
        """,
      arguments: [chartId, now, organizationId, patientId])
  }

  /// The chart last seen for a patient, if any.
  func knownChart(organizationId: String, patientId: String, db: Database) throws -> String? {
    try String.fetchOne(
      db, sql: "SELECT chart_id FROM cl_patient_charts_seen WHERE organization_id = ? AND patient_id = ?",
      arguments: [organizationId, patientId])
  }
}
