/// What happened to the messages of a replay. Every message read lands in exactly one of
/// `published`, `duplicates`, `validated`, `skippedFiltered`, `skippedInvalid`, `failed`.
public struct ReplayCounts: Sendable, Hashable, Codable {
  /// Source messages read (blank file lines excluded).
  public var read: Int
  /// Stored by the target stream (PubAck received).
  public var published: Int
  /// Acknowledged as duplicates: the stream already had this `Nats-Msg-Id` (a resumed run
  /// re-sending what was sent before the interruption).
  public var duplicates: Int
  /// Valid and not published because of `--dry-run`.
  public var validated: Int
  /// Skipped because no subject filter (or the service filter) matched.
  public var skippedFiltered: Int
  /// Skipped because the message is not a valid event (the reason is in the summary's issues).
  public var skippedInvalid: Int
  /// Not acknowledged after every attempt.
  public var failed: Int

  /// All zero.
  public init() {
    read = 0
    published = 0
    duplicates = 0
    validated = 0
    skippedFiltered = 0
    skippedInvalid = 0
    failed = 0
  }

  /// Skipped in total (filtered + invalid).
  public var skipped: Int { skippedFiltered + skippedInvalid }

  /// Messages whose outcome is known.
  public var settled: Int { published + duplicates + validated + skipped + failed }

  /// The sum of two counts (checkpoint totals across resumed runs).
  public static func + (lhs: ReplayCounts, rhs: ReplayCounts) -> ReplayCounts {
    var sum = ReplayCounts()
    sum.read = lhs.read + rhs.read
    sum.published = lhs.published + rhs.published
    sum.duplicates = lhs.duplicates + rhs.duplicates
    sum.validated = lhs.validated + rhs.validated
    sum.skippedFiltered = lhs.skippedFiltered + rhs.skippedFiltered
    sum.skippedInvalid = lhs.skippedInvalid + rhs.skippedInvalid
    sum.failed = lhs.failed + rhs.failed
    return sum
  }

  enum CodingKeys: String, CodingKey {
    case read, published, duplicates, validated
    case skippedFiltered = "skipped_filtered"
    case skippedInvalid = "skipped_invalid"
    case failed
  }
}
