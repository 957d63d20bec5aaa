import GRDB

/// A row of `pm_charge_suggestions`: what PM-07 proposes to bill for one signed note or one
/// dispositioned crisis episode. Identifiers and billing metadata only (no PHI).
public struct ChargeSuggestion: Sendable, Equatable {
  /// Suggestion id (UUID).
  public var id: String
  /// Tenant (UUID, lowercased).
  public var organizationId: String
  /// The event that created it (`metadata.event_id`); unique.
  public var sourceEventId: String
  /// `progress_note_signed` or `cl_crisis_episode_resolved`.
  public var sourceEventName: String
  /// pm_encounters.id; `nil` only for a crisis suggestion without a linked encounter.
  public var encounterId: String?
  /// cl_patient_charts.id.
  public var chartId: String
  /// cl_progress_notes.id for a note suggestion, else `nil`.
  public var noteId: String?
  /// cl_crisis_episodes.id for a crisis suggestion (the audit link to the episode), else `nil`.
  public var crisisEpisodeId: String?
  /// pf_profiles.id of the rendering clinician.
  public var renderingProviderId: String
  /// ISO date of service.
  public var serviceDate: String
  /// CPT/HCPCS codes, normalized, in payload order.
  public var billingCodes: [String]
  /// Modifier codes, or `nil` when the event carried none.
  public var modifiers: [String]?
  /// Session duration in minutes, when known.
  public var durationMinutes: Int?
  /// Units of the primary (first) code.
  public var units: Int
  /// How `units` was obtained.
  public var unitsBasis: UnitsBasis
  /// Units of every code, aligned with `billingCodes` (one posted line each).
  public var unitsPerCode: [Int]
  /// Note type (`individual`, `group`, `family`, `crisis`) for note suggestions, else `nil`.
  public var noteType: String?
  /// `pending_review` or `auto_posted`.
  public var status: String
  /// Codes that hit the high-risk list in effect.
  public var highRiskCodes: [String]
  /// Why the suggestion is held; `nil` when auto-posted.
  public var reviewReasons: [ManualReviewReason]?
  /// The earlier suggestion of the same note or episode, when this one came from a later event.
  public var supersedesSuggestionId: String?
  /// Creation time (ISO 8601 UTC).
  public var createdAt: String

  /// Creates a value.
  public init(
    id: String, organizationId: String, sourceEventId: String, sourceEventName: String, encounterId: String?,
    chartId: String, noteId: String?, crisisEpisodeId: String?, renderingProviderId: String,
    serviceDate: String, billingCodes: [String], modifiers: [String]?, durationMinutes: Int?, units: Int,
    unitsBasis: UnitsBasis, unitsPerCode: [Int], noteType: String?, status: String, highRiskCodes: [String],
    reviewReasons: [ManualReviewReason]?, supersedesSuggestionId: String?, createdAt: String
  ) {
    self.id = id
    self.organizationId = organizationId
    self.sourceEventId = sourceEventId
    self.sourceEventName = sourceEventName
    self.encounterId = encounterId
    self.chartId = chartId
    self.noteId = noteId
    self.crisisEpisodeId = crisisEpisodeId
    self.renderingProviderId = renderingProviderId
    self.serviceDate = serviceDate
    self.billingCodes = billingCodes
    self.modifiers = modifiers
    self.durationMinutes = durationMinutes
    self.units = units
    self.unitsBasis = unitsBasis
    self.unitsPerCode = unitsPerCode
    self.noteType = noteType
    self.status = status
    self.highRiskCodes = highRiskCodes
    self.reviewReasons = reviewReasons
    self.supersedesSuggestionId = supersedesSuggestionId
    self.createdAt = createdAt
  }

  /// The suggestion created by event `sourceEventId`, if any.
  public static func fetchOne(_ db: Database, sourceEventId: String) throws -> ChargeSuggestion? {
    try Row.fetchOne(
      db.cachedStatement(sql: "SELECT * FROM pm_charge_suggestions WHERE source_event_id = ?"),
      arguments: [sourceEventId]
    ).map(ChargeSuggestion.init(row:))
  }

  /// Whether event `sourceEventId` already created a suggestion (the hot-path check: no row decoding).
  public static func exists(_ db: Database, sourceEventId: String) throws -> Bool {
    try db.existsDirect(sql: "SELECT 1 FROM pm_charge_suggestions WHERE source_event_id = ?", sourceEventId)
  }

