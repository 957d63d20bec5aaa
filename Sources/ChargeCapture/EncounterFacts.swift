/// What a REGISTRATION encounter event says about one encounter (`encounterType` only on `registered`).
struct EncounterFacts {
  var id: String
  var organizationId: String
  var patientId: String
  var stablePatientId: String
  var encounterType: String?
  var status: String
}
