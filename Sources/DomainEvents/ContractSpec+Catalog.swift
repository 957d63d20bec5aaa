/// The contract table: every field of every seed event, transcribed from 000–004 and DESIGN §4.
extension ContractSpec {
  /// The specification of `kind`.
  static func spec(for kind: DomainEventKind) -> ContractSpec {
    switch kind {
    // MARK: REGISTRATION (001)
    case .patientCreated:
      return registration(
        kind, section: "2.1", summary: "A patient was created (also provisional, unidentified, newborn).",
        domainId: "patientId",
        fields: [
          .required("patientId", .uuid), .required("stablePatientId", .uuid), .required("mrn", .text),
          .required("tenantId", .uuid, "tenant; the event's organization"),
          .required("isUnidentified", .boolean), .required("isProvisional", .boolean),
          .required("isNewborn", .boolean), .optional("temporaryEnterpriseKey", .text),
          .optional("unidentifiedSlaDueAt", .dateTime),
        ])
    case .patientUpdated:
      return registration(
        kind, section: "2.2", summary: "Demographics or identifiers were updated (patient.created fields).",
        domainId: "patientId",
        fields: [
          .required("patientId", .uuid), .required("stablePatientId", .uuid), .optional("mrn", .text),
          .required("tenantId", .uuid, "tenant; the event's organization"),
          .required("isUnidentified", .boolean), .required("isProvisional", .boolean),
          .required("isNewborn", .boolean), .optional("temporaryEnterpriseKey", .text),
          .optional("unidentifiedSlaDueAt", .dateTime),
        ])
    case .patientVitalStatusChanged:
      return registration(
        kind, section: "2.3", summary: "Deceased status recorded or corrected.", domainId: "patientId",
        fields: [
          .required("tenantId", .uuid, "tenant; the event's organization"), .required("patientId", .uuid),
          .required("stablePatientId", .uuid), .required("deceased", .boolean),
          .optional("deceasedDateTime", .dateTime),
          .required("isCorrection", .boolean, "true when a prior deceased state was overwritten"),
        ])
    case .patientDuplicateDetected:
      return registration(
        kind, section: "2.4", summary: "An MPI score ≥ 85 aborted a create (no patient row).",
        domainId: "tenantId",
        fields: [
          .required("tenantId", .uuid, "tenant; the event's organization"),
          .required("matchCount", .count), .required("matchIds", .array(.uuid, minItems: 0)),
          .required("matches", .array(.object(duplicateMatch), minItems: 0)),
        ])
    case .patientUnidentifiedDuplicateReview:
      return registration(
        kind, section: "2.5", summary: "An unidentified create succeeded with a weak MPI match (> 70).",
        domainId: "newPatientId",
        fields: [
          .required("tenantId", .uuid, "tenant; the event's organization"),
          .required("newPatientId", .uuid), .required("mrn", .text),
          .required("temporaryEnterpriseKey", .text), .required("matchCount", .count),
          .required("matches", .array(.object(duplicateMatch), minItems: 0)),
        ])
    case .patientMerged:
      return registration(
        kind, section: "2.6", summary: "A merge executed; sourceId was deactivated into survivorId.",
        domainId: "survivorId",
        fields: [
          .required("survivorId", .uuid), .required("sourceId", .uuid), .required("stableSurvivorId", .uuid),
          .required("stableSourceId", .uuid),
          .required("tenantId", .uuid, "tenant; the event's organization"),
          .required("involvedUnidentified", .boolean), .required("involvedProvisional", .boolean),
        ])
    case .patientUnmerged:
      return registration(
        kind, section: "2.7", summary: "An unmerge succeeded; sourceId was reactivated.",
        domainId: "survivorId",
        fields: [
          .required("survivorId", .uuid), .required("sourceId", .uuid), .required("stableSurvivorId", .uuid),
          .required("stableSourceId", .uuid),
          .required("tenantId", .uuid, "tenant; the event's organization"),
        ])
    case .encounterRegistered:
      return registration(
        kind, section: "2.8", summary: "An encounter was created.", domainId: "encounterId",
        fields: [
          .required("encounterId", .uuid), .required("patientId", .uuid), .required("stablePatientId", .uuid),
          .required("tenantId", .uuid, "tenant; the event's organization"),
          .required("encounterType", .text, "e.g. AMB"), .required("status", .text, "e.g. planned"),
        ])
    case .encounterStatusChanged:
      return registration(
        kind, section: "2.9", summary: "An encounter changed status.", domainId: "encounterId",
        fields: [
          .required("encounterId", .uuid), .required("patientId", .uuid), .required("stablePatientId", .uuid),
          .required("tenantId", .uuid, "tenant; the event's organization"),
          .required("previousStatus", .text, "e.g. planned"), .required("newStatus", .text, "e.g. arrived"),
        ])

    // MARK: CL/PM (003)
    case .progressNoteSigned:
      return contract(
        kind, seed: "003 Event 1", summary: "A progress note was signed; PM-07 creates a charge suggestion.",
        payload: [
          .required("entity_id", .uuid, "cl_progress_notes.id"),
          .required("entity_type", .constant("progress_note")),
          .required("chart_id", .uuid, "cl_patient_charts.id"),
          .required("encounter_id", .uuid, "pm_encounters.id"),
          .required("rendering_provider_id", .uuid, "pf_profiles.id of the signing clinician"),
          .required("service_date", .date),
          .required("billing_codes", .array(.text, minItems: 1), "CPT/HCPCS codes"),
          .optional("modifiers", .array(.text, minItems: 0), "e.g. GT for telehealth"),
          .required("duration_minutes", .count, "actual session duration"),
          .required("note_type", .enumeration(["individual", "group", "family", "crisis"])),
          .required("requires_cosignature", .boolean), .required("cosigned", .boolean),
        ])
    case .pmReferralAccepted:
      return contract(
        kind, seed: "003 Event 2", summary: "PM accepted a referral; CL-12 creates a care transition.",
        payload: [
          .required("entity_id", .uuid, "pm_referrals.id"), .required("entity_type", .constant("referral")),
          .required("patient_id", .uuid, "pm_patients.id"),
          .optional("chart_id", .uuid, "cl_patient_charts.id if a chart exists"),
          .required("referring_provider_id", .uuid), .required("accepting_provider_id", .uuid),
          .required("referral_type", .enumeration(["inbound", "outbound", "internal"])),
          .required("service_type", .text, "e.g. behavioral_health, substance_use, psychiatric"),
          .required("priority", .enumeration(["routine", "urgent", "emergent"])),
          .optional("authorization_number", .text, "free text"),
        ])
    case .faProgramCostAllocated:
      return contract(
        kind, seed: "003 Event 3",
        summary: "FA allocated program costs; CL-10 correlates outcomes with cost.",
        payload: [
          .required("entity_id", .uuid, "fa_cost_allocations.id"),
          .required("entity_type", .constant("cost_allocation")),
          .required("program_id", .uuid), .required("program_name", .text, "e.g. IOP, PHP, Residential"),
          .required("period_start", .date), .required("period_end", .date),
          .required("total_cost", .count, "integer cents"),
          .optional("cost_per_patient_day", .number(minimum: 0)),
          .required("patient_count", .count),
          .required("allocation_method", .enumeration(["direct", "step_down", "activity_based"])),
        ])
    case .clCrisisEpisodeResolved:
      return contract(
        kind, seed: "003 Event 4", summary: "A crisis episode was dispositioned with a billing code.",
        payload: [
          .required("entity_id", .uuid, "cl_crisis_episodes.id"),
          .required("entity_type", .constant("crisis_episode")), .required("chart_id", .uuid),
          .required("crisis_type", .enumeration(crisisTypes), "004 list"), .required("service_date", .date),
          .required("billing_code", .text, "e.g. S9484, S9485, H2011, 90839, 90840"),
          .optional("duration_minutes", .count), .required("rendering_provider_id", .uuid),
          .optional("encounter_id", .uuid, "pm_encounters.id when linked"),
        ])

    // MARK: CL/FW (004)
    case .clAssessmentExpired:
      return contract(
        kind, seed: "004 Event 1", summary: "An assessment's next due date passed.",
        payload: [
          .required("entity_id", .uuid, "cl_assessments.id"),
          .required("entity_type", .constant("assessment")),
          .required("chart_id", .uuid),
          .required("assessment_type", .text, "e.g. comprehensive, calocus, asam, phq9"),
          .required("original_due_date", .date), .required("days_overdue", .count),
          .required("severity", .constant("warning")),
          .required("action_required", .constant("Schedule and complete reassessment")),
          .required("assigned_clinician_id", .uuid),
        ])
    case .clMoudMonitoringOverdue:
      return contract(
        kind, seed: "004 Event 2", summary: "A MOUD monitoring checkpoint is overdue.",
        payload: [
          .required("entity_id", .uuid, "cl_moud_enrollments.id"),
          .required("entity_type", .constant("moud_enrollment")), .required("chart_id", .uuid),
          .required("monitoring_type", .text, "e.g. uds, vital_signs, lab_work, clinical_review"),
          .required("expected_date", .dateOrDateTime), .required("days_overdue", .count),
          .required("medication", .text, "e.g. buprenorphine, naltrexone, methadone"),
          .required("severity", .constant("warning")),
          .required("action_required", .constant("Complete overdue MOUD monitoring")),
          .required("assigned_clinician_id", .uuid), .required("care_team_ids", .array(.uuid, minItems: 0)),
        ])
    case .clMoudAdherenceRisk:
      return contract(
        kind, seed: "004 Event 3", summary: "A MOUD adherence score dropped below its threshold.",
        payload: [
          .required("entity_id", .uuid, "cl_moud_enrollments.id"),
          .required("entity_type", .constant("moud_enrollment")), .required("chart_id", .uuid),
          .required(
            "risk_factors", .array(.text, minItems: 0), "e.g. missed_uds, missed_appointment, dose_reduction"),
          .required("adherence_score", .integer(minimum: 0, maximum: 100)),
          .required("threshold", .integer(minimum: 0, maximum: 100), "score that triggered the alert"),
          .required("severity", .constant("critical")),
          .required("action_required", .constant("Urgent clinical review — MOUD adherence risk")),
          .required("assigned_clinician_id", .uuid), .required("supervisor_id", .uuid),
        ])
    case .clCareGapIdentified:
      return contract(
        kind, seed: "004 Event 4", summary: "A care gap rule found an open gap.",
        payload: [
          .required("entity_id", .uuid, "cl_care_gaps.id"), .required("entity_type", .constant("care_gap")),
          .required("chart_id", .uuid),
          .required(
            "gap_type", .text, "e.g. hedis_amm, hedis_fuh, hedis_fum, hedis_iet, preventive_screening"),
          .required("measure_id", .text, "HEDIS measure identifier (free text, not a UUID)"),
          .required("gap_description", .text), .optional("due_date", .dateOrDateTime),
          .required("severity", .constant("info")),
          .required("action_required", .constant("Review and close care gap")),
          .optional("care_manager_id", .uuid),
        ])
    case .clCrisisEpisodeOpened:
      return contract(
        kind, seed: "004 Event 5", summary: "A crisis episode was opened.", siteRequired: true,
        payload: [
          .required("entity_id", .uuid, "cl_crisis_episodes.id"),
          .required("entity_type", .constant("crisis_episode")), .required("chart_id", .uuid),
          .required("crisis_type", .enumeration(crisisTypes)),
          .required("risk_level", .text, "high or imminent trigger FW; other values accepted"),
          .required("severity", .constant("critical")),
          .required("action_required", .constant("Crisis episode opened — immediate supervisor review")),
          .required("assigned_clinician_id", .uuid), .optional("supervisor_id", .uuid),
        ])
    case .clRestraintEventInitiated:
      return contract(
        kind, seed: "004 Event 6",
        summary: "Restraint or seclusion was physically initiated (42 CFR 482.13).",
        payload: [
          .required("entity_id", .uuid, "cl_restraint_seclusion_events.id"),
          .required("entity_type", .constant("restraint_seclusion_event")), .required("chart_id", .uuid),
          .required("event_type", .text, "e.g. restraint, seclusion, both"),
          .required("patient_age_group", .text, "e.g. adult, adolescent, child"),
          .required("max_duration_hours", .number(minimum: 0), "age-based regulatory limit"),
          .required("initiation_time", .dateTime), .required("severity", .constant("critical")),
          .required("action_required", .text), .optional("crisis_episode_id", .uuid),
          .optional("supervisor_id", .uuid),
        ])
    case .clRestraintEventTerminated:
      return contract(
        kind, seed: "004 Event 7", summary: "Restraint or seclusion ended (documented minimum payload).",
        payload: [
          .required("restraint_id", .uuid, "cl_restraint_seclusion_events.id (the initiated entity_id)"),
          .required("patient_id", .uuid), .required("initiation_time", .dateTime),
          .required("termination_time", .dateTime), .required("termination_reason", .text),
          .required("face_to_face_required_flag", .boolean),
          .optional("scheduled_face_to_face_deadline", .dateTime), .optional("duration_exceeded", .boolean),
          .optional("crisis_episode_id", .uuid),
        ])
    case .clCareGapClosed:
      return contract(
        kind, seed: "004 Event 8", summary: "A care gap was closed.",
        payload: [
          .required("entity_id", .uuid, "cl_care_gaps.id"), .required("entity_type", .constant("care_gap")),
          .required("chart_id", .uuid), .required("gap_type", .text),
          .required("closure_type", .text, "e.g. service_completed, clinician_override"),
          .required("closed_by", .uuid, "pf_profiles.id; the system UUID for cron"),
          .required("closed_at", .dateTime),
        ])

    // MARK: CE-29 (000), payload fixed by DESIGN §4
    case .ceLeadConvertedToPatient:
      return leadConversion(kind, summary: "A CRM lead was converted to a patient.")
    case .ceLeadConvertedToResident:
      return leadConversion(kind, summary: "A CRM lead was converted to a resident.")
    case .ceLeadConverted:
      return leadConversion(
        kind, summary: "Deprecated CE-17 conversion event; same payload as the granular ones.")

    // MARK: PM (002 §4), payload fixed by DESIGN §4
    case .pmPatientMerged:
      return contract(
        kind, seed: "002 §4 and DESIGN §4",
        summary: "Two pm_patients rows were merged (UUIDs and a timestamp only).",
        dedupeKey: "payload.merge_log_id",
        payload: [
          .required("entity_id", .uuid, "equals merge_log_id"),
          .required("entity_type", .constant("patient_merge")),
          .required("merge_log_id", .uuid, "idempotency key"),
          .required("survivor_patient_id", .uuid), .required("merged_patient_id", .uuid),
          .required("organization_id", .uuid, "equals metadata.organization_id"),
          .required("occurred_at", .dateTime), .required("schema_version", .integerConstant(1)),
        ],
        equalities: [
          FieldEquality(path: "payload.entity_id", otherPath: "payload.merge_log_id"),
          FieldEquality(path: "payload.organization_id", otherPath: "metadata.organization_id"),
        ])
    }
  }

