import GRDB
import Logging

/// The merge bookkeeping that care-transitions and lead-reconciliation share, over each service's
/// own tables: rows that belong to a patient (transitions, links) follow a patient merge to the
/// survivor, every move is recorded, and an unmerge moves back what a merge moved.
///
/// The tables (names are constants of the services, never input):
/// - `applications`: one row per applied merge (`merge_key`, `organization_id`, `survivor_patient_id`,
///   `merged_patient_id`, `applied_at`, `repointed_count`, `unmerged_at`, `unmerged_by_event_id`);
/// - `repoints`: one row per move (`id`, `merge_key`, `organization_id`, `<itemColumn>`,
///   `from_patient_id`, `to_patient_id`, `repointed_at`, `restored_at`, `restored_by_event_id`);
/// - `items`: the rows that move (`id`, `organization_id`, `patient_id`, `updated_at`).
public struct MergeRepointing: Sendable {
  /// How many merges are followed at most (a guard against a cycle in bad data).
  public static let maximumMergeChain = 16

  let applications: String
  let repoints: String
  let items: String
  let itemColumn: String
  let itemOrder: String
  let itemNoun: String

  /// - Parameters:
  ///   - itemColumn: the column of `repoints` naming the moved item (`transition_id`, `link_id`).
  ///   - itemOrder: the `ORDER BY` of the items of a patient (moves are recorded in that order).
  ///   - itemNoun: what an item is called in log lines (`transition`, `link`).
  public init(
    applications: String, repoints: String, items: String, itemColumn: String, itemOrder: String,
    itemNoun: String
  ) {
    self.applications = applications
    self.repoints = repoints
    self.items = items
    self.itemColumn = itemColumn
    self.itemOrder = itemOrder
    self.itemNoun = itemNoun
  }

  /// Whether `merge` still has to be applied. False (logged) when its merge key was applied
  /// before, even under another event id. Throws a permanent error when that key was applied in
  /// another organization, or when the merge names the same patient twice.
  public func isPending(_ merge: PatientMergeRequest, db: Database, logger: Logger) throws -> Bool {
    if let owner = try String.fetchOne(
      db, sql: "SELECT organization_id FROM \(applications) WHERE merge_key = ?", arguments: [merge.mergeKey])
    {
      guard owner == merge.organizationId else {
        throw HandlerError.permanent("merge \(merge.mergeKey) was already applied in another organization")
      }
      logger.info("merge already applied — skipping")
      return false
    }
    guard merge.survivorPatientId != merge.mergedPatientId else {
      throw HandlerError.permanent("merge \(merge.mergeKey) names the same patient as survivor and merged")
    }
    return true
  }

  /// Moves every item of the merged patient to the survivor (after the service inserted the
  /// merge's `applications` row) and records the count; returns it.
  public func repointAll(_ merge: PatientMergeRequest, now: String, db: Database) throws -> Int {
    let ids = try String.fetchAll(
      db,
      sql: "SELECT id FROM \(items) WHERE organization_id = ? AND patient_id = ? ORDER BY \(itemOrder)",
      arguments: [merge.organizationId, merge.mergedPatientId])
    for id in ids {
      try repoint(
        itemId: id, organizationId: merge.organizationId, mergeKey: merge.mergeKey,
        from: merge.mergedPatientId,
        to: merge.survivorPatientId, now: now, db: db)
    }
    try db.execute(
      sql: "UPDATE \(applications) SET repointed_count = ? WHERE merge_key = ?",
      arguments: [ids.count, merge.mergeKey])
    return ids.count
  }

  /// Moves one item to another patient and records the move.
  public func repoint(
    itemId: String, organizationId: String, mergeKey: String, from: String, to: String, now: String,
    db: Database
  ) throws {
    try db.execute(
      sql: """
        INSERT INTO \(repoints) (
          merge_key, organization_id, \(itemColumn), from_patient_id, to_patient_id, repointed_at)
        VALUES (?, ?, ?, ?, ?, ?)
        """,
      arguments: [mergeKey, organizationId, itemId, from, to, now])
    try db.execute(
      sql: "UPDATE \(items) SET patient_id = ?, updated_at = ? WHERE id = ? AND organization_id = ?",
      arguments: [to, now, itemId, organizationId])
  }

  /// The merge (not undone) that deactivated `mergedPatientId`, if any.
  public func activeMerge(organizationId: String, mergedPatientId: String, db: Database) throws -> (
    mergeKey: String, survivor: String
  )? {
    let row = try Row.fetchOne(
      db,
      sql: """
        SELECT merge_key, survivor_patient_id FROM \(applications)
        WHERE organization_id = ? AND merged_patient_id = ? AND unmerged_at IS NULL
        ORDER BY applied_at DESC, rowid DESC LIMIT 1
        """,
      arguments: [organizationId, mergedPatientId])
    guard let row, let key: String = row["merge_key"], let survivor: String = row["survivor_patient_id"]
    else {
      return nil
    }
    return (mergeKey: key, survivor: survivor)
  }

