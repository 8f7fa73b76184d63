internal import CHebbian

extension KernelSweep {
  // MARK: The associative-memory family

  /// bit_overlap must be exact (integers from popcounts, any order). softmax: the vector exp
  /// is within 3ε of expf and the normaliser is a sum of L terms ≤ 1 (Z ≥ 1), so each
  /// probability is within (L + 8)ε relative of the reference; S = the reference value (plus
  /// 1e-25, below which the flush of exp(x < −87.3) to zero is immaterial).
  static var memoryCases: [Case] {
    let p = memoryPatterns
    let bitOverlap = Case(kernel: "bit_overlap", tolerance: 0) { h, isa, t in
      guard let (ref, k) = tables(hb_memory_kernels_for, isa, &t) else { return }
      let maxWords = (bitLengths.max()! + 63) / 64
      // One word past a 64-byte boundary: no 32-byte alignment for the vector loads.
      let xi = Buffer<UInt64>(count: p * (maxWords + 1), fill: 0)
      let sb = Buffer<UInt64>(count: maxWords, fill: 0)
      let s = scratch(2, floats: p)
      for n in Array(lengths) + bitLengths {
        let words = (n + 63) / 64, ld = words + 1
        let rows = xi.p, state = sb.p
        for q in 0..<(p * ld) { rows[q] = h.rng.next() }
        for q in 0..<words { state[q] = h.rng.next() }
        let pad: UInt64 = n % 64 == 0 ? ~0 : (1 << UInt64(n % 64)) - 1
        for mu in 0..<p { rows[mu * ld + words - 1] &= pad }
        state[words - 1] &= pad
        let mr = s[0].p, mv = s[1].p
        ref.bit_overlap(p, n, rows, ld, state, mr)
        k.bit_overlap(p, n, rows, ld, state, mv)
        t.compare(mr, mv, p) { _ in 0 }
        t.cases += 1
      }
    }
    let softmax = Case(kernel: "softmax", tolerance: Float(lengths.upperBound + 8) * eps) {
      h, isa, t in
      guard let (ref, k) = tables(hb_memory_kernels_for, isa, &t) else { return }
      let s = scratch(3, floats: lengths.upperBound), g = Buffer<Float>.defaultGuard
      for n in lengths {
        for beta: Float in [1, 7, -2.5] {
          let x = s[0].p, yr = s[1].p, yv = s[2].p
          h.fill(x, n, scale: 4)
          for i in 0..<(n + g) {
            yr[i] = 0
            yv[i] = 0
          }
          let lr = ref.softmax(n, beta, x, yr)
          let lv = k.softmax(n, beta, x, yv)
          t.compare(yr, yv, n + g) { i in i < n ? yr[i] + 1e-25 : 0 }
          t.compare(lr, lv, scale: 1 + lr.magnitude)
          t.cases += 1
        }
      }
    }
    return [bitOverlap, softmax]
  }
}
