/// Plans `fleet streams apply`: compares a desired stream/consumer config with the server's current one.
///
/// Only keys present in the desired config are compared, so defaults the server adds (`sealed`,
/// `first_seq`, `compression`, …) never show up as changes; the same rule applies inside nested
/// objects such as `sources` entries. A desired zero value (`null`, `false`, `0`, `""`, `[]`, `{}`)
/// equals a key the server omitted. Numbers compare numerically (`1` equals `1.0`), and a Go
/// duration string (`"2m"`, `"30s"`) equals the same span in nanoseconds.
public enum ApplyPlanner {
  /// What `apply` has to do for one stream or consumer.
  public enum Change: Sendable, Hashable {
    /// The server has no such stream/consumer yet.
    case create
    /// It exists; these top-level fields differ (sorted).
    case update(fields: [String])
    /// It exists and every desired field already has the desired value.
    case unchanged
  }

  /// `.create` when `current` is `nil`, else `.update` with the changed fields, or `.unchanged`.
  public static func diff(desired: JSONValue, current: JSONValue?) -> Change {
    guard let current else { return .create }
    let fields = changedFields(desired: desired, current: current)
    return fields.isEmpty ? .unchanged : .update(fields: fields)
  }

  /// The top-level keys of `desired` whose values differ from `current` (sorted). When `desired`
  /// is not an object the whole value is compared and reported as `"."`.
  public static func changedFields(desired: JSONValue, current: JSONValue) -> [String] {
    guard let members = desired.objectValue else {
      return isSatisfied(desired: desired, current: current) ? [] : ["."]
    }
    return members.keys.sorted().filter { key in
      guard let wanted = members[key] else { return false }
      return !isSatisfied(desired: wanted, current: current[key])
    }
  }

  /// Whether the server value `current` (`nil` when absent) already has the value `desired` asks for.
  public static func isSatisfied(desired: JSONValue, current: JSONValue?) -> Bool {
    guard let current, !current.isNull else { return isZero(desired) }
    switch (desired, current) {
    case (.object(let wanted), .object):
      return wanted.allSatisfy { key, value in isSatisfied(desired: value, current: current[key]) }
    case (.array(let wanted), .array(let actual)):
      return wanted.count == actual.count
        && zip(wanted, actual).allSatisfy { isSatisfied(desired: $0, current: $1) }
    case (.string(let wanted), .string(let actual)):
      if wanted == actual { return true }
      guard let left = nanoseconds(goDuration: wanted), let right = nanoseconds(goDuration: actual) else {
        return false
      }
      return left == right
    case (.string(let wanted), .int), (.string(let wanted), .number):
      return numericallyEqual(nanoseconds(goDuration: wanted).map(JSONValue.int), current)
    case (.int, .string(let actual)), (.number, .string(let actual)):
      return numericallyEqual(desired, nanoseconds(goDuration: actual).map(JSONValue.int))
    case (.int, _), (.number, _):
      return numericallyEqual(desired, current)
    default:
      return desired == current
    }
  }

  private static func isZero(_ value: JSONValue) -> Bool {
    switch value {
    case .null: return true
    case .bool(let flag): return !flag
    case .int(let number): return number == 0
    case .number(let number): return number == 0
    case .string(let text): return text.isEmpty
    case .array(let elements): return elements.isEmpty
    case .object(let members): return members.isEmpty
    }
  }

  private static func numericallyEqual(_ left: JSONValue?, _ right: JSONValue?) -> Bool {
    switch (left, right) {
    case (.int(let a)?, .int(let b)?):
      return a == b
    case (.int(let a)?, .number(let b)?), (.number(let b)?, .int(let a)?):
      return JSONValue.number(b).int64Value == a
    case (.number(let a)?, .number(let b)?):
      return a == b
    default:
      return false
    }
  }

  /// Nanoseconds in a Go duration string (`"1h2m3.5s"`, `"300ms"`, `"-2m"`, `"0"`), or `nil`.
  static func nanoseconds(goDuration text: String) -> Int64? {
    var rest = Substring(text)
    var sign = 1.0
    if rest.first == "-" || rest.first == "+" {
      sign = rest.first == "-" ? -1 : 1
      rest = rest.dropFirst()
    }
    if rest == "0" { return 0 }
    guard !rest.isEmpty else { return nil }
    let units: [(String, Double)] = [
      ("ns", 1), ("us", 1e3), ("µs", 1e3), ("μs", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 6e10), ("h", 3.6e12),
    ]
    var total = 0.0
    while !rest.isEmpty {
      let numberText = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
      guard !numberText.isEmpty, let number = Double(numberText) else { return nil }
      rest = rest.dropFirst(numberText.count)
      let unitText = rest.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
      guard let scale = units.first(where: { $0.0 == String(unitText) })?.1 else { return nil }
      rest = rest.dropFirst(unitText.count)
      total += number * scale
    }
    let nanoseconds = (sign * total).rounded()
    guard nanoseconds.isFinite, nanoseconds.magnitude < 9.2e18 else { return nil }
    return Int64(exactly: nanoseconds)
  }
}
