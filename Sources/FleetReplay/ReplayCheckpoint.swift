import Foundation

/// The resumable state of a replay, as the JSON file of `--checkpoint FILE`.
///
/// `position` is the last source position (stream sequence or file line) such that it and every
/// earlier one are settled without failure; a resume continues right after it with the same run
/// id, so anything re-sent carries the same `Nats-Msg-Id` and the stream's duplicate window drops
/// it. After a failed publish the position stops advancing, so a resume retries from there.
public struct ReplayCheckpoint: Sendable, Hashable, Codable {
  /// File format version.
  public var version: Int
  /// The run id (part of every message id).
  public var runID: String
  /// What was read (`stream CL_PM_EVENTS from seq 1`, …), for people.
  public var source: String
  /// The identity a resume must match (source without start, filters, target).
  public var key: String
  /// The last completed source position; `nil` before the first.
  public var position: UInt64?
  /// `seq` or `line`.
  public var unit: String
  /// Whether the source was read to its end.
  public var complete: Bool
  /// Totals over every run of this replay id.
  public var counts: ReplayCounts
  /// When it was written (RFC 3339).
  public var updatedAt: String

  /// The current format version.
  public static let currentVersion = 1

  /// Creates a checkpoint.
  public init(
    runID: String, source: String, key: String, position: UInt64?, unit: String, complete: Bool,
    counts: ReplayCounts, updatedAt: String
  ) {
    self.version = Self.currentVersion
    self.runID = runID
    self.source = source
    self.key = key
    self.position = position
    self.unit = unit
    self.complete = complete
    self.counts = counts
    self.updatedAt = updatedAt
  }

  enum CodingKeys: String, CodingKey {
    case version
    case runID = "run_id"
    case source, key, position, unit, complete, counts
    case updatedAt = "updated_at"
  }

  /// Reads a checkpoint file.
  ///
  /// - Throws: `ReplayError(.checkpoint)` when it is missing, unreadable, not a checkpoint, or of
  ///   another format version; never traps.
  public static func load(path: String) throws(ReplayError) -> ReplayCheckpoint {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ReplayError(.checkpoint, "no checkpoint at \(path)")
    }
    let checkpoint: ReplayCheckpoint
    do {
      checkpoint = try JSONDecoder().decode(ReplayCheckpoint.self, from: data)
    } catch {
      throw ReplayError(.checkpoint, "\(path) is not a replay checkpoint", cause: error)
    }
    guard checkpoint.version == currentVersion else {
      throw ReplayError(
        .checkpoint, "\(path) has checkpoint version \(checkpoint.version), expected \(currentVersion)")
    }
    guard ReplayOptions.isValidRunID(checkpoint.runID) else {
      throw ReplayError(.checkpoint, "\(path) holds an invalid run id")
    }
    return checkpoint
  }

  /// Writes the checkpoint atomically (a temporary file renamed over the old one), so an
  /// interruption never leaves half a file.
  ///
  /// - Throws: `ReplayError(.checkpoint)` when it cannot be written.
  public func save(path: String) throws(ReplayError) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    do {
      let data = try encoder.encode(self)
      try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
      throw ReplayError(.checkpoint, "cannot write the checkpoint \(path)", cause: error)
    }
  }
}