  /// The crisis types listed for `cl_crisis_episode_opened` (004), also used for the resolved event.
  static let crisisTypes = ["walk_in", "mobile", "observation_23hr", "phone", "telehealth"]

  /// The CE-29 conversion types (000).
  static let conversionTypes = ["lead_to_patient", "lead_to_resident", "lead_to_both"]

  /// An MPI match object (001 §2.4, §2.5).
  static let duplicateMatch: [FieldSpec] = [
    .required("id", .uuid), .required("mrn", .text), .required("score", .integer(minimum: 0, maximum: 100)),
  ]

  /// The `metadata` object (003, 004); `site_id` is required only where the seed lists it without `?`.
  static func metadata(siteRequired: Bool) -> [FieldSpec] {
    [
      .required("organization_id", .uuid, "tenant"),
      siteRequired ? .required("site_id", .uuid) : .optional("site_id", .uuid),
      .required("user_id", .uuid, "actor; \(SystemActor.profileID) for automated publishers"),
      .required("timestamp", .dateTime),
      .required("correlation_id", .text, "free text"),
      .required("event_id", .uuid, "equals the CloudEvents id"),
    ]
  }

  static func registration(
    _ kind: DomainEventKind, section: String, summary: String, domainId: String, fields: [FieldSpec]
  ) -> ContractSpec {
    ContractSpec(
      kind: kind, seed: "001 §\(section)", summary: summary, dedupeKey: "<CloudEvents id>/\(domainId)",
      fields: fields, equalities: [])
  }

