import Foundation

/// CPT/HCPCS code and modifier normalization: codes are compared and stored trimmed and in upper
/// case (`h2011` and `H2011 ` are the same code).
enum BillingCode {
  /// The canonical form of a code or modifier.
  static func normalized(_ code: String) -> String {
    code.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
  }
}
