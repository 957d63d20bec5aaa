extension CloudEvent {
  /// The `correlationid` extension: the id that ties this event to the request or workflow that
  /// caused it (mirrored from the seed contracts' `metadata.correlation_id`). `nil` removes it.
  public var correlationID: String? {
    get { extensions["correlationid"]?.stringValue }
    set { extensions["correlationid"] = newValue.map(CloudEventExtensionValue.string) }
  }

  /// The `organizationid` extension: the tenant the event belongs to (mirrored from
  /// `metadata.organization_id`). `nil` removes it.
  public var organizationID: String? {
    get { extensions["organizationid"]?.stringValue }
    set { extensions["organizationid"] = newValue.map(CloudEventExtensionValue.string) }
  }

  /// The `traceparent` extension (W3C Trace Context, CloudEvents distributed tracing
  /// extension). `nil` removes it.
  public var traceparent: String? {
    get { extensions["traceparent"]?.stringValue }
    set { extensions["traceparent"] = newValue.map(CloudEventExtensionValue.string) }
  }
}
