/// What a billable event contributes to a charge suggestion, before the guard runs.
struct SuggestionDraft {
  var organizationId: String
  var sourceEventId: String
  var sourceEventName: String
  var encounterId: String?
  var chartId: String
  var noteId: String?
  var crisisEpisodeId: String?
  var renderingProviderId: String
  var serviceDate: String
  /// Normalized, non-empty.
  var billingCodes: [String]
  var modifiers: [String]?
  var durationMinutes: Int?
  var noteType: String?
}
