/// Why a conversion event cannot become `ce_lead_conversions` rows (a permanent error).
public struct LeadConversionError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What is wrong (never the field's value).
  public var message: String

  /// Creates an error.
  public init(_ message: String) {
    self.message = message
  }

  /// The message.
  public var description: String { message }
}
