import GRDB

/// A row of `pm_charges`: one posted charge line (one billing code of an auto-posted suggestion).
public struct PostedCharge: Sendable, Equatable {
  /// Charge id (UUID).
  public var id: String
  /// Tenant (UUID, lowercased).
  public var organizationId: String
  /// The suggestion it was posted from.
  public var suggestionId: String
  /// 1-based position of the code in the suggestion's `billingCodes`.
  public var lineNumber: Int
  /// pm_encounters.id.
  public var encounterId: String?
  /// The CPT/HCPCS code of this line.
  public var billingCode: String
  /// Modifiers of the service, or `nil`.
  public var modifiers: [String]?
  /// Billed units (≥ 1).
  public var units: Int
  /// Rendering clinician.
  public var renderingProviderId: String
  /// ISO date of service.
  public var serviceDate: String
  /// Posting time (ISO 8601 UTC).
  public var postedAt: String

  /// Creates a value.
  public init(
    id: String, organizationId: String, suggestionId: String, lineNumber: Int, encounterId: String?,
    billingCode: String, modifiers: [String]?, units: Int, renderingProviderId: String, serviceDate: String,
    postedAt: String
  ) {
    self.id = id
    self.organizationId = organizationId
    self.suggestionId = suggestionId
    self.lineNumber = lineNumber
    self.encounterId = encounterId
    self.billingCode = billingCode
    self.modifiers = modifiers
    self.units = units
    self.renderingProviderId = renderingProviderId
    self.serviceDate = serviceDate
    self.postedAt = postedAt
  }

  /// The lines posted from `suggestionId`, in line order.
  public static func fetchAll(_ db: Database, suggestionId: String) throws -> [PostedCharge] {
    try Row.fetchAll(
      db.cachedStatement(sql: "SELECT * FROM pm_charges WHERE suggestion_id = ? ORDER BY line_number"),
      arguments: [suggestionId]
    ).map(PostedCharge.init(row:))
  }

  /// Decodes a `pm_charges` row.
  init(row: Row) throws {
    try self.init(
      id: row.decode(forColumn: "id"), organizationId: row.decode(forColumn: "organization_id"),
      suggestionId: row.decode(forColumn: "suggestion_id"),
      lineNumber: row.decode(forColumn: "line_number"), encounterId: row.decode(forColumn: "encounter_id"),
      billingCode: row.decode(forColumn: "billing_code"),
      modifiers: try JSONText.decode(row.decode(String?.self, forColumn: "modifiers"), as: [String].self),
      units: row.decode(forColumn: "units"),
      renderingProviderId: row.decode(forColumn: "rendering_provider_id"),
      serviceDate: row.decode(forColumn: "service_date"),
      postedAt: row.decode(forColumn: "posted_at"))
  }

  /// Inserts the row.
  func insert(_ db: Database) throws {
    try db.executeDirect(
      sql: """
        INSERT INTO pm_charges (
          id, organization_id, suggestion_id, line_number, encounter_id, billing_code, modifiers, units,
          rendering_provider_id, service_date, posted_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
      id, organizationId, suggestionId, lineNumber, encounterId, billingCode, modifiers.map(JSONText.encode),
      units, renderingProviderId, serviceDate, postedAt)
  }
}
