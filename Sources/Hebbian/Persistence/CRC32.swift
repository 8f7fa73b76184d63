/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), the checksum zlib and PNG use, so a
/// model file can be checked with standard tools.
public struct CRC32 {
  public private(set) var value: UInt32 = 0xFFFF_FFFF

  static let table: [UInt32] = (0..<256).map { (n: Int) -> UInt32 in
    var c = UInt32(n)
    for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    return c
  }

  public init() {}

  public mutating func update(_ bytes: UnsafeRawBufferPointer) {
    var c = value
    Self.table.withUnsafeBufferPointer { t in
      for b in bytes { c = t[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
    }
    value = c
  }

  public var checksum: UInt32 { value ^ 0xFFFF_FFFF }

  public static func checksum(_ bytes: [UInt8]) -> UInt32 {
    var crc = CRC32()
    bytes.withUnsafeBytes { crc.update($0) }
    return crc.checksum
  }
}