  static func contract(
    _ kind: DomainEventKind, seed: String, summary: String, siteRequired: Bool = false,
    dedupeKey: String = "metadata.event_id", payload: [FieldSpec], equalities: [FieldEquality] = []
  ) -> ContractSpec {
    ContractSpec(
      kind: kind, seed: seed, summary: summary, dedupeKey: dedupeKey,
      fields: [
        .required("event", .constant(kind.rawValue)),
        .required("publisher", .constant(kind.publisher)),
        .required("subscriber", .array(.text, minItems: 1), "subscribing cores (informational)"),
        .required("payload", .object(payload)),
        .required("metadata", .object(metadata(siteRequired: siteRequired))),
      ],
      equalities: equalities)
  }

  static func leadConversion(_ kind: DomainEventKind, summary: String) -> ContractSpec {
    contract(
      kind, seed: "000 and DESIGN §4", summary: summary,
      dedupeKey:
        "payload.organization_id/payload.lead_id/payload.conversion_type/payload.correlation_id",
      payload: [
        .required("entity_id", .uuid, "equals lead_id"), .required("entity_type", .constant("lead")),
        .required("lead_id", .uuid, "ce_leads.id"),
        .required("organization_id", .uuid, "equals metadata.organization_id"),
        .required("conversion_type", .enumeration(conversionTypes)),
        .required(
          "correlation_id", .text, "idempotency key {lead_id}_to_{conversion_type}_{timestamp} (free text)"),
        .optional("patient_id", .uuid, "set by PM-01"), .optional("resident_id", .uuid, "set by RH-01"),
        .required("converted_by", .uuid, "user who triggered the conversion"),
        .optional("notes", .string(minLength: 0, maxLength: 500)),
        .optional("custom_fields", .anyObject, "extension point"),
      ],
      equalities: [
        FieldEquality(path: "payload.entity_id", otherPath: "payload.lead_id"),
        FieldEquality(path: "payload.organization_id", otherPath: "metadata.organization_id"),
      ])
  }
}