  /// Every suggestion of `organizationId`, oldest first.
  public static func fetchAll(_ db: Database, organizationId: String) throws -> [ChargeSuggestion] {
    try Row.fetchAll(
      db.cachedStatement(
        sql: "SELECT * FROM pm_charge_suggestions WHERE organization_id = ? ORDER BY created_at, rowid"),
      arguments: [organizationId.lowercased()]
    ).map(ChargeSuggestion.init(row:))
  }

  /// The most recent suggestion for the same note (`noteId`) or crisis episode (`crisisEpisodeId`).
  static func latest(
    _ db: Database, organizationId: String, noteId: String?, crisisEpisodeId: String?
  ) throws -> String? {
    if let noteId {
      return try db.fetchTextDirect(
        sql: """
          SELECT id FROM pm_charge_suggestions WHERE organization_id = ? AND note_id = ?
          ORDER BY created_at DESC, rowid DESC LIMIT 1
          """, organizationId, noteId)
    }
    guard let crisisEpisodeId else { return nil }
    return try db.fetchTextDirect(
      sql: """
        SELECT id FROM pm_charge_suggestions WHERE organization_id = ? AND crisis_episode_id = ?
        ORDER BY created_at DESC, rowid DESC LIMIT 1
        """, organizationId, crisisEpisodeId)
  }

  /// Decodes a `pm_charge_suggestions` row.
  init(row: Row) throws {
    guard let basis = UnitsBasis(rawValue: try row.decode(String.self, forColumn: "units_basis")) else {
      throw DatabaseError(
        resultCode: .SQLITE_MISMATCH, message: "pm_charge_suggestions.units_basis is not known")
    }
    let reasonTexts = try JSONText.decode(
      row.decode(String?.self, forColumn: "review_reasons"), as: [String].self)
    try self.init(
      id: row.decode(forColumn: "id"), organizationId: row.decode(forColumn: "organization_id"),
      sourceEventId: row.decode(forColumn: "source_event_id"),
      sourceEventName: row.decode(forColumn: "source_event_name"),
      encounterId: row.decode(forColumn: "encounter_id"), chartId: row.decode(forColumn: "chart_id"),
      noteId: row.decode(forColumn: "note_id"), crisisEpisodeId: row.decode(forColumn: "crisis_episode_id"),
      renderingProviderId: row.decode(forColumn: "rendering_provider_id"),
      serviceDate: row.decode(forColumn: "service_date"),
      billingCodes: try JSONText.decode(
        row.decode(String?.self, forColumn: "billing_codes"), as: [String].self) ?? [],
      modifiers: try JSONText.decode(row.decode(String?.self, forColumn: "modifiers"), as: [String].self),
      durationMinutes: row.decode(forColumn: "duration_minutes"), units: row.decode(forColumn: "units"),
      unitsBasis: basis,
      unitsPerCode: try JSONText.decode(row.decode(String?.self, forColumn: "units_per_code"), as: [Int].self)
        ?? [],
      noteType: row.decode(forColumn: "note_type"), status: row.decode(forColumn: "status"),
      highRiskCodes: try JSONText.decode(
        row.decode(String?.self, forColumn: "high_risk_codes"), as: [String].self) ?? [],
      reviewReasons: reasonTexts.map { $0.compactMap(ManualReviewReason.init(rawValue:)) },
      supersedesSuggestionId: row.decode(forColumn: "supersedes_suggestion_id"),
      createdAt: row.decode(forColumn: "created_at"))
  }

  /// Inserts the row.
  func insert(_ db: Database) throws {
    try db.executeDirect(
      sql: """
        INSERT INTO pm_charge_suggestions (
          id, organization_id, source_event_id, source_event_name, encounter_id, chart_id, note_id,
          crisis_episode_id, rendering_provider_id, service_date, billing_codes, modifiers, duration_minutes,
          units, units_basis, units_per_code, note_type, status, high_risk_codes, review_reasons,
          supersedes_suggestion_id, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
      id, organizationId, sourceEventId, sourceEventName, encounterId, chartId, noteId, crisisEpisodeId,
      renderingProviderId, serviceDate, JSONText.encode(billingCodes), modifiers.map(JSONText.encode),
      durationMinutes, units, unitsBasis.rawValue, JSONText.encode(unitsPerCode), noteType, status,
      JSONText.encode(highRiskCodes), reviewReasons.map { JSONText.encode($0.map(\.rawValue)) },
      supersedesSuggestionId, createdAt)
  }
}
