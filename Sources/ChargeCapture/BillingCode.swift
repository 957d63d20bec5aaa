import Foundation

/// CPT/HCPCS code and modifier normalization: codes are compared and stored trimmed and in upper
/// case (`h2011` and `H2011 ` are the same code).
enum BillingCode {
  /// The canonical form of a code or modifier.
  static func normalized(_ code: String) -> String {
    // Codes are almost always already canonical ("90837", "H0004"): skip Foundation then.
    let canonical =
      !code.isEmpty
      && code.utf8.allSatisfy { byte in
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
          || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
      }
    if canonical { return code }
    return code.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
  }
}
