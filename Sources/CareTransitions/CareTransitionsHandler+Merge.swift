import ConsumerRuntime
import DomainEvents
import GRDB
import Logging

extension CareTransitionsHandler {
  /// The shared merge bookkeeping over this service's tables.
  static let merges = MergeRepointing(
    applications: "cl_patient_merge_applications", repoints: "cl_transition_repoints",
    items: "cl_care_transitions", itemColumn: "transition_id", itemOrder: "created_at, id",
    itemNoun: "transition")

  /// `pm_patient_merged` / `REGISTRATION.patient.merged`: every transition of the merged patient is
  /// re-pointed to the survivor, each move recorded in `cl_transition_repoints`. A merge key already
  /// applied (same `merge_log_id`, even under another event id) is a no-op.
  func applyMerge(_ merge: PatientMergeRequest, db: Database, context: HandlerContext) throws {
    var logger = context.logger
    logger[metadataKey: "merge_key"] = "\(merge.mergeKey)"
    guard try Self.merges.isPending(merge, db: db, logger: logger) else { return }
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
    let moved = try Self.merges.repointAll(merge, now: now, db: db)
    logger.info("merge applied", metadata: ["repointed": "\(moved)"])
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
    // The chart follows the unmerge back: the merged patient knows its chart again, and a copy the
    // merge gave the survivor is taken away.
    try Self.merges.undoAll(
      organizationId: organizationId, survivorPatientId: survivorPatientId, sourcePatientId: sourcePatientId,
      eventId: eventId, now: now, extraColumns: ["merged_chart_id", "chart_copied_to_survivor"], db: db,
      logger: context.logger
    ) { merge in
      guard let chart: String = merge["merged_chart_id"] else { return }
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

  /// The patient `patientId` has become through the merges applied so far (itself when none).
  func currentPatientId(organizationId: String, patientId: String, db: Database) throws -> String {
    var current = patientId
    var visited: Set<String> = [patientId]
    for _ in 0..<MergeRepointing.maximumMergeChain {
      guard
        let merge = try Self.merges.activeMerge(
          organizationId: organizationId, mergedPatientId: current, db: db),
        visited.insert(merge.survivor).inserted
      else { break }
      current = merge.survivor
    }
    return current
  }
}
