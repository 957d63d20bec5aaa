import ConsumerRuntime
import DomainEvents
import GRDB
import Logging

extension LeadReconciliationHandler {
  /// How many merges a new link follows (a guard against a cycle in bad data).
  static let maximumMergeChain = 16

  /// `pm_patient_merged` / `REGISTRATION.patient.merged`: every link whose current patient is the
  /// merged one is re-pointed to the survivor, each move recorded in `ce_link_repoints`. A merge key
  /// already applied (same `merge_log_id`, even under another event id) is a no-op.
  func applyMerge(_ merge: PatientMergeRequest, db: Database, context: HandlerContext) throws {
    var logger = context.logger
    logger[metadataKey: "merge_key"] = "\(merge.mergeKey)"
    if let owner = try String.fetchOne(
      db, sql: "SELECT organization_id FROM ce_patient_merge_applications WHERE merge_key = ?",
      arguments: [merge.mergeKey])
    {
      guard owner == merge.organizationId else {
        throw HandlerError.permanent("merge \(merge.mergeKey) was already applied in another organization")
      }
      logger.info("merge already applied — skipping")
      return
    }
    guard merge.survivorPatientId != merge.mergedPatientId else {
      throw HandlerError.permanent("merge \(merge.mergeKey) names the same patient as survivor and merged")
    }
    let now = ISOTime.string(context.now)
    try db.execute(
      sql: """
        INSERT INTO ce_patient_merge_applications (
          merge_key, organization_id, event_id, event_name, survivor_patient_id, merged_patient_id, applied_at)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        merge.mergeKey, merge.organizationId, merge.eventId, merge.eventName, merge.survivorPatientId,
        merge.mergedPatientId, now,
      ])
    let links = try String.fetchAll(
      db,
      sql:
        "SELECT id FROM ce_lead_patient_links WHERE organization_id = ? AND patient_id = ? ORDER BY linked_at, id",
      arguments: [merge.organizationId, merge.mergedPatientId])
    for link in links {
      try repoint(
        linkId: link, organizationId: merge.organizationId, mergeKey: merge.mergeKey,
        from: merge.mergedPatientId,
        to: merge.survivorPatientId, now: now, db: db)
    }
    try db.execute(
      sql: "UPDATE ce_patient_merge_applications SET repointed_count = ? WHERE merge_key = ?",
      arguments: [links.count, merge.mergeKey])
    logger.info("merge applied", metadata: ["repointed": "\(links.count)"])
  }

  /// `REGISTRATION.patient.unmerged`: every link moved from `sourcePatientId` to `survivorPatientId`
  /// by a merge not yet undone goes back to `sourcePatientId`; links created for the survivor after
  /// the merge stay. A link that a later merge moved on is left where it is (logged). Repeating the
  /// unmerge is a no-op.
  func applyUnmerge(
    organizationId: String, survivorPatientId: String, sourcePatientId: String, eventId: String, db: Database,
    context: HandlerContext
  ) throws {
    let now = ISOTime.string(context.now)
    let mergeKeys = try String.fetchAll(
      db,
      sql: """
        SELECT merge_key FROM ce_patient_merge_applications
        WHERE organization_id = ? AND survivor_patient_id = ? AND merged_patient_id = ? AND unmerged_at IS NULL
        ORDER BY applied_at, rowid
        """,
      arguments: [organizationId, survivorPatientId, sourcePatientId])
    if mergeKeys.isEmpty {
      context.logger.info("no applied merge for this unmerge — nothing to restore")
      return
    }
    var restored = 0
    var leftInPlace = 0
    for mergeKey in mergeKeys {
      let moves = try Row.fetchAll(
        db,
        sql: """
          SELECT id, link_id FROM ce_link_repoints
          WHERE merge_key = ? AND organization_id = ? AND restored_at IS NULL ORDER BY id
          """,
        arguments: [mergeKey, organizationId])
      for move in moves {
        let repointId: Int64 = move["id"] ?? 0
        let linkId: String = move["link_id"] ?? ""
        try db.execute(
          sql: """
            UPDATE ce_lead_patient_links SET patient_id = ?, updated_at = ?
            WHERE id = ? AND organization_id = ? AND patient_id = ?
            """,
          arguments: [sourcePatientId, now, linkId, organizationId, survivorPatientId])
        if db.changesCount == 1 {
          try db.execute(
            sql: "UPDATE ce_link_repoints SET restored_at = ?, restored_by_event_id = ? WHERE id = ?",
            arguments: [now, eventId, repointId])
          restored += 1
        } else {
          leftInPlace += 1
          context.logger.warning(
            "link moved again since the merge; not restored", metadata: ["link_id": "\(linkId)"])
        }
      }
      try db.execute(
        sql:
          "UPDATE ce_patient_merge_applications SET unmerged_at = ?, unmerged_by_event_id = ? WHERE merge_key = ?",
        arguments: [now, eventId, mergeKey])
    }
    context.logger.info(
      "unmerge applied", metadata: ["restored": "\(restored)", "left_in_place": "\(leftInPlace)"])
  }

  /// Moves one link to another patient and records the move.
  func repoint(
    linkId: String, organizationId: String, mergeKey: String, from: String, to: String, now: String,
    db: Database
  ) throws {
    try db.execute(
      sql: """
        INSERT INTO ce_link_repoints (merge_key, organization_id, link_id, from_patient_id, to_patient_id, repointed_at)
        VALUES (?, ?, ?, ?, ?, ?)
        """,
      arguments: [mergeKey, organizationId, linkId, from, to, now])
    try db.execute(
      sql:
        "UPDATE ce_lead_patient_links SET patient_id = ?, updated_at = ? WHERE id = ? AND organization_id = ?",
      arguments: [to, now, linkId, organizationId])
  }

  /// A link created for a patient that an earlier merge already deactivated (events from different
  /// streams may arrive out of order) is re-pointed as that merge would have done.
  func followKnownMerges(linkId: String, organizationId: String, patientId: String, now: String, db: Database)
    throws
  {
    var current = patientId
    var visited: Set<String> = [patientId]
    for _ in 0..<Self.maximumMergeChain {
      guard
        let row = try Row.fetchOne(
          db,
          sql: """
            SELECT merge_key, survivor_patient_id FROM ce_patient_merge_applications
            WHERE organization_id = ? AND merged_patient_id = ? AND unmerged_at IS NULL
            ORDER BY applied_at DESC, rowid DESC LIMIT 1
            """,
          arguments: [organizationId, current]),
        let mergeKey: String = row["merge_key"], let survivor: String = row["survivor_patient_id"],
        visited.insert(survivor).inserted
      else { return }
      try repoint(
        linkId: linkId, organizationId: organizationId, mergeKey: mergeKey, from: current, to: survivor,
        now: now,
        db: db)
      try db.execute(
        sql:
          "UPDATE ce_patient_merge_applications SET repointed_count = repointed_count + 1 WHERE merge_key = ?",
        arguments: [mergeKey])
      current = survivor
    }
  }
}
