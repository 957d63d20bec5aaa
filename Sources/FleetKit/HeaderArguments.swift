import Foundation
import NATSWire

/// `--header K:V` values of `pub` and `request`.
public enum HeaderArguments {
  /// Parses `NAME:VALUE` arguments (the value may contain colons and is trimmed of surrounding
  /// spaces); `nil` when there are none. A missing colon, an empty name, or a name or value with a
  /// line break is an error.
  public static func parse(_ arguments: [String]) throws(FleetError) -> NATSHeaders? {
    guard !arguments.isEmpty else { return nil }
    var headers = NATSHeaders()
    for argument in arguments {
      guard let colon = argument.firstIndex(of: ":") else {
        throw FleetError(.invalidOption, "invalid header '\(argument)': use NAME:VALUE")
      }
      let name = argument[..<colon].trimmingCharacters(in: .whitespaces)
      let value = argument[argument.index(after: colon)...].trimmingCharacters(in: .whitespaces)
      guard !name.isEmpty, !name.contains(where: { $0.isWhitespace || $0 == ":" }) else {
        throw FleetError(.invalidOption, "invalid header name in '\(argument)'")
      }
      guard !value.contains(where: \.isNewline) else {
        throw FleetError(.invalidOption, "header values cannot contain line breaks ('\(name)')")
      }
      headers.append(name, value)
    }
    return headers
  }
}
