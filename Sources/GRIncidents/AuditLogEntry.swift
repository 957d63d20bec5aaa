import ConsumerRuntime
import DomainEvents
import Foundation
import GRDB

/// A row of `pf_audit_logs` (PF-04): one automation execution, written by the system actor.
public struct AuditLogEntry: Sendable, Equatable {
  /// Row id (UUID).
  public var id: String
  /// Tenant (lowercased UUID).
  public var organizationId: String
  /// Always `SystemActor.profileID` for GR automation.
  public var userId: String
  /// e.g. `fw.restraint_incident_automation.executed`, `gr.restraint_incident.closed`.
  public var action: String
  /// e.g. `restraint_seclusion_event`.
  public var entityType: String
  /// The entity's id (lowercased UUID).
  public var entityId: String
  /// Execution time (ISO 8601 UTC).
  public var timestamp: String
  /// The `new_values` JSON text.
  public var newValues: String

  /// Creates a value.
  public init(
    id: String, organizationId: String, userId: String, action: String, entityType: String, entityId: String,
    timestamp: String, newValues: String
  ) {
    self.id = id
    self.organizationId = organizationId
    self.userId = userId
    self.action = action
    self.entityType = entityType
    self.entityId = entityId
    self.timestamp = timestamp
    self.newValues = newValues
  }

  /// The audit rows of one entity, in the order written.
  public static func fetchAll(_ db: Database, entityType: String, entityId: String) throws -> [AuditLogEntry]
  {
    try Row.fetchAll(
      db, sql: "SELECT * FROM pf_audit_logs WHERE entity_type = ? AND entity_id = ? ORDER BY rowid",
      arguments: [entityType, entityId.lowercased()]
    ).map { row in
      try AuditLogEntry(
        id: row.decode(forColumn: "id"), organizationId: row.decode(forColumn: "organization_id"),
        userId: row.decode(forColumn: "user_id"), action: row.decode(forColumn: "action"),
        entityType: row.decode(forColumn: "entity_type"), entityId: row.decode(forColumn: "entity_id"),
        timestamp: row.decode(forColumn: "timestamp"), newValues: row.decode(forColumn: "new_values"))
    }
  }

  /// Appends a system-actor row whose `new_values` is `values` as sorted-key JSON.
  static func append<Values: Encodable>(
    _ db: Database, organizationId: String, action: String, entityType: String, entityId: String,
    at time: Date,
    values: Values
  ) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let json = String(decoding: try encoder.encode(values), as: UTF8.self)
    try db.execute(
      sql: """
        INSERT INTO pf_audit_logs (id, organization_id, user_id, action, entity_type, entity_id, timestamp, new_values)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        UUID().uuidString.lowercased(), organizationId, SystemActor.profileID, action, entityType, entityId,
        ISOTime.string(time), json,
      ])
  }
}
