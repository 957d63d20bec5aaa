import Foundation

/// A `cl_restraint_event_initiated` payload that passed `RestraintPayloadValidator`, normalized
/// (ids lowercased, the initiation time parsed).
struct ValidatedInitiation {
  var organizationId: String
  var restraintEventId: String
  var chartId: String
  var eventType: String
  var patientAgeGroup: String
  var maxDurationHours: Double
  var initiationTime: Date
  var crisisEpisodeId: String?
  var supervisorId: String?
}
