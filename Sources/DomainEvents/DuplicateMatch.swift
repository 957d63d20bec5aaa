/// One MPI candidate in `REGISTRATION.patient.duplicate-detected` and
/// `REGISTRATION.patient.unidentified-duplicate-review` (001 §2.4, §2.5).
public struct DuplicateMatch: Codable, Sendable, Hashable {
  /// Matching patient (UUID).
  public var id: String
  /// Its medical record number (non-empty).
  public var mrn: String
  /// MPI score, integer 0...100.
  public var score: Int

  /// Creates the value; field names and meanings as in the seed.
  public init(id: String, mrn: String, score: Int) {
    self.id = id
    self.mrn = mrn
    self.score = score
  }
}
