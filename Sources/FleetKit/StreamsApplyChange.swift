import StreamTopology

/// One line of `fleet streams apply`: what was (or, in a dry run, would be) done to one stream or
/// consumer.
public struct StreamsApplyChange: Sendable, Hashable, CustomStringConvertible {
  /// The object a change is about.
  public enum Object: Sendable, Hashable, CustomStringConvertible {
    /// A stream, by name.
    case stream(String)
    /// A durable consumer of a stream.
    case consumer(stream: String, name: String)

    /// `STREAM NAME` or `CONSUMER STREAM/NAME`.
    public var description: String {
      switch self {
      case .stream(let name): return "STREAM \(name)"
      case .consumer(let stream, let name): return "CONSUMER \(stream)/\(name)"
      }
    }
  }

  /// The stream or consumer.
  public var object: Object
  /// Create, update (with the changed fields) or unchanged.
  public var change: ApplyPlanner.Change

  /// Creates a change.
  public init(object: Object, change: ApplyPlanner.Change) {
    self.object = object
    self.change = change
  }

  /// `+ create STREAM X`, `~ update STREAM X (fields: a, b)` or `= unchanged STREAM X`.
  public var description: String {
    switch change {
    case .create: return "+ create \(object)"
    case .update(let fields): return "~ update \(object) (fields: \(fields.joined(separator: ", ")))"
    case .unchanged: return "= unchanged \(object)"
    }
  }
}

extension Array where Element == StreamsApplyChange {
  /// `created N, updated N, unchanged N`.
  public var summary: String {
    var created = 0
    var updated = 0
    var unchanged = 0
    for element in self {
      switch element.change {
      case .create: created += 1
      case .update: updated += 1
      case .unchanged: unchanged += 1
      }
    }
    return "created \(created), updated \(updated), unchanged \(unchanged)"
  }
}
