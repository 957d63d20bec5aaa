import Foundation

/// A `cl_restraint_event_terminated` payload that passed `RestraintPayloadValidator`, normalized.
struct ValidatedTermination {
  var organizationId: String
  var restraintEventId: String
  var initiationTime: Date
  var terminationTime: Date
  var faceToFaceRequired: Bool
  var faceToFaceDeadline: Date?
  var durationExceeded: Bool?
  var crisisEpisodeId: String?
}
