import CloudEvents
import XCTest

/// Events shared by the format and binding tests.
enum CloudEventFixtures {
  static let jsonData = #"{"patientId":"0dbf5a8b","n":[1,2.5,true,null],"s":"caf\u00e9 \"q\""}"#

  /// Every attribute set, extensions of all three kinds, JSON data.
  static func fullEvent(
    data: [UInt8]? = Array(jsonData.utf8), datacontenttype: String? = "application/json"
  ) throws -> CloudEvent {
    CloudEvent(
      id: "7f1c9a52-0d8e-4f7b-9a51-3c2f4e5d6a7b", source: "encoreos/cl",
      type: "encoreos.cl.progress_note_signed",
      datacontenttype: datacontenttype,
      dataschema: "https://schemas.example.com/cl/progress_note_signed/v1.json",
      subject: "note 42 / \"draft\" café 😀",
      time: try XCTUnwrap(CloudEventTimestamp(rfc3339: "2026-04-17T10:00:00.123+02:00")),
      extensions: [
        "correlationid": .string("lead-1_to_patient_2026"), "organizationid": .string("org-1"),
        "retries": .integer(-3), "sampled": .bool(true), "big": .integer(Int64.max),
      ],
      data: data)
  }

  static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

  static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
}
