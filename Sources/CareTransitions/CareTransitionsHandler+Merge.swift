import ConsumerRuntime
import DomainEvents
import GRDB
import Logging

extension CareTransitionsHandler {
  /// How many merges `currentPatientId` follows (a guard against a cycle in bad data).
  static let maximumMergeChain = 16

  /// `pm_patient_merged` / `REGISTRATION.patient.merged`: every transition of the merged patient is
  /// re-pointed to the survivor, each move recorded in `cl_transition_repoints`. A merge key already
  /// applied (same `merge_log_id`, even under another event id) is a no-op.
  func applyMerge(_ merge: PatientMergeRequest, db: Database, context: HandlerContext) throws {
    var logger = context.logger
    logger[metadataKey: "merge_key"] = "\(merge.mergeKey)"
    if let owner = try String.fetchOne(
      db, sql: "SELECT organization_id FROM cl_patient_merge_applications WHERE merge_key = ?",
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

    // The chart follows the merge (002 §3 re-points cl_patient_charts in the PM transaction).
    let mergedChart = try knownChart(
      organizationId: merge.organizationId, patientId: merge.mergedPatientId, db: db)
    var chartCopied = false
    if let mergedChart {
      try db.execute(
        sql: "DELETE FROM cl_patient_charts_seen WHERE organization_id = ? AND patient_id = ?",
        arguments: [merge.organizationId, merge.mergedPatientId])
      if try knownChart(organizationId: merge.organizationId, patientId: merge.survivorPatientId, db: db)
        == nil
      {
        try rememberChart(
          organizationId: merge.organizationId, patientId: merge.survivorPatientId, chartId: mergedChart,
          eventId: merge.eventId, now: now, db: db)
        chartCopied = true
      }
    }

    try db.execute(
      sql: """
        INSERT INTO cl_patient_merge_applications (
          merge_key, organization_id, event_id, event_name, survivor_patient_id, merged_patient_id,
          merged_chart_id, chart_copied_to_survivor, applied_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        merge.mergeKey, merge.organizationId, merge.eventId, merge.eventName, merge.survivorPatientId,
        merge.mergedPatientId, mergedChart, chartCopied ? 1 : 0, now,
      ])
    let transitions = try String.fetchAll(
      db,
      sql:
        "SELECT id FROM cl_care_transitions WHERE organization_id = ? AND patient_id = ? ORDER BY created_at, id",
      arguments: [merge.organizationId, merge.mergedPatientId])
    for transition in transitions {
      try repoint(
        transitionId: transition, organizationId: merge.organizationId, mergeKey: merge.mergeKey,
        from: merge.mergedPatientId, to: merge.survivorPatientId, now: now, db: db)
    }
    try db.execute(
      sql: "UPDATE cl_patient_merge_applications SET repointed_count = ? WHERE merge_key = ?",
      arguments: [transitions.count, merge.mergeKey])
    logger.info("merge applied", metadata: ["repointed": "\(transitions.count)"])
  }

  /// `REGISTRATION.patient.unmerged`: every transition moved from `sourcePatientId` to
  /// `survivorPatientId` by a merge not yet undone goes back to `sourcePatientId`; transitions
  /// created for the survivor after the merge stay. A transition that a later merge moved on is
  /// left where it is (logged). Repeating the unmerge is a no-op.
  func applyUnmerge(
    organizationId: String, survivorPatientId: String, sourcePatientId: String, eventId: String, db: Database,
    context: HandlerContext
  ) throws {
    let now = ISOTime.string(context.now)
    let merges = try Row.fetchAll(
      db,
      sql: """
        SELECT merge_key, merged_chart_id, chart_copied_to_survivor FROM cl_patient_merge_applications
        WHERE organization_id = ? AND survivor_patient_id = ? AND merged_patient_id = ? AND unmerged_at IS NULL
        ORDER BY applied_at, rowid
        """,
      arguments: [organizationId, survivorPatientId, sourcePatientId])
    if merges.isEmpty {
      context.logger.info("no applied merge for this unmerge — nothing to restore")
      return
    }
    var restored = 0
    var leftInPlace = 0
    for merge in merges {
      let mergeKey: String = merge["merge_key"] ?? ""
      let moves = try Row.fetchAll(
        db,
        sql: """
          SELECT id, transition_id FROM cl_transition_repoints
          WHERE merge_key = ? AND organization_id = ? AND restored_at IS NULL ORDER BY id
          """,
        arguments: [mergeKey, organizationId])
      for move in moves {
        let repointId: Int64 = move["id"] ?? 0
        let transitionId: String = move["transition_id"] ?? ""
        try db.execute(
          sql: """
            UPDATE cl_care_transitions SET patient_id = ?, updated_at = ?
            WHERE id = ? AND organization_id = ? AND patient_id = ?
            """,
          arguments: [sourcePatientId, now, transitionId, organizationId, survivorPatientId])
        if db.changesCount == 1 {
          try db.execute(
            sql: "UPDATE cl_transition_repoints SET restored_at = ?, restored_by_event_id = ? WHERE id = ?",
            arguments: [now, eventId, repointId])
          restored += 1
        } else {
          leftInPlace += 1
          context.logger.warning(
            "transition moved again since the merge; not restored",
            metadata: ["transition_id": "\(transitionId)"])
        }
      }
      try db.execute(
        sql:
          "UPDATE cl_patient_merge_applications SET unmerged_at = ?, unmerged_by_event_id = ? WHERE merge_key = ?",
        arguments: [now, eventId, mergeKey])
      if let chart: String = merge["merged_chart_id"] {
        let copied: Int = merge["chart_copied_to_survivor"] ?? 0
        if copied == 1 {
          try db.execute(
            sql:
              "DELETE FROM cl_patient_charts_seen WHERE organization_id = ? AND patient_id = ? AND chart_id = ?",
            arguments: [organizationId, survivorPatientId, chart])
        }
        try db.execute(
          sql: """
            INSERT OR IGNORE INTO cl_patient_charts_seen (
              organization_id, patient_id, chart_id, learnt_from_event_id, updated_at)
            VALUES (?, ?, ?, ?, ?)
            """,
          arguments: [organizationId, sourcePatientId, chart, eventId, now])
      }
    }
    context.logger.info(
      "unmerge applied", metadata: ["restored": "\(restored)", "left_in_place": "\(leftInPlace)"])
  }

  /// Moves one transition to another patient and records the move.
  func repoint(
    transitionId: String, organizationId: String, mergeKey: String, from: String, to: String, now: String,
    db: Database
  ) throws {
    try db.execute(
      sql: """
        INSERT INTO cl_transition_repoints (
          merge_key, organization_id, transition_id, from_patient_id, to_patient_id, repointed_at)
        VALUES (?, ?, ?, ?, ?, ?)
        """,
      arguments: [mergeKey, organizationId, transitionId, from, to, now])
    try db.execute(
      sql:
        "UPDATE cl_care_transitions SET patient_id = ?, updated_at = ? WHERE id = ? AND organization_id = ?",
      arguments: [to, now, transitionId, organizationId])
  }

  /// The merge (not undone) that deactivated `mergedPatientId`, if any.
  func activeMerge(organizationId: String, mergedPatientId: String, db: Database) throws -> (
    mergeKey: String, survivor: String
  )? {
    let row = try Row.fetchOne(
      db,
      sql: """
        SELECT merge_key, survivor_patient_id FROM cl_patient_merge_applications
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

  /// The patient `patientId` has become through the merges applied so far (itself when none).
  func currentPatientId(organizationId: String, patientId: String, db: Database) throws -> String {
    var current = patientId
    var visited: Set<String> = [patientId]
    for _ in 0..<Self.maximumMergeChain {
      guard let merge = try activeMerge(organizationId: organizationId, mergedPatientId: current, db: db),
        visited.insert(merge.survivor).inserted
      else { break }
      current = merge.survivor
    }
    return current
  }

  /// A transition created for a patient that an earlier merge already deactivated (events from
  /// different streams may arrive out of order) is re-pointed as that merge would have done,
  /// with a repoint row so that an unmerge restores it too.
  func followKnownMerges(
    transitionId: String, organizationId: String, patientId: String, now: String, db: Database
  ) throws {
    var current = patientId
    var visited: Set<String> = [patientId]
    for _ in 0..<Self.maximumMergeChain {
      guard let merge = try activeMerge(organizationId: organizationId, mergedPatientId: current, db: db),
        visited.insert(merge.survivor).inserted
      else { return }
      try repoint(
        transitionId: transitionId, organizationId: organizationId, mergeKey: merge.mergeKey, from: current,
        to: merge.survivor, now: now, db: db)
      try db.execute(
        sql:
          "UPDATE cl_patient_merge_applications SET repointed_count = repointed_count + 1 WHERE merge_key = ?",
        arguments: [merge.mergeKey])
      current = merge.survivor
    }
  }
}
