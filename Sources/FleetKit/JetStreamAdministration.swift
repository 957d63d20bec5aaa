import JetStream
import StreamTopology

/// The JetStream management calls `fleet` needs, with configurations and infos as raw JSON (the
/// exact `$JS.API` shapes), so the files of streams/ are sent unchanged and server fields the
/// typed API does not model still reach ``ApplyPlanner`` and `--json` output.
/// ``JetStream/JetStreamContext`` provides it; tests may substitute their own.
public protocol JetStreamAdministration: Sendable {
  /// `STREAM.INFO.<name>`: the stream info (`config`, `state`, …), or `nil` when the stream does
  /// not exist.
  func streamInfoJSON(named name: String) async throws -> JSONValue?
  /// `CONSUMER.INFO.<stream>.<name>`: the consumer info (`config`, `num_pending`, …), or `nil`
  /// when the consumer or its stream does not exist.
  func consumerInfoJSON(stream: String, name: String) async throws -> JSONValue?
  /// `STREAM.LIST`, all pages: the info of every stream.
  func streamInfosJSON() async throws -> [JSONValue]
  /// `CONSUMER.LIST.<stream>`, all pages: the info of every consumer of `stream`.
  func consumerInfosJSON(stream: String) async throws -> [JSONValue]
  /// `STREAM.CREATE.<name>` with `json` (a stream configuration) as the body.
  func createStream(json: JSONValue) async throws
  /// `STREAM.UPDATE.<name>` with `json` (a stream configuration) as the body.
  func updateStream(json: JSONValue) async throws
  /// `CONSUMER.CREATE.<stream>.<name>` with `json` (a consumer configuration) and `action`.
  func createOrUpdateConsumer(stream: String, json: JSONValue, action: ConsumerCreateAction) async throws
}
