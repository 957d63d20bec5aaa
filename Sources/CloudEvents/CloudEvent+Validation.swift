extension CloudEvent {
  /// The names of the context attributes defined by CloudEvents 1.0, plus the JSON format's
  /// `data` and `data_base64` members. No extension may use one of these names.
  public static let reservedAttributeNames: Set<String> = [
    "id", "source", "specversion", "type", "datacontenttype", "dataschema", "subject", "time", "data",
    "data_base64",
  ]

  /// The longest extension name accepted. CloudEvents says names SHOULD NOT exceed 20
  /// characters; this project treats longer names as a violation.
  public static let maximumExtensionNameLength = 20

  /// All violations of the CloudEvents 1.0 rules (empty = valid), in attribute order, extensions
  /// sorted by name:
  /// - `id`, `source` and `type` are non-empty; `specversion` is exactly "1.0";
  /// - `source` is a valid URI-reference and `dataschema` an absolute URI (RFC 3986);
  /// - `datacontenttype` is an RFC 2046 media type; `subject` is non-empty when present;
  /// - extension names are 1…20 characters of `[a-z0-9]` and not a reserved name.
  public func validationErrors() -> [CloudEventValidationError] {
    var errors: [CloudEventValidationError] = []
    func add(_ attribute: String, _ reason: String) {
      errors.append(CloudEventValidationError(attribute: attribute, reason: reason))
    }

    if id.isEmpty { add("id", "must be a non-empty string") }

    if source.isEmpty {
      add("source", "must be a non-empty URI-reference")
    } else {
      do throws(CloudEventSyntaxViolation) {
        try CloudEventURIValidator.checkURIReference(source)
      } catch {
        add("source", "must be a valid URI-reference (RFC 3986): the value \(error.reason)")
      }
    }

    if specversion != "1.0" {
      let shown = specversion.count > 16 ? String(specversion.prefix(16)) + "…" : specversion
      add("specversion", "must be \"1.0\", found \"\(shown)\"")
    }

    if type.isEmpty { add("type", "must be a non-empty string") }

    if let datacontenttype {
      do throws(CloudEventSyntaxViolation) {
        _ = try CloudEventMediaType.parse(datacontenttype)
      } catch {
        add(
          "datacontenttype",
          "must be an RFC 2046 media type (type/subtype[; name=value]…): the value \(error.reason)")
      }
    }

    if let dataschema {
      if dataschema.isEmpty {
        add("dataschema", "must be a non-empty absolute URI when present")
      } else {
        do throws(CloudEventSyntaxViolation) {
          try CloudEventURIValidator.checkAbsoluteURI(dataschema)
        } catch {
          add("dataschema", "must be an absolute URI (RFC 3986): the value \(error.reason)")
        }
      }
    }

    if let subject, subject.isEmpty { add("subject", "must be non-empty when present") }

    // Sorting is only needed to report violations in name order.
    if extensions.keys.contains(where: { Self.extensionNameViolation($0) != nil }) {
      for name in extensions.keys.sorted() {
        if let reason = Self.extensionNameViolation(name) { add(name, reason) }
      }
    }
    return errors
  }

  /// Throws the first violation found by `validationErrors()`.
  public func validate() throws(CloudEventValidationError) {
    if let first = validationErrors().first { throw first }
  }

  /// Why `name` cannot be an extension attribute name, or `nil` when it can.
  static func extensionNameViolation(_ name: String) -> String? {
    var count = 0
    var onlyLowercaseAndDigits = true
    for byte in name.utf8 {
      count += 1
      if !((byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
        || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")))
      {
        onlyLowercaseAndDigits = false
      }
    }
    func lengthRule() -> String {
      "extension name must be 1 to \(maximumExtensionNameLength) characters long"
    }
    guard count > 0 else { return lengthRule() + ", found an empty name" }
    guard onlyLowercaseAndDigits else {
      return "extension name must contain only lowercase ASCII letters and digits (a-z, 0-9)"
    }
    guard count <= maximumExtensionNameLength else { return lengthRule() + ", found \(count)" }
    guard !reservedAttributeNames.contains(name) else {
      return "extension name is reserved for a CloudEvents attribute"
    }
    return nil
  }
}
