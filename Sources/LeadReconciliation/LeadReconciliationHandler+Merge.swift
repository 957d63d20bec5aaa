import ConsumerRuntime
import DomainEvents
import GRDB
import Logging

extension LeadReconciliationHandler {
  /// The shared merge bookkeeping over this service's tables.
  static let merges = MergeRepointing(
    applications: "ce_patient_merge_applications", repoints: "ce_link_repoints",
    items: "ce_lead_patient_links",
    itemColumn: "link_id", itemOrder: "linked_at, id", itemNoun: "link")

  /// `pm_patient_merged` / `REGISTRATION.patient.merged`: every link whose current patient is the
  /// merged one is re-pointed to the survivor, each move recorded in `ce_link_repoints`. A merge key
  /// already applied (same `merge_log_id`, even under another event id) is a no-op.
  func applyMerge(_ merge: PatientMergeRequest, db: Database, context: HandlerContext) throws {
    var logger = context.logger
    logger[metadataKey: "merge_key"] = "\(merge.mergeKey)"
    guard try Self.merges.isPending(merge, db: db, logger: logger) else { return }
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
    let moved = try Self.merges.repointAll(merge, now: now, db: db)
    logger.info("merge applied", metadata: ["repointed": "\(moved)"])
  }

  /// `REGISTRATION.patient.unmerged`: every link moved from `sourcePatientId` to `survivorPatientId`
  /// by a merge not yet undone goes back to `sourcePatientId`; links created for the survivor after
  /// the merge stay. A link that a later merge moved on is left where it is (logged). Repeating the
  /// unmerge is a no-op.
  func applyUnmerge(
    organizationId: String, survivorPatientId: String, sourcePatientId: String, eventId: String, db: Database,
    context: HandlerContext
  ) throws {
    try Self.merges.undoAll(
      organizationId: organizationId, survivorPatientId: survivorPatientId, sourcePatientId: sourcePatientId,
      eventId: eventId, now: ISOTime.string(context.now), db: db, logger: context.logger)
  }
}
