import CloudEvents
import DomainEvents
import FleetLoad
import Foundation

/// 5,000 events of the default profile, generated once and shared by the tests.
enum LoadSample {
  static let startTime = Date(timeIntervalSince1970: 1_776_420_000)  // 2026-04-17T10:00:00Z
  static let profile = LoadProfile(seed: 20_260_417)
  static let count = 5_000

  static let events: [GeneratedEvent] = {
    var generator = LoadGenerator(profile: profile, startTime: startTime)
    return generator.next(count)
  }()

  /// Valid events decoded (duplicates included), in order.
  static let decoded: [(GeneratedEvent, DecodedDomainEvent)] = events.compactMap { generated in
    guard generated.invalidity == nil, let decoded = try? DomainEventDecoder.decode(generated.event) else {
      return nil
    }
    return (generated, decoded)
  }

  /// Structured-mode JSON of every event, plus its subject and flags, one line each.
  static func transcript(_ events: [GeneratedEvent]) -> [UInt8] {
    var bytes: [UInt8] = []
    for generated in events {
      let header =
        "\(generated.subject) \(generated.kind?.rawValue ?? "-") \(generated.flow.rawValue) "
        + "\(generated.isDuplicate) \(generated.invalidity?.rawValue ?? "-") "
      bytes += Array(header.utf8)
      bytes += (try? CloudEventJSONFormat.encode(generated.event)) ?? Array("unencodable".utf8)
      bytes.append(UInt8(ascii: "\n"))
    }
    return bytes
  }
}
