import ConsumerRuntime
import DomainEvents
import Foundation

/// The regulatory guard of the `restraint_incident_creation` template (seed 004): required fields
/// are re-checked here even though `DomainEventDecoder` already validated the contract, because a
/// regulatory incident must never be created from an incomplete payload. Every failure is a
/// `HandlerError.permanent` naming the field (never quoting its value); nothing is written.
enum RestraintPayloadValidator {
  /// Required: entity_id (UUID), entity_type `restraint_seclusion_event`, chart_id (UUID),
  /// initiation_time (ISO 8601 with offset), metadata.organization_id (UUID); also event_type and
  /// patient_age_group non-empty, max_duration_hours finite and ≥ 0, optional ids UUIDs.
  static func initiated(
    _ payload: RestraintEventInitiatedPayload, metadata: EventMetadata
  ) throws(HandlerError) -> ValidatedInitiation {
    let organization = try uuid(metadata.organization_id, field: "metadata.organization_id")
    let restraint = try uuid(payload.entity_id, field: "payload.entity_id")
    guard payload.entity_type == "restraint_seclusion_event" else {
      throw HandlerError.permanent("payload.entity_type must be restraint_seclusion_event")
    }
    let chart = try uuid(payload.chart_id, field: "payload.chart_id")
    let initiation = try dateTime(payload.initiation_time, field: "payload.initiation_time")
    let eventType = try text(payload.event_type, field: "payload.event_type")
    let ageGroup = try text(payload.patient_age_group, field: "payload.patient_age_group")
    guard payload.max_duration_hours.isFinite, payload.max_duration_hours >= 0 else {
      throw HandlerError.permanent("payload.max_duration_hours must be a finite number ≥ 0")
    }
    return ValidatedInitiation(
      organizationId: organization, restraintEventId: restraint, chartId: chart, eventType: eventType,
      patientAgeGroup: ageGroup, maxDurationHours: payload.max_duration_hours, initiationTime: initiation,
      crisisEpisodeId: try payload.crisis_episode_id.map { id throws(HandlerError) in
        try uuid(id, field: "payload.crisis_episode_id")
      },
      supervisorId: try payload.supervisor_id.map { id throws(HandlerError) in
        try uuid(id, field: "payload.supervisor_id")
      })
  }

  /// Required: restraint_id (UUID), initiation_time and termination_time (ISO 8601 with offset),
  /// metadata.organization_id (UUID); optional deadline a date-time, optional ids UUIDs.
  static func terminated(
    _ payload: RestraintEventTerminatedPayload, metadata: EventMetadata
  ) throws(HandlerError) -> ValidatedTermination {
    ValidatedTermination(
      organizationId: try uuid(metadata.organization_id, field: "metadata.organization_id"),
      restraintEventId: try uuid(payload.restraint_id, field: "payload.restraint_id"),
      initiationTime: try dateTime(payload.initiation_time, field: "payload.initiation_time"),
      terminationTime: try dateTime(payload.termination_time, field: "payload.termination_time"),
      faceToFaceRequired: payload.face_to_face_required_flag,
      faceToFaceDeadline: try payload.scheduled_face_to_face_deadline.map { text throws(HandlerError) in
        try dateTime(text, field: "payload.scheduled_face_to_face_deadline")
      },
      durationExceeded: payload.duration_exceeded,
      crisisEpisodeId: try payload.crisis_episode_id.map { id throws(HandlerError) in
        try uuid(id, field: "payload.crisis_episode_id")
      })
  }

  /// A lowercased UUID, or a permanent error naming `field`.
  static func uuid(_ value: String, field: String) throws(HandlerError) -> String {
    guard ContractFormat.isUUID(value) else {
      throw HandlerError.permanent("\(field) is required and must be a UUID")
    }
    return value.lowercased()
  }

  /// A parsed RFC 3339 date-time, or a permanent error naming `field`.
  static func dateTime(_ value: String, field: String) throws(HandlerError) -> Date {
    guard let date = ContractFormat.dateTime(value) else {
      throw HandlerError.permanent("\(field) is required and must be an ISO 8601 date-time with offset")
    }
    return date
  }

  /// Trimmed non-empty text, or a permanent error naming `field`.
  static func text(_ value: String, field: String) throws(HandlerError) -> String {
    let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !trimmed.isEmpty else { throw HandlerError.permanent("\(field) must not be empty") }
    return trimmed
  }
}
