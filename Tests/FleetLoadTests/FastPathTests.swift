import FleetLoad
import XCTest

final class FastPathTests: XCTestCase {
  func testUnvalidatedEnvelopesAreByteIdenticalToTheEncoders() {
    var fast = LoadGenerator(profile: LoadSample.profile, startTime: LoadSample.startTime)
    fast.validatesEnvelopes = false
    XCTAssertEqual(
      LoadSample.transcript(fast.next(LoadSample.count)), LoadSample.transcript(LoadSample.events))
  }
}
