import Foundation
import NATSWire
import XCTest

@testable import JetStream

final class JetStreamJSONTests: XCTestCase {
  func testDecodesPubAck() throws {
    let ack = try PubAck.decode(Array(#"{"stream":"ORDERS","seq":42}"#.utf8))
    XCTAssertEqual(ack, PubAck(stream: "ORDERS", sequence: 42, duplicate: false, domain: nil))
    let dup = try PubAck.decode(Array(#"{"stream":"ORDERS","seq":42,"duplicate":true,"domain":"hub"}"#.utf8))
    XCTAssertTrue(dup.duplicate)
    XCTAssertEqual(dup.domain, "hub")
  }

  func testPubAckErrorBecomesAPIErrorWithCodesKept() {
    let body =
      #"{"error":{"code":400,"err_code":10071,"description":"wrong last sequence: 5"},"stream":"S","seq":0}"#
    XCTAssertThrowsError(try PubAck.decode(Array(body.utf8))) { error in
      guard let api = error as? JetStreamAPIError else { return XCTFail("\(error)") }
      XCTAssertEqual(api.code, 400)
      XCTAssertEqual(api.errorCode, 10071)
      XCTAssertEqual(api.description, "wrong last sequence: 5")
    }
  }

  func testGarbagePubAckIsInvalidResponse() {
    for body in ["", "not json", "[1,2]", #"{"seq":1}"#] {
      XCTAssertThrowsError(try PubAck.decode(Array(body.utf8)), body) { error in
        XCTAssertEqual((error as? JetStreamError)?.code, .invalidResponse, body)
      }
    }
  }

  func testAPIErrorEnvelopeOfManagementResponse() {
    let body =
      #"{"type":"io.nats.jetstream.api.v1.stream_info_response","error":{"code":404,"err_code":10059,"description":"stream not found"}}"#
    XCTAssertThrowsError(
      try JetStreamJSON.decodeResponse(StreamInfo.self, from: Array(body.utf8), context: "STREAM.INFO")
    ) { error in
      XCTAssertEqual(
        error as? JetStreamAPIError,
        JetStreamAPIError(code: 404, errorCode: 10059, description: "stream not found"))
    }
  }

  func testDecodesStreamInfo() throws {
    let body = #"""
      {"type":"io.nats.jetstream.api.v1.stream_create_response","config":{"name":"S","subjects":["s.>"],
      "retention":"workqueue","max_consumers":-1,"max_msgs":-1,"max_bytes":-1,"max_age":220898160000000000,
      "max_msgs_per_subject":-1,"max_msg_size":-1,"discard":"old","storage":"file","num_replicas":1,
      "duplicate_window":120000000000,"compression":"none","allow_direct":true,"mirror_direct":false,
      "sealed":false,"deny_delete":false,"deny_purge":false,"allow_rollup_hdrs":false,"consumer_limits":{},
      "some_future_field":{"x":1}},"created":"2025-01-01T00:00:00.123456789Z",
      "state":{"messages":3,"bytes":300,"first_seq":1,"first_ts":"2025-01-01T00:00:00Z","last_seq":3,
      "last_ts":"2025-01-01T00:00:01Z","consumer_count":1},"ts":"2025-01-01T00:00:02Z","did_create":true}
      """#
    let info = try JetStreamJSON.decodeResponse(StreamInfo.self, from: Array(body.utf8), context: "test")
    XCTAssertEqual(info.config.name, "S")
    XCTAssertEqual(info.config.retention, .workQueue)
    XCTAssertEqual(info.config.storage, .file)
    XCTAssertEqual(info.config.maxAge, 220_898_160_000_000_000)
    XCTAssertEqual(info.config.duplicateWindow, 120_000_000_000)
    XCTAssertEqual(info.config.allowDirect, true)
    XCTAssertEqual(info.state.messages, 3)
    XCTAssertEqual(info.state.lastSequence, 3)
    XCTAssertEqual(info.state.consumerCount, 1)
  }

  func testUnknownPolicyValuesSurvive() throws {
    let body = #"{"name":"S","retention":"something_new","storage":"file"}"#
    let config = try JetStreamJSON.decode(StreamConfig.self, from: Array(body.utf8), context: "test")
    XCTAssertEqual(config.retention?.rawValue, "something_new")
    XCTAssertEqual(config.storage, .file)
    let json = try XCTUnwrap(JetStreamJSON.object(try JetStreamJSON.encode(config)))
    XCTAssertEqual(json["retention"] as? String, "something_new", "written back unchanged")
    XCTAssertEqual(json["storage"] as? String, "file")
  }

  func testConsumerConfigEncodesSnakeCaseAndNanoseconds() throws {
    var config = ConsumerConfig(durableName: "charge-capture")
    config.ackWait = 30_000_000_000
    config.maxDeliver = 4
    config.maxAckPending = 1024
    config.deliverPolicy = .all
    let json = try XCTUnwrap(JetStreamJSON.object(try JetStreamJSON.encode(config)))
    XCTAssertEqual(json["durable_name"] as? String, "charge-capture")
    XCTAssertEqual(json["ack_policy"] as? String, "explicit")
    XCTAssertEqual((json["ack_wait"] as? NSNumber)?.int64Value, 30_000_000_000)
    XCTAssertEqual((json["max_deliver"] as? NSNumber)?.intValue, 4)
    XCTAssertEqual((json["max_ack_pending"] as? NSNumber)?.intValue, 1024)
    XCTAssertEqual(json["deliver_policy"] as? String, "all")
    XCTAssertNil(json["filter_subject"], "nil fields are omitted")
  }

  func testPullRequestEncoding() throws {
    let request = PullConsumerStateMachine.PullRequest(
      batch: 10, maxBytes: 4096, expires: .seconds(30), noWait: false, heartbeat: .seconds(5))
    let json = try XCTUnwrap(JetStreamJSON.object(try JetStreamJSON.encode(request)))
    XCTAssertEqual((json["batch"] as? NSNumber)?.intValue, 10)
    XCTAssertEqual((json["max_bytes"] as? NSNumber)?.intValue, 4096)
    XCTAssertEqual((json["expires"] as? NSNumber)?.int64Value, 30_000_000_000)
    XCTAssertEqual((json["idle_heartbeat"] as? NSNumber)?.int64Value, 5_000_000_000)
    XCTAssertNil(json["no_wait"])
    let noWait = try JetStreamJSON.encode(PullConsumerStateMachine.PullRequest(batch: 1, noWait: true))
    XCTAssertEqual(String(decoding: noWait, as: UTF8.self), #"{"batch":1,"no_wait":true}"#)
  }

  func testPublishOptionsHeaders() throws {
    let options = JetStreamPublishOptions(
      msgId: "id-1", expectedStream: "S", expectedLastSequence: 7, expectedLastSubjectSequence: 3,
      expectedLastMsgId: "id-0")
    let headers = try XCTUnwrap(options.applied(to: NATSHeaders([("ce-id", "x")])))
    XCTAssertEqual(headers["Nats-Msg-Id"], "id-1")
    XCTAssertEqual(headers["Nats-Expected-Stream"], "S")
    XCTAssertEqual(headers["Nats-Expected-Last-Sequence"], "7")
    XCTAssertEqual(headers["Nats-Expected-Last-Subject-Sequence"], "3")
    XCTAssertEqual(headers["Nats-Expected-Last-Msg-Id"], "id-0")
    XCTAssertEqual(headers["ce-id"], "x")
    XCTAssertNil(JetStreamPublishOptions().applied(to: nil), "no options, no headers")
  }

  func testAppendingActionToRawConsumerRequest() throws {
    let body = Array(#"{"stream_name":"S","config":{"durable_name":"d","max_age":220898160000000000}}"#.utf8)
    let out = try JetStreamContext.appendingAction("create", to: body)
    XCTAssertEqual(
      String(decoding: out, as: UTF8.self),
      #"{"stream_name":"S","config":{"durable_name":"d","max_age":220898160000000000},"action":"create"}"#)
    let empty = try JetStreamContext.appendingAction("update", to: Array("{ }".utf8))
    XCTAssertEqual(String(decoding: empty, as: UTF8.self), #"{ "action":"update"}"#)
    XCTAssertThrowsError(try JetStreamContext.appendingAction("create", to: Array("[]".utf8)))
  }

  func testConsumerCreateSubject() {
    XCTAssertEqual(
      JetStreamContext.consumerCreateOperation(stream: "S", name: "c", filter: "a.b"),
      "CONSUMER.CREATE.S.c.a.b")
    XCTAssertEqual(
      JetStreamContext.consumerCreateOperation(stream: "S", name: "c", filter: "a.>"), "CONSUMER.CREATE.S.c",
      "a wildcard filter stays in the body only")
    XCTAssertEqual(
      JetStreamContext.consumerCreateOperation(stream: "S", name: "c", filter: nil), "CONSUMER.CREATE.S.c")
  }

  func testAPIPrefixAndDomain() throws {
    XCTAssertEqual(JetStreamContext.apiPrefix(domain: nil, apiPrefix: nil), "$JS.API")
    XCTAssertEqual(JetStreamContext.apiPrefix(domain: "hub", apiPrefix: nil), "$JS.hub.API")
    XCTAssertEqual(JetStreamContext.apiPrefix(domain: "hub", apiPrefix: "$JS.other.API."), "$JS.other.API")
  }

  func testAckBodies() {
    XCTAssertEqual(String(decoding: JetStreamMessage.AckKind.ack.body, as: UTF8.self), "+ACK")
    XCTAssertEqual(String(decoding: JetStreamMessage.AckKind.nak(delay: nil).body, as: UTF8.self), "-NAK")
    XCTAssertEqual(
      String(decoding: JetStreamMessage.AckKind.nak(delay: .seconds(2)).body, as: UTF8.self),
      #"-NAK {"delay": 2000000000}"#)
    XCTAssertEqual(String(decoding: JetStreamMessage.AckKind.inProgress.body, as: UTF8.self), "+WPI")
    XCTAssertEqual(String(decoding: JetStreamMessage.AckKind.term(reason: nil).body, as: UTF8.self), "+TERM")
    XCTAssertEqual(
      String(decoding: JetStreamMessage.AckKind.term(reason: "bad payload").body, as: UTF8.self),
      "+TERM bad payload")
  }

  func testAckWithoutReplySubjectIsRejected() async {
    let message = JetStreamMessage(
      NATSMessageFixture.plain(subject: "x", replyTo: nil), client: nil)
    XCTAssertNil(message.metadata)
    do {
      try await message.ack()
      XCTFail("ack without reply subject must fail")
    } catch {
      XCTAssertEqual((error as? JetStreamError)?.code, .notAJetStreamMessage)
    }
  }

  /// Metadata is parsed on first use from the reply subject the message was delivered with, and
  /// shared by copies; changing `replyTo` afterwards does not change it.
  func testMetadataIsParsedFromTheDeliveredReplySubject() throws {
    let delivered = "$JS.ACK.ORDERS.worker.3.1042.17.1700000000000000000.5"
    var message = JetStreamMessage(
      NATSMessageFixture.plain(subject: "orders.new", replyTo: delivered), client: nil)
    let copy = message
    message.replyTo = "_INBOX.other"
    let expected = try XCTUnwrap(JetStreamAckMetadata.parse(delivered))
    XCTAssertEqual(message.metadata, expected)
    XCTAssertEqual(copy.metadata, expected)
    XCTAssertEqual(expected.streamSequence, 1042)
    XCTAssertNil(
      JetStreamMessage(NATSMessageFixture.plain(subject: "x", replyTo: "_INBOX.abc"), client: nil).metadata)
  }

}
