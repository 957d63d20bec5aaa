/// `payload` of `cl_restraint_event_terminated` (004, Event 7, the documented minimum): restraint or
/// seclusion ended.
public struct RestraintEventTerminatedPayload: Codable, Sendable, Hashable {
  /// cl_restraint_seclusion_events.id (UUID), the initiated event's entity_id.
  public var restraint_id: String
  /// Chart-linked patient (UUID).
  public var patient_id: String
  /// RFC 3339 date-time.
  public var initiation_time: String
  /// RFC 3339 date-time.
  public var termination_time: String
  /// Why it ended (non-empty).
  public var termination_reason: String
  /// True if a post-termination face-to-face is still required.
  public var face_to_face_required_flag: Bool
  /// RFC 3339 date-time by which a deferred face-to-face is due.
  public var scheduled_face_to_face_deadline: String?
  /// True if the regulatory maximum duration was exceeded.
  public var duration_exceeded: Bool?
  /// Related crisis episode (UUID).
  public var crisis_episode_id: String?

  /// Creates the value; field names and meanings as in the seed.
  public init(
    restraint_id: String, patient_id: String, initiation_time: String, termination_time: String,
    termination_reason: String, face_to_face_required_flag: Bool,
    scheduled_face_to_face_deadline: String? = nil, duration_exceeded: Bool? = nil,
    crisis_episode_id: String? = nil
  ) {
    self.restraint_id = restraint_id
    self.patient_id = patient_id
    self.initiation_time = initiation_time
    self.termination_time = termination_time
    self.termination_reason = termination_reason
    self.face_to_face_required_flag = face_to_face_required_flag
    self.scheduled_face_to_face_deadline = scheduled_face_to_face_deadline
    self.duration_exceeded = duration_exceeded
    self.crisis_episode_id = crisis_episode_id
  }
}
