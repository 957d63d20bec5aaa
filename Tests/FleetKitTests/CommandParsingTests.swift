import ArgumentParser
import FleetKit
import XCTest

/// `FleetCommand.parseAsRoot` for every verb.
final class CommandParsingTests: XCTestCase {
  private func parse<T>(_ arguments: [String], as type: T.Type) throws -> T {
    let command = try FleetCommand.parseAsRoot(arguments)
    return try XCTUnwrap(command as? T, "\(arguments) parsed as \(Swift.type(of: command))")
  }

  func testPub() throws {
    let command = try parse(
      [
        "pub", "orders.new", "hello", "--header", "K:V", "-H", "X: y", "--count", "3", "--reply", "r.1", "-s",
        "nats://h:1",
      ],
      as: PublishCommand.self)
    XCTAssertEqual(command.subject, "orders.new")
    XCTAssertEqual(command.data, "hello")
    XCTAssertEqual(command.header, ["K:V", "X: y"])
    XCTAssertEqual(command.count, 3)
    XCTAssertEqual(command.reply, "r.1")
    XCTAssertEqual(command.connection.server, "nats://h:1")
    let noData = try parse(["pub", "a"], as: PublishCommand.self)
    XCTAssertNil(noData.data)
    XCTAssertEqual(noData.count, 1)
    XCTAssertThrowsError(try FleetCommand.parseAsRoot(["pub", "a", "--count", "0"]))
    XCTAssertThrowsError(try FleetCommand.parseAsRoot(["pub"]))
  }

  func testSub() throws {
    let command = try parse(
      ["sub", "orders.>", "--queue", "q1", "--count", "2", "--headers", "--raw", "--wait", "1.5"],
      as: SubscribeCommand.self)
    XCTAssertEqual(command.subject, "orders.>")
    XCTAssertEqual(command.queue, "q1")
    XCTAssertEqual(command.count, 2)
    XCTAssertEqual(command.wait, 1.5)
    XCTAssertTrue(command.headers)
    XCTAssertTrue(command.raw)
    let plain = try parse(["sub", "x"], as: SubscribeCommand.self)
    XCTAssertNil(plain.count)
    XCTAssertFalse(plain.headers)
    XCTAssertThrowsError(try FleetCommand.parseAsRoot(["sub", "x", "--count", "-1"]))
  }

  func testRequest() throws {
    let command = try parse(
      [
        "request", "svc.echo", "ping", "--header", "A:1", "--timeout", "1.5", "--user", "u", "--password",
        "p",
      ],
      as: RequestCommand.self)
    XCTAssertEqual(command.subject, "svc.echo")
    XCTAssertEqual(command.data, "ping")
    XCTAssertEqual(command.header, ["A:1"])
    XCTAssertEqual(command.connection.timeout, 1.5)
    XCTAssertEqual(command.connection.user, "u")
    XCTAssertEqual(command.connection.password, "p")
    XCTAssertThrowsError(try FleetCommand.parseAsRoot(["request", "svc.echo"]), "DATA is required")
  }

  func testServerVerbs() throws {
    XCTAssertEqual(try parse(["server", "ping", "--count", "4"], as: ServerPingCommand.self).count, 4)
    XCTAssertEqual(try parse(["server", "ping"], as: ServerPingCommand.self).count, 3)
    let info = try parse(
      ["server", "info", "--tls-first", "--creds", "/u.creds"], as: ServerInfoCommand.self)
    XCTAssertTrue(info.connection.tlsFirst)
    XCTAssertEqual(info.connection.credentialsFile, "/u.creds")
  }

  func testStreamAndConsumerVerbs() throws {
    _ = try parse(["stream", "ls"], as: StreamListCommand.self)
    let info = try parse(["stream", "info", "REGISTRATION", "--json"], as: StreamInfoCommand.self)
    XCTAssertEqual(info.name, "REGISTRATION")
    XCTAssertTrue(info.json)
    XCTAssertEqual(
      try parse(["consumer", "ls", "WQ_GR_INCIDENTS"], as: ConsumerListCommand.self).stream, "WQ_GR_INCIDENTS"
    )
    let consumer = try parse(
      ["consumer", "info", "WQ_GR_INCIDENTS", "gr-incidents", "--json", "--nkey", "/k.nk"],
      as: ConsumerInfoCommand.self)
    XCTAssertEqual([consumer.stream, consumer.name], ["WQ_GR_INCIDENTS", "gr-incidents"])
    XCTAssertTrue(consumer.json)
    XCTAssertEqual(consumer.connection.nkeyFile, "/k.nk")
    XCTAssertThrowsError(try FleetCommand.parseAsRoot(["consumer", "info", "ONLY_STREAM"]))
  }

  func testStreamsApply() throws {
    let apply = try parse(
      ["streams", "apply", "--dir", "/tmp/topology", "--dry-run", "--replicas", "3", "--tls-ca", "/ca.pem"],
      as: StreamsApplyCommand.self)
    XCTAssertEqual(apply.dir, "/tmp/topology")
    XCTAssertTrue(apply.dryRun)
    XCTAssertEqual(apply.replicas, 3)
    XCTAssertEqual(apply.connection.tlsCA, "/ca.pem")
    let defaults = try parse(["streams", "apply"], as: StreamsApplyCommand.self)
    XCTAssertEqual(defaults.dir, "streams")
    XCTAssertFalse(defaults.dryRun)
    XCTAssertEqual(defaults.replicas, 1)
    XCTAssertThrowsError(try FleetCommand.parseAsRoot(["streams", "apply", "--replicas", "0"]))
  }

  func testEventsVerbs() throws {
    _ = try parse(["events", "ls"], as: EventsListCommand.self)
    let show = try parse(["events", "show", "progress_note_signed", "--schema"], as: EventsShowCommand.self)
    XCTAssertEqual(show.kind, "progress_note_signed")
    XCTAssertTrue(show.schema)
    XCTAssertFalse(try parse(["events", "show", "pm_patient_merged"], as: EventsShowCommand.self).schema)
  }

  func testUnknownVerbIsAParseError() {
    XCTAssertThrowsError(try FleetCommand.parseAsRoot(["frobnicate"]))
  }

  func testHeaderArguments() throws {
    XCTAssertNil(try HeaderArguments.parse([]))
    let headers = try XCTUnwrap(try HeaderArguments.parse(["A:1", "B: two:parts ", "A:again"]))
    XCTAssertEqual(headers.values(for: "A"), ["1", "again"])
    XCTAssertEqual(headers["B"], "two:parts")
    XCTAssertThrowsError(try HeaderArguments.parse(["no-colon"]))
    XCTAssertThrowsError(try HeaderArguments.parse([":value"]))
    XCTAssertThrowsError(try HeaderArguments.parse(["bad name:value"]))
  }
}
