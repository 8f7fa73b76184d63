internal import CHebbian

extension KernelSelfTest {
  // MARK: The associative-memory family

  /// bit_overlap must be exact (integers from popcounts, any order). softmax: the vector exp
  /// is within 3ε of expf and the normaliser is a sum of L terms ≤ 1 (Z ≥ 1), so each
  /// probability is within (L + 8)ε relative of the reference; S = the reference value (plus
  /// 1e-25, below which the flush of exp(x < −87.3) to zero is immaterial).
  static func memory(_ h: inout Harness) {
    guard let refTable = hb_memory_kernels_for(HB_ISA_SCALAR) else { return }
    let ref = refTable.pointee
    let maxWords = 40
    let p = 5
    let xi = UnsafeMutablePointer<UInt64>.allocate(capacity: p * (maxWords + 1) + 1)
    let sb = UnsafeMutablePointer<UInt64>.allocate(capacity: maxWords + 1)
    defer {
      xi.deallocate()
      sb.deallocate()
    }
    let s = Scratch(slots: 4, floats: 80)
    let g = Scratch.guardCount
    for isa in ISA.supported {
      guard let table = hb_memory_kernels_for(isa.c) else {
        h.missing("table", isa)
        continue
      }
      let k = table.pointee
      h.row("bit_overlap", isa, tolerance: 0) { h, t in
        for n in Array(lengths) + [127, 128, 129, 255, 257, 64 * maxWords - 1] {
          let words = (n + 63) / 64, ld = words + 1
          // One word past the allocation start: no 32-byte alignment for the vector loads.
          let rows = xi + 1, state = sb + 1
          for q in 0..<(p * ld) { rows[q] = h.rng.next() }
          for q in 0..<words { state[q] = h.rng.next() }
          let pad: UInt64 = n % 64 == 0 ? ~0 : (1 << UInt64(n % 64)) - 1
          for mu in 0..<p { rows[mu * ld + words - 1] &= pad }
          state[words - 1] &= pad
          let mr = s(0), mv = s(1)
          ref.bit_overlap(p, n, rows, ld, state, mr)
          k.bit_overlap(p, n, rows, ld, state, mv)
          t.compare(mr, mv, p) { _ in 0 }
          t.cases += 1
        }
      }
      h.row("softmax", isa, tolerance: Float(lengths.upperBound + 8) * eps) { h, t in
        for n in lengths {
          for beta: Float in [1, 7, -2.5] {
            let x = s(0), yr = s(1), yv = s(2)
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
    }
  }
}
