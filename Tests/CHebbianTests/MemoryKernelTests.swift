import CHebbian
import Glibc
import Hebbian
import Testing

/// Every compiled, supported variant of the memory family against the scalar reference.
@Suite struct MemoryKernelTests {
  static var variants: [UnsafePointer<hb_memory_kernels>] {
    variantTables(hb_memory_kernels_for).map(\.table)
  }

  @Test func bitOverlapMatchesScalarOnEveryWordCountAndOffset() {
    // Exact: overlaps are integers, any popcount order gives the same count.
    let scalar = hb_memory_kernels_for(HB_ISA_SCALAR)!.pointee
    var rng = SeededGenerator(seed: 11)
    let maxWords = 140
    var xi = [UInt64](repeating: 0, count: 9 * maxWords + 3)
    var s = [UInt64](repeating: 0, count: maxWords + 3)
    var ref = [Float](repeating: 0, count: 9)
    var got = [Float](repeating: 0, count: 9)
    var checked = 0
    for n in Array(1...67) + [127, 128, 129, 255, 256, 257, 64 * 31 * 4 + 65, 64 * 137 + 3] {
      let words = (n + 63) / 64
      for offset in 0..<2 {
        for k in 0..<xi.count { xi[k] = rng.next() }
        for k in 0..<s.count { s[k] = rng.next() }
        let pad: UInt64 = n % 64 == 0 ? ~0 : (1 << UInt64(n % 64)) - 1
        let ld = words + 1
        for mu in 0..<9 { xi[offset + mu * ld + words - 1] &= pad }
        s[offset + words - 1] &= pad
        xi.withUnsafeBufferPointer { xp in
          s.withUnsafeBufferPointer { sp in
            scalar.bit_overlap(9, n, xp.baseAddress! + offset, ld, sp.baseAddress! + offset, &ref)
            for t in Self.variants {
              t.pointee.bit_overlap(
                9, n, xp.baseAddress! + offset, ld, sp.baseAddress! + offset, &got)
              #expect(got == ref, "isa \(t.pointee.isa.rawValue) n \(n) offset \(offset)")
              checked += 1
            }
          }
        }
      }
    }
    #expect(checked >= 2 * 75)
  }

  @Test func bitOverlapIsAgreementsMinusDisagreements() {
    var rng = SeededGenerator(seed: 3)
    let n = 150
    var a = [Float](repeating: 0, count: n)
    var b = [Float](repeating: 0, count: n)
    for j in 0..<n {
      a[j] = rng.sign()
      b[j] = rng.sign()
    }
    var pa = [UInt64](repeating: 0, count: 3)
    var pb = [UInt64](repeating: 0, count: 3)
    hb_pack_signs_u64(n, a, &pa)
    hb_pack_signs_u64(n, b, &pb)
    var m: Float = 0
    hb_bit_overlap_f32(1, n, pa, 3, pb, &m)
    var dot: Float = 0
    for j in 0..<n { dot += a[j] * b[j] }
    #expect(m == dot)  // exact: both are the same integer
    #expect(pa[2] >> UInt64(n - 128) == 0)  // padding bits stay zero
  }

  @Test func softmaxMatchesScalarWithinPolynomialExpError() {
    // The vector exp is within ~2 ulp (3e-7 relative) of expf, and the normaliser is a sum
    // of at most 67 terms each in (0, 1] with Z >= 1, so its reordering error is below
    // 67 * 6e-8 = 4e-6 relative: 1e-5 relative per probability bounds both with margin.
    let scalar = hb_memory_kernels_for(HB_ISA_SCALAR)!.pointee
    var rng = SeededGenerator(seed: 5)
    var x = [Float](repeating: 0, count: 70)
    var ref = [Float](repeating: 0, count: 70)
    var got = [Float](repeating: 0, count: 70)
    for n in 1...67 {
      for offset in 0..<2 {
        for k in 0..<x.count { x[k] = Float(rng.gaussian() * 4) }
        let beta: Float = n % 3 == 0 ? -2.5 : 7
        x.withUnsafeBufferPointer { xp in
          let lseRef = scalar.softmax(n, beta, xp.baseAddress! + offset, &ref)
          var sum: Float = 0
          for i in 0..<n { sum += ref[i] }
          #expect(abs(sum - 1) < 1e-5)
          for t in Self.variants {
            let lse = t.pointee.softmax(n, beta, xp.baseAddress! + offset, &got)
            #expect(abs(lse - lseRef) <= 1e-5 * (1 + abs(lseRef)))
            for i in 0..<n {
              #expect(
                abs(got[i] - ref[i]) <= 1e-5 * ref[i] + 1e-30,
                "isa \(t.pointee.isa.rawValue) n \(n) i \(i)")
            }
          }
        }
      }
    }
  }

  @Test func softmaxIsStableForHugeInputsAndInPlace() {
    // Without the max subtraction exp(1000) overflows; with it the answer is exact-ish:
    // [e^-1, 1] / (1 + e^-1) to float rounding (1e-6 relative).
    var x: [Float] = [999, 1000]
    let lse = x.withUnsafeMutableBufferPointer {
      hb_softmax_f32(2, 1, $0.baseAddress!, $0.baseAddress!)
    }
    let e = Float(exp(-1.0))
    #expect(abs(x[1] - 1 / (1 + e)) < 1e-6)
    #expect(abs(x[0] - e / (1 + e)) < 1e-6)
    #expect(abs(lse - (1000 + Float(log1p(exp(-1.0))))) < 1e-3)
  }
}
