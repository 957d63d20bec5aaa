extension Topology {
  /// Checks the topology the way the server would, plus the fleet's own rules, and returns every
  /// problem found (empty when the topology is sound):
  ///
  /// - names: stream and durable names valid for JetStream (no `.`, `*`, `>`, whitespace or path
  ///   separators), unique, and matching their file names (`<NAME>.json`, `<STREAM>--<DURABLE>.json`);
  /// - streams: known retention/storage, valid subject filters, no subjects shared by two streams
  ///   (JetStream error 10065), `num_replicas` in 1...5, something to store (subjects or sources);
  /// - sources: the upstream stream exists; `filter_subject` and `subject_transforms` not both set
  ///   (10144); filters valid and not overlapping (10147); every filter names subjects the upstream
  ///   actually stores; no subject taken twice from one upstream;
  /// - consumers: the stream exists; explicit acks, no `backoff` (it would shorten `ack_wait`;
  ///   retries use `-NAK` delays), replicas equal to the stream's on WorkQueue streams (10134);
  ///   filters valid and matching something the stream holds; and on a WorkQueue stream no two
  ///   consumers with the same or overlapping filters, two unfiltered ones included (10100).
  public func validate() -> [TopologyProblem] {
    var problems: [TopologyProblem] = []
    validateStreams(into: &problems)
    validateSources(into: &problems)
    validateConsumers(into: &problems)
    return problems
  }

  private func validateStreams(into problems: inout [TopologyProblem]) {
    var seen: Set<String> = []
    for (position, stream) in streams.enumerated() {
      let file = Self.label(stream.path, stream.name)
      func report(_ message: String) { problems.append(TopologyProblem(file: file, message: message)) }

      if let reason = Self.nameProblem(stream.name) { report("stream name \"\(stream.name)\" \(reason)") }
      if !seen.insert(stream.name).inserted { report("stream \(stream.name) is defined more than once") }
      if !stream.path.isEmpty, Self.fileName(stream.path) != "\(stream.name).json" {
        report("the file of stream \(stream.name) must be named \(stream.name).json")
      }
      if let retention = stream.config["retention"],
        !["limits", "interest", "workqueue"].contains(retention.stringValue ?? "")
      {
        report("stream \(stream.name) has an unknown retention \(retention.serializedString())")
      }
      if let storage = stream.config["storage"], !["file", "memory"].contains(storage.stringValue ?? "") {
        report("stream \(stream.name) has an unknown storage \(storage.serializedString())")
      }
      if let replicas = stream.config["num_replicas"] {
        if !(replicas.int64Value.map { (1...5).contains($0) } ?? false) {
          report("stream \(stream.name) has num_replicas \(replicas.serializedString()); it must be 1 to 5")
        }
      }
      if stream.subjects.isEmpty && stream.sourcedSubjects.isEmpty {
        report("stream \(stream.name) has neither subjects nor sources, so it can never hold a message")
      }
      for subject in stream.subjects where !SubjectMatch.isValidFilter(subject) {
        report("stream \(stream.name) has an invalid subject \"\(subject)\"")
      }
      for earlier in streams[..<position] where earlier.name != stream.name {
        for subject in stream.subjects {
          for other in earlier.subjects where SubjectMatch.overlaps(subject, other) {
            report("subject \(subject) of stream \(stream.name) overlaps \(other) of stream \(earlier.name)")
          }
        }
      }
    }
  }

  private func validateSources(into problems: inout [TopologyProblem]) {
    for stream in streams {
      let file = Self.label(stream.path, stream.name)
      func report(_ message: String) { problems.append(TopologyProblem(file: file, message: message)) }
      guard let sources = stream.config["sources"]?.arrayValue else { continue }
      var taken: [(stream: String, subject: String)] = []
      for source in sources {
        let upstreamName = source["name"]?.stringValue ?? ""
        let filters = StreamDefinition.filters(ofSource: source)
        let transforms = source["subject_transforms"]?.arrayValue ?? []
        if !transforms.isEmpty, let single = source["filter_subject"]?.stringValue, !single.isEmpty {
          report("source \(upstreamName) sets both filter_subject and subject_transforms")
        }
        for transform in transforms {
          if let destination = transform["dest"]?.stringValue, !destination.isEmpty,
            !SubjectMatch.isValidFilter(destination)
          {
            report("source \(upstreamName) has an invalid transform destination \"\(destination)\"")
          }
        }
        for (index, filter) in filters.enumerated() {
          guard SubjectMatch.isValidFilter(filter) else {
            report("source \(upstreamName) has an invalid subject filter \"\(filter)\"")
            continue
          }
          for other in filters[..<index] where SubjectMatch.overlaps(filter, other) {
            report("source \(upstreamName) has overlapping filters \(other) and \(filter)")
          }
          for previous in taken
          where previous.stream == upstreamName && SubjectMatch.overlaps(previous.subject, filter) {
            report(
              "stream \(stream.name) takes \(filter) from \(upstreamName) twice (also via \(previous.subject))"
            )
          }
        }
        taken.append(contentsOf: filters.map { (stream: upstreamName, subject: $0) })

        guard upstreamName != stream.name else {
          report("stream \(stream.name) sources itself")
          continue
        }
        guard let upstream = self.stream(named: upstreamName) else {
          report("stream \(stream.name) sources unknown stream \(upstreamName)")
          continue
        }
        let stored = upstream.subjects.isEmpty ? upstream.sourcedSubjects.map(\.subject) : upstream.subjects
        for filter in filters where SubjectMatch.isValidFilter(filter) {
          if !stored.contains(where: { SubjectMatch.isSubset(filter, of: $0) }) {
            report("source filter \(filter) names subjects that stream \(upstreamName) does not store")
          }
        }
      }
    }
  }

  private func validateConsumers(into problems: inout [TopologyProblem]) {
    var seen: Set<String> = []
    for (position, consumer) in consumers.enumerated() {
      let file = Self.label(consumer.path, "\(consumer.stream)/\(consumer.name)")
      func report(_ message: String) { problems.append(TopologyProblem(file: file, message: message)) }
      let config = consumer.config

      if let reason = Self.nameProblem(consumer.name) {
        report("durable name \"\(consumer.name)\" \(reason)")
      }
      if let durable = config["durable_name"]?.stringValue, let name = config["name"]?.stringValue,
        !durable.isEmpty, !name.isEmpty, durable != name
      {
        report("consumer name \(name) differs from durable_name \(durable)")
      }
      if !seen.insert("\(consumer.stream)\u{0}\(consumer.name)").inserted {
        report("consumer \(consumer.name) on stream \(consumer.stream) is defined more than once")
      }
      if !consumer.path.isEmpty, Self.fileName(consumer.path) != "\(consumer.stream)--\(consumer.name).json" {
        report(
          "the file of consumer \(consumer.name) must be named \(consumer.stream)--\(consumer.name).json")
      }
      if let single = config["filter_subject"]?.stringValue, !single.isEmpty,
        !(config["filter_subjects"]?.arrayValue ?? []).isEmpty
      {
        report("consumer \(consumer.name) sets both filter_subject and filter_subjects")
      }
      for filter in consumer.filterSubjects where !SubjectMatch.isValidFilter(filter) {
        report("consumer \(consumer.name) has an invalid filter \"\(filter)\"")
      }
      if let backoff = config["backoff"]?.arrayValue, !backoff.isEmpty {
        report(
          "consumer \(consumer.name) sets backoff, which overrides ack_wait; retry with -NAK delays instead")
      }

      guard let stream = self.stream(named: consumer.stream) else {
        report("consumer \(consumer.name) reads unknown stream \(consumer.stream)")
        continue
      }
      let held = stream.subjects + stream.sourcedSubjects.map(\.subject)
      for filter in consumer.filterSubjects where SubjectMatch.isValidFilter(filter) {
        if !held.contains(where: { SubjectMatch.overlaps(filter, $0) }) {
          report("consumer filter \(filter) matches nothing stream \(stream.name) holds")
        }
      }
      if let replicas = config["num_replicas"] {
        let streamReplicas = stream.config["num_replicas"]?.int64Value ?? 1
        if let count = replicas.int64Value, (0...5).contains(count) {
          let mustMatch = stream.isWorkQueue || stream.config["retention"]?.stringValue == "interest"
          if mustMatch && count != 0 && count != streamReplicas {
            report(
              "consumer \(consumer.name) has num_replicas \(count) but stream \(stream.name) has \(streamReplicas); "
                + "they must match on WorkQueue and Interest streams")
          }
        } else {
          report(
            "consumer \(consumer.name) has num_replicas \(replicas.serializedString()); it must be 0 to 5")
        }
      }
      guard stream.isWorkQueue else { continue }
      if config["ack_policy"]?.stringValue != "explicit" {
        report("consumer \(consumer.name) on WorkQueue stream \(stream.name) must use ack_policy explicit")
      }
      let filters = consumer.filterSubjects.isEmpty ? [">"] : consumer.filterSubjects
      for other in consumers[..<position] where other.stream == consumer.stream && other.name != consumer.name
      {
        let otherFilters = other.filterSubjects.isEmpty ? [">"] : other.filterSubjects
        let clash = filters.contains { filter in otherFilters.contains { SubjectMatch.overlaps(filter, $0) } }
        if clash {
          report(
            "consumers \(other.name) and \(consumer.name) on WorkQueue stream \(stream.name) have overlapping "
              + "filters (\(otherFilters.joined(separator: ", ")) / \(filters.joined(separator: ", "))); "
              + "JetStream allows one consumer per subject on a WorkQueue (error 10100)")
        }
      }
    }
  }

  /// Why `name` is not a valid JetStream stream or durable name, or `nil` when it is.
  static func nameProblem(_ name: String) -> String? {
    if name.isEmpty { return "is empty" }
    if name.utf8.count > 255 { return "is longer than 255 bytes" }
    for character in name {
      if character == "." || character == "*" || character == ">" {
        return "must not contain '.', '*' or '>'"
      }
      if character == "/" || character == "\\" { return "must not contain path separators" }
      if character.isWhitespace { return "must not contain whitespace" }
      if character.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
        return "must not contain control characters"
      }
    }
    return nil
  }

  private static func label(_ path: String, _ fallback: String) -> String {
    path.isEmpty ? fallback : path
  }

  private static func fileName(_ path: String) -> String {
    String(path.split(separator: "/").last ?? Substring(path))
  }
}
