/// The CRC16 checksum NKeys append to every encoded key (CRC-16/XMODEM: polynomial 0x1021, initial value 0).
public enum CRC16 {
  private static let table: [UInt16] = (0..<256).map { index in
    var crc = UInt16(index) << 8
    for _ in 0..<8 {
      crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1
    }
    return crc
  }

  /// The CRC-16/XMODEM of `bytes` (for example 0x31C3 for the ASCII bytes of "123456789").
  public static func xmodem<Bytes: Sequence>(_ bytes: Bytes) -> UInt16 where Bytes.Element == UInt8 {
    var crc: UInt16 = 0
    for byte in bytes {
      crc = (crc << 8) ^ table[Int(UInt8(truncatingIfNeeded: crc >> 8) ^ byte)]
    }
    return crc
  }
}
