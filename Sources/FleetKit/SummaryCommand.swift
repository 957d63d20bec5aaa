import ArgumentParser
import Foundation
import GRDB

/// `fleet summary`: what each consumer service did, from its ledger (SQLite) and a scrape of its
/// `/metrics` (Prometheus text): processed, duplicates skipped, retried, dead-lettered, and the
/// rows of every effect table. Used at the end of `ops/scripts/run-fleet.sh`.
public struct SummaryCommand: AsyncParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "summary",
    abstract: "Per-service summary from ledgers and metrics scrapes.",
    discussion: """
      fleet summary --ledger charge-capture=run/x/charge-capture.sqlite \\
                    --metrics charge-capture=run/x/charge-capture.metrics ...
      """)

  @Option(name: .customLong("ledger"), help: "SERVICE=PATH of a service's SQLite ledger (repeatable).")
  var ledgers: [String] = []

  @Option(name: .customLong("metrics"), help: "SERVICE=FILE of a /metrics scrape (repeatable).")
  var metrics: [String] = []

  @Flag(help: "Print JSON instead of a table.")
  var json = false

  public init() {}

  public func run() async throws {
    let ledgerPaths = try Self.pairs(ledgers, option: "--ledger")
    let metricFiles = try Self.pairs(metrics, option: "--metrics")
    var reports: [ServiceSummary] = []
    for (service, path) in ledgerPaths.sorted(by: { $0.key < $1.key }) {
      let metricsText = metricFiles[service].flatMap { try? String(contentsOfFile: $0, encoding: .utf8) }
      reports.append(try ServiceSummary.load(service: service, ledgerPath: path, metricsText: metricsText))
    }
    let console = FleetConsole.current
    if json {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
      console.print(String(decoding: try encoder.encode(reports), as: UTF8.self))
      return
    }
    console.print(ServiceSummary.render(reports))
  }

  static func pairs(_ values: [String], option: String) throws -> [String: String] {
    var result: [String: String] = [:]
    for value in values {
      guard let eq = value.firstIndex(of: "="), eq != value.startIndex else {
        throw ValidationError("\(option) expects SERVICE=PATH, got '\(value)'")
      }
      result[String(value[..<eq])] = String(value[value.index(after: eq)...])
    }
    return result
  }
}

/// What one service did.
public struct ServiceSummary: Codable, Sendable, Equatable {
  public var service: String
  /// Ledger rows by status (`processed`, `failed`).
  public var ledger: [String: Int]
  /// Event outcomes counted by the running service (from `fleet_events_total`), when scraped.
  public var outcomes: [String: Int]
  /// Rows per effect table (every table of the service's file but the ledger and migrations).
  public var tables: [String: Int]

  /// Reads a ledger file (read-only) and an optional metrics scrape.
  public static func load(service: String, ledgerPath: String, metricsText: String?) throws -> ServiceSummary
  {
    var configuration = Configuration()
    configuration.readonly = true
    let queue = try DatabaseQueue(path: ledgerPath, configuration: configuration)
    let (ledger, tables) = try queue.read { db -> ([String: Int], [String: Int]) in
      var ledger: [String: Int] = [:]
      for row in try Row.fetchAll(
        db, sql: "SELECT status, COUNT(*) AS n FROM fw_domain_events GROUP BY status")
      {
        ledger[row["status"]] = row["n"]
      }
      var tables: [String: Int] = [:]
      let names = try String.fetchAll(
        db,
        sql: """
          SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
            AND name NOT LIKE 'grdb_%' AND name <> 'fw_domain_events' ORDER BY name
          """)
      for name in names {
        tables[name] =
          try Int.fetchOne(
            db, sql: "SELECT COUNT(*) FROM \"\(name.replacingOccurrences(of: "\"", with: ""))\"") ?? 0
      }
      return (ledger, tables)
    }
    return ServiceSummary(
      service: service, ledger: ledger, outcomes: metricsText.map(Self.outcomes(fromMetrics:)) ?? [:],
      tables: tables)
  }

  /// Sums `fleet_events_total` by its `outcome` label.
  public static func outcomes(fromMetrics text: String) -> [String: Int] {
    var result: [String: Int] = [:]
    for line in text.split(separator: "\n") where line.hasPrefix("fleet_events_total{") {
      guard let range = line.range(of: "outcome=\""),
        let close = line[range.upperBound...].firstIndex(of: "\""),
        let value = line.split(separator: " ").last.flatMap({ Double($0) })
      else { continue }
      result[String(line[range.upperBound..<close]), default: 0] += Int(value)
    }
    return result
  }

  /// A readable table, one block per service.
  public static func render(_ summaries: [ServiceSummary]) -> String {
    var lines: [String] = []
    let header = ["service", "processed", "duplicates", "retried", "dead-lettered", "ledger ok/failed"]
    var rows: [[String]] = [header]
    for s in summaries {
      rows.append([
        s.service, "\(s.outcomes["processed"] ?? s.ledger["processed"] ?? 0)",
        "\(s.outcomes["duplicate"] ?? 0)",
        "\(s.outcomes["retry_scheduled"] ?? 0)", "\(s.outcomes["dead_lettered"] ?? s.ledger["failed"] ?? 0)",
        "\(s.ledger["processed"] ?? 0)/\(s.ledger["failed"] ?? 0)",
      ])
    }
    let widths = header.indices.map { i in rows.map { $0[i].count }.max() ?? 0 }
    for (n, row) in rows.enumerated() {
      lines.append(
        row.enumerated().map { i, cell in
          i == 0
            ? cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
            : String(repeating: " ", count: widths[i] - cell.count) + cell
        }.joined(separator: "  "))
      if n == 0 { lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")) }
    }
    lines.append("")
    for s in summaries {
      let tables = s.tables.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
      lines.append("\(s.service): \(tables)")
    }
    return lines.joined(separator: "\n")
  }
}
