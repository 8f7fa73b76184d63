import Foundation
import Testing

@testable import Hebbian

@Suite struct ModelFileTests {
  func sample() -> ModelFile {
    ModelFile(
      kind: "pca.gha", shapes: [6, 2],
      parameters: [.init("eta0", 0.5), .init("t0", 100)],
      counters: [.init("samples", 12345), .init("pass", 1)],
      arrays: [.init("W", (0..<12).map { Float($0) * 0.25 - 1 }), .init("mean", [1, 2, 3, 4, 5, 6])])
  }

  /// Recomputes the trailing CRC so a test can reach the checks behind it.
  func resealed(_ bytes: [UInt8]) -> [UInt8] {
    var b = Array(bytes.dropLast(4))
    let c = CRC32.checksum(b)
    for i in 0..<4 { b.append(UInt8(truncatingIfNeeded: c >> (8 * UInt32(i)))) }
    return b
  }

  @Test func crc32MatchesTheStandardCheckValue() {
    // The CRC-32 of "123456789" is 0xCBF43926 by definition of the algorithm.
    #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
  }

  /// The seed corpus file was written by a separate encoder (Python's struct + zlib.crc32):
  /// the layout and the checksum are the documented ones, not just self-consistent.
  @Test func decodesAFileFromAnIndependentEncoder() throws {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("../Fuzz/corpus/modelfile/gha-6x2")
    let bytes = [UInt8](try Data(contentsOf: url))
    let m = try ModelFile(decoding: bytes)
    #expect(m.kind == "pca.gha")
    #expect(m.shapes == [6, 2])
    #expect(try m.parameter("eta0") == 0.5)
    #expect(try m.counter("samples") == 100)
    let w = try m.array("W", count: 12)
    #expect(abs(w[11] - 1.1) < 1e-6)
    #expect(m.encoded() == bytes)
  }

  @Test func roundTripsEveryField() throws {
    let m = sample()
    let decoded = try ModelFile(decoding: m.encoded())
    #expect(decoded == m)
    #expect(try decoded.parameter("t0") == 100)
    #expect(try decoded.counter("samples") == 12345)
    #expect(try decoded.array("mean", count: 6) == [1, 2, 3, 4, 5, 6])
    #expect(throws: HebbianError.self) { try decoded.array("mean", count: 5) }
    #expect(throws: HebbianError.self) { try decoded.parameter("nope") }
  }

  @Test func everyTruncationIsAnError() {
    let bytes = sample().encoded()
    for n in 0..<bytes.count {
      #expect(throws: HebbianError.self) { try ModelFile(decoding: Array(bytes[0..<n])) }
    }
  }

  @Test func everySingleBitFlipIsDetected() {
    // CRC-32 detects every single-bit error; magic and version are checked before it.
    let bytes = sample().encoded()
    for i in 0..<bytes.count {
      for bit in [0, 5] {
        var b = bytes
        b[i] ^= UInt8(1 << bit)
        #expect(throws: HebbianError.self) { try ModelFile(decoding: b) }
      }
    }
  }

  @Test func messagesNameTheProblem() {
    var bytes = sample().encoded()
    func message(_ b: [UInt8]) -> String {
      do {
        _ = try ModelFile(decoding: b)
        return ""
      } catch { return error.message }
    }
    #expect(message(Array("not a model".utf8)).contains("bad magic"))
    bytes[8] = 9  // version 9
    #expect(message(bytes).contains("version 9"))
    bytes = sample().encoded()
    bytes[40] ^= 0xFF
    #expect(message(bytes).contains("CRC mismatch"))
  }

  @Test func hugeDeclaredSizesFailWithoutAllocating() {
    // A shape count of 0xFFFFFFFF behind a valid CRC: must be rejected by the length check.
    var bytes = ModelFile(kind: "k", shapes: []).encoded()
    // magic(8) + version(4) + kind(2+1) = 15: the shape count lives at 15..<19.
    for i in 15..<19 { bytes[i] = 0xFF }
    #expect(throws: HebbianError.self) { try ModelFile(decoding: resealed(bytes)) }
    let m = ModelFile(kind: "k", shapes: [], arrays: [.init("W", [1, 2])])
    var b2 = m.encoded()
    // The array length (u64) sits right after the array name: find "W" and patch after it.
    let nameAt = b2.count - 4 - 8 - 8 - 1
    #expect(b2[nameAt] == UInt8(ascii: "W"))
    for i in (nameAt + 1)..<(nameAt + 9) { b2[i] = 0xFF }
    #expect(throws: HebbianError.self) { try ModelFile(decoding: resealed(b2)) }
  }

  @Test func shapeMismatchNamesTheAxis() throws {
    let m = sample()
    try m.expect(kind: "pca.gha", shapes: [6, 2], shapeNames: ["dimension", "components"])
    do {
      try m.expect(kind: "pca.gha", shapes: [6, 3], shapeNames: ["dimension", "components"])
      Issue.record("expected an error")
    } catch { #expect(error.message.contains("components is 2")) }
    #expect(throws: HebbianError.self) {
      try m.expect(kind: "pca.oja", shapes: [6, 2], shapeNames: [])
    }
  }
}
