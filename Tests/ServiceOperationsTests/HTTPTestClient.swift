import NIOCore
import NIOPosix
import XCTest

/// One parsed HTTP/1.1 response.
struct HTTPTestResponse {
  var status: Int
  var headers: [String: String]
  var body: String
}

/// A raw-bytes HTTP client over a NIO TCP connection: writes the request text, reads until the server closes.
enum HTTPTestClient {
  struct Timeout: Error {}

  /// Sends `requestText` as-is to 127.0.0.1:`port` and returns everything the server sends before closing,
  /// within `deadline`.
  static func exchange(port: Int, _ requestText: String, deadline: Duration = .seconds(10)) async throws
    -> String
  {
    do {
      return try await withDeadline(deadline) {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
          .connect(host: "127.0.0.1", port: port) { channel in
            channel.eventLoop.makeCompletedFuture {
              try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
            }
          }
        return try await channel.executeThenClose { inbound, outbound in
          try await outbound.write(ByteBuffer(string: requestText))
          var received = ByteBuffer()
          for try await chunk in inbound { received.writeImmutableBuffer(chunk) }
          return String(buffer: received)
        }
      }
    } catch is DeadlineExceeded {
      throw Timeout()
    }
  }

  /// One request with `Connection: close`, parsed.
  static func request(
    port: Int, method: String = "GET", path: String
  ) async throws -> HTTPTestResponse {
    let text = try await exchange(
      port: port, "\(method) \(path) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
    let responses = parse(text)
    guard responses.count == 1, let response = responses.first else {
      XCTFail("expected one response, got: \(text)")
      return HTTPTestResponse(status: 0, headers: [:], body: "")
    }
    return response
  }

  /// Splits a stream of responses using each `content-length`.
  static func parse(_ text: String) -> [HTTPTestResponse] {
    var responses: [HTTPTestResponse] = []
    var rest = Substring(text)
    while let headerEnd = rest.range(of: "\r\n\r\n") {
      let lines = rest[..<headerEnd.lowerBound].components(separatedBy: "\r\n")
      let statusParts = lines.first?.split(separator: " ") ?? []
      guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/1."), let status = Int(statusParts[1])
      else { break }
      var headers: [String: String] = [:]
      for line in lines.dropFirst() {
        guard let colon = line.firstIndex(of: ":") else { continue }
        headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
          in: .whitespaces)
      }
      let length = Int(headers["content-length"] ?? "0") ?? 0
      let bodyBytes = Array(rest[headerEnd.upperBound...].utf8.prefix(length))
      responses.append(
        HTTPTestResponse(status: status, headers: headers, body: String(decoding: bodyBytes, as: UTF8.self)))
      let consumed = String(decoding: bodyBytes, as: UTF8.self)
      rest = rest[headerEnd.upperBound...].dropFirst(consumed.count)
    }
    return responses
  }
}