  /// An item created for a patient that an earlier merge already deactivated (events from
  /// different streams may arrive out of order) is moved as that merge would have moved it, with a
  /// repoint row, so that an unmerge restores it too.
  public func followKnownMerges(
    itemId: String, organizationId: String, patientId: String, now: String, db: Database
  ) throws {
    var current = patientId
    var visited: Set<String> = [patientId]
    for _ in 0..<Self.maximumMergeChain {
      guard let merge = try activeMerge(organizationId: organizationId, mergedPatientId: current, db: db),
        visited.insert(merge.survivor).inserted
      else { return }
      try repoint(
        itemId: itemId, organizationId: organizationId, mergeKey: merge.mergeKey, from: current,
        to: merge.survivor, now: now, db: db)
      try db.execute(
        sql: "UPDATE \(applications) SET repointed_count = repointed_count + 1 WHERE merge_key = ?",
        arguments: [merge.mergeKey])
      current = merge.survivor
    }
  }

  /// `REGISTRATION.patient.unmerged`: undoes every merge (not undone yet) of `sourcePatientId`
  /// into `survivorPatientId`, oldest first; logs what it did. `afterEach` runs after each merge
  /// is undone, with its `applications` row (`merge_key` plus `extraColumns`), for what a service
  /// keeps beyond the moved items. Repeating the unmerge is a no-op.
  public func undoAll(
    organizationId: String, survivorPatientId: String, sourcePatientId: String, eventId: String, now: String,
    extraColumns: [String] = [], db: Database, logger: Logger, afterEach: (Row) throws -> Void = { _ in }
  ) throws {
    let columns = (["merge_key"] + extraColumns).joined(separator: ", ")
    let merges = try Row.fetchAll(
      db,
      sql: """
        SELECT \(columns) FROM \(applications)
        WHERE organization_id = ? AND survivor_patient_id = ? AND merged_patient_id = ? AND unmerged_at IS NULL
        ORDER BY applied_at, rowid
        """,
      arguments: [organizationId, survivorPatientId, sourcePatientId])
    if merges.isEmpty {
      logger.info("no applied merge for this unmerge — nothing to restore")
      return
    }
    var restored = 0
    var leftInPlace = 0
    for merge in merges {
      let counts = try undo(
        mergeKey: merge["merge_key"] ?? "", organizationId: organizationId,
        survivorPatientId: survivorPatientId,
        sourcePatientId: sourcePatientId, eventId: eventId, now: now, db: db, logger: logger)
      restored += counts.restored
      leftInPlace += counts.leftInPlace
      try afterEach(merge)
    }
    logger.info("unmerge applied", metadata: ["restored": "\(restored)", "left_in_place": "\(leftInPlace)"])
  }

  /// Undoes one merge: each item it moved goes back to `sourcePatientId` unless a later merge
  /// moved it on (then it stays, logged), and the merge is marked undone. Returns the counts.
  private func undo(
    mergeKey: String, organizationId: String, survivorPatientId: String, sourcePatientId: String,
    eventId: String, now: String, db: Database, logger: Logger
  ) throws -> (restored: Int, leftInPlace: Int) {
    var restored = 0
    var leftInPlace = 0
    let moves = try Row.fetchAll(
      db,
      sql: """
        SELECT id, \(itemColumn) FROM \(repoints)
        WHERE merge_key = ? AND organization_id = ? AND restored_at IS NULL ORDER BY id
        """,
      arguments: [mergeKey, organizationId])
    for move in moves {
      let repointId: Int64 = move["id"] ?? 0
      let itemId: String = move[itemColumn] ?? ""
      try db.execute(
        sql:
          "UPDATE \(items) SET patient_id = ?, updated_at = ? WHERE id = ? AND organization_id = ? AND patient_id = ?",
        arguments: [sourcePatientId, now, itemId, organizationId, survivorPatientId])
      if db.changesCount == 1 {
        try db.execute(
          sql: "UPDATE \(repoints) SET restored_at = ?, restored_by_event_id = ? WHERE id = ?",
          arguments: [now, eventId, repointId])
        restored += 1
      } else {
        leftInPlace += 1
        logger.warning(
          "\(itemNoun) moved again since the merge; not restored", metadata: [itemColumn: "\(itemId)"])
      }
    }
    try db.execute(
      sql: "UPDATE \(applications) SET unmerged_at = ?, unmerged_by_event_id = ? WHERE merge_key = ?",
      arguments: [now, eventId, mergeKey])
    return (restored, leftInPlace)
  }
}
