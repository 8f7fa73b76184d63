import CHebbianSys
import Testing

/// The passes the roofline's reference is timed on move exactly the bytes they claim: a wrong
/// copy or a skipped pass would make the reference look faster than memory.
@Suite struct BandwidthPassTests {
  /// A 64-byte aligned buffer of n floats, its values i * 0.5 + offset.
  func buffer(_ n: Int, offset: Float) -> UnsafeMutablePointer<Float> {
    let p = UnsafeMutableRawPointer.allocate(byteCount: max(n, 1) * 4, alignment: 64)
      .bindMemory(to: Float.self, capacity: max(n, 1))
    for i in 0..<n { p[i] = Float(i) * 0.5 + offset }
    return p
  }

  @Test(arguments: [0, 1, 7, 8, 31, 32, 33, 64, 65, 100, 1027, 4160])
  func copiesAreExactWithAndWithoutNonTemporalStores(n: Int) {
    for nontemporal: Int32 in [0, 1] {
      let src = buffer(n, offset: 1), dst = buffer(n, offset: -7)
      defer {
        UnsafeMutableRawPointer(src).deallocate()
        UnsafeMutableRawPointer(dst).deallocate()
      }
      hb_sys_copy_pass(dst, src, n, nontemporal)
      #expect((0..<n).allSatisfy { dst[$0] == src[$0] })
    }
  }

  /// Lengths around the passes' steps of 64 floats (over one stream or four) and their scalar
  /// rest.
  @Test(arguments: [0, 1, 7, 33, 63, 64, 65, 100, 1027, 4000])
  func theReadPassSumsAndTheInPlacePassScales(n: Int) {
    let p = buffer(n, offset: 0.25)
    defer { UnsafeMutableRawPointer(p).deallocate() }
    // Sums of multiples of 0.25 below 2^24 quarters are exact in any order.
    let expected = (0..<n).reduce(Float(0)) { $0 + Float($1) * 0.5 + 0.25 }
    // One stream, four quarters, four rows of 16 or 48 floats (whole groups and a rest), and
    // rows the vector bodies cannot take (20 floats).
    for (streams, row) in [(1, 0), (4, 0), (4, 16), (4, 48), (4, 20)] {
      #expect(hb_sys_read_pass(p, n, streams, row) == expected)
    }
    hb_sys_update_pass(p, n, 2, 1, 0)
    hb_sys_update_pass(p, n, 0.5, 4, 0)
    hb_sys_update_pass(p, n, 2, 4, 48)
    hb_sys_update_pass(p, n, 0.5, 4, 16)
    hb_sys_update_pass(p, n, 2, 4, 20)
    #expect((0..<n).allSatisfy { p[$0] == 2 * (Float($0) * 0.5 + 0.25) })
  }
}
