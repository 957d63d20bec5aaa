import ChargeCapture
import ConsumerRuntime
import Foundation
import GRDB
import XCTest

/// charge-capture's schema: the indexes its per-event lookups rely on, in a new database and in
/// one created by the first migration and opened again after an upgrade.
final class ChargeCaptureSchemaTests: XCTestCase {
  private var directory: URL!

  override func setUpWithError() throws {
    directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "charge-capture-schema-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(at: directory)
  }

  /// The lookups of the latest suggestion for a note or a crisis episode (one per billable event).
  private static let latestSuggestionQueries = [
    """
    SELECT id FROM pm_charge_suggestions WHERE organization_id = 'o' AND note_id = 'n'
    ORDER BY created_at DESC, rowid DESC LIMIT 1
    """,
    """
    SELECT id FROM pm_charge_suggestions WHERE organization_id = 'o' AND crisis_episode_id = 'c'
    ORDER BY created_at DESC, rowid DESC LIMIT 1
    """,
  ]

  func testTheLatestSuggestionIsReadFromAnIndexInOrderWithoutASort() throws {
    let database = try ServiceDatabase(
      path: directory.appendingPathComponent("new.sqlite").path, handler: ChargeCaptureHandler())
    try database.pool.read { db in try assertLatestSuggestionPlans(db) }
  }

  func testADatabaseOfTheFirstSchemaGetsTheOrderedIndexesAndKeepsItsRows() throws {
    let path = directory.appendingPathComponent("v1.sqlite").path
    do {
      let queue = try DatabaseQueue(path: path)
      var migrator = DatabaseMigrator()
      ChargeCaptureSchema.registerMigrations(&migrator)
      try migrator.migrate(queue, upTo: "charge-capture.v1")
      try queue.write { db in
        for (id, createdAt) in [("s1", "2026-01-01T00:00:00Z"), ("s2", "2026-01-02T00:00:00Z")] {
          try db.execute(
            sql: """
              INSERT INTO pm_charge_suggestions (id, organization_id, source_event_id, source_event_name,
                chart_id, note_id, rendering_provider_id, service_date, billing_codes, units, units_basis,
                units_per_code, status, high_risk_codes, created_at)
              VALUES (?, 'o', ?, 'progress_note_signed', 'chart', 'n', 'provider', '2026-01-01',
                '["90837"]', 1, 'per_service', '[1]', 'auto_posted', '[]', ?)
              """, arguments: [id, "event-\(id)", createdAt])
        }
      }
      XCTAssertEqual(
        try queue.read { db in try Self.indexColumns(db, "pm_charge_suggestions_note") },
        ["organization_id", "note_id"], "the first schema, before the upgrade")
    }

    let database = try ServiceDatabase(path: path, handler: ChargeCaptureHandler())
    try database.pool.read { db in
      try assertLatestSuggestionPlans(db)
      let latest = try String.fetchOne(
        db,
        sql: """
          SELECT id FROM pm_charge_suggestions WHERE organization_id = 'o' AND note_id = 'n'
          ORDER BY created_at DESC, rowid DESC LIMIT 1
          """)
      XCTAssertEqual(latest, "s2")
    }
  }

  private func assertLatestSuggestionPlans(_ db: Database, file: StaticString = #filePath, line: UInt = #line)
    throws
  {
    XCTAssertEqual(
      try Self.indexColumns(db, "pm_charge_suggestions_note"), ["organization_id", "note_id", "created_at"],
      file: file, line: line)
    XCTAssertEqual(
      try Self.indexColumns(db, "pm_charge_suggestions_crisis"),
      ["organization_id", "crisis_episode_id", "created_at"], file: file, line: line)
    for query in Self.latestSuggestionQueries {
      let plan = try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN \(query)").map {
        $0["detail"] as String? ?? ""
      }
      XCTAssertTrue(
        plan.contains { $0.contains("USING INDEX pm_charge_suggestions_") }, "\(plan)", file: file, line: line
      )
      XCTAssertFalse(plan.contains { $0.contains("TEMP B-TREE") }, "sorts: \(plan)", file: file, line: line)
    }
  }

  private static func indexColumns(_ db: Database, _ index: String) throws -> [String] {
    try Row.fetchAll(db, sql: "SELECT name FROM pragma_index_info(?) ORDER BY seqno", arguments: [index])
      .map { $0["name"] as String? ?? "" }
  }
}
