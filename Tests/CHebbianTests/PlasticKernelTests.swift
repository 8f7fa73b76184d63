import CHebbian
import Hebbian
import Testing

/// Every variant of the plastic-layer kernels against a Double evaluation of the same
/// equations, over shapes around the vector widths (1…67 columns), padded leading dimensions
/// and pointers misaligned by one float.
@Suite struct PlasticKernelTests {
  static var variants: [UnsafePointer<hb_plastic_kernels>] {
    variantTables(hb_plastic_kernels_for).map(\.table)
  }

  static let shapes: [(Int, Int)] = [
    (1, 1), (2, 3), (3, 7), (5, 8), (4, 9), (7, 15), (3, 16), (6, 17), (2, 31), (3, 32),
    (4, 33), (5, 63), (2, 64), (3, 65), (4, 67), (67, 5),
  ]

  /// `count` seeded values in [-1, 1), one float past a 64-byte boundary. The buffer owns
  /// them, so the pointers the kernels get stay valid for the whole check.
  static func values(_ count: Int, _ rng: inout SeededGenerator) -> Buffer {
    Buffer((0..<count).map { _ in Float(2 * rng.uniform() - 1) })
  }

  @Test func variantsMatchDoubleEvaluation() throws {
    #expect(Self.variants.count >= 1)
    var rng = SeededGenerator(seed: 77)
    for table in Self.variants {
      for (m, n) in Self.shapes {
        let ld = n + 3
        for rule in [HB_TRACE_DECAY, HB_TRACE_OJA] {
          let w = Self.values(m * ld, &rng), al = Self.values(m * ld, &rng)
          let h = Self.values(m * ld, &rng), gH0 = Self.values(m * ld, &rng)
          let x = Self.values(m, &rng), y = Self.values(n, &rng), gy0 = Self.values(n, &rng)
          let eta: Float = 0.3
          // Float sums of k terms err by at most about k·2⁻²⁴ of Σ|terms|; 4·k·6e-8 adds room
          // for the FMA-vs-separate rounding difference between variants.
          func bound(_ terms: Int, _ mag: Double) -> Double {
            4 * Double(terms + 2) * 6e-8 * mag + 1e-7
          }

          // Current.
          let a = Buffer(y.array)
          table.pointee.plastic_current(m, n, w.p, al.p, h.p, ld, x.p, a.p)
          for j in 0..<n {
            var s = Double(y[j]), mag = abs(s)
            for i in 0..<m {
              let t =
                (Double(w[i * ld + j]) + Double(al[i * ld + j]) * Double(h[i * ld + j]))
                * Double(x[i])
              s += t
              mag += abs(t) + abs(Double(w[i * ld + j]))
            }
            #expect(abs(Double(a[j]) - s) <= bound(2 * m, mag))
          }

          // Trace step.
          let ht = h.copy()
          table.pointee.hebb_trace_step(rule, m, n, eta, x.p, y.p, ht.p, ld)
          for i in 0..<m {
            for j in 0..<n {
              let k = i * ld + j
              let hv = Double(h[k]), xi = Double(x[i]), yj = Double(y[j]), e = Double(eta)
              let want =
                rule == HB_TRACE_OJA ? hv + e * yj * (xi - hv * yj) : (1 - e) * hv + e * xi * yj
              #expect(abs(Double(ht[k]) - want) <= bound(4, 2))
            }
            for j in n..<ld where i * ld + j < ht.count {
              #expect(ht[i * ld + j] == h[i * ld + j])  // padding untouched, exactly
            }
          }

          // Backward step: compare against the same adjoint evaluated in Double.
          let gy = gy0.copy(), gH = gH0.copy()
          let gx = Buffer([Float](repeating: 0.5, count: m))
          let gw = Buffer([Float](repeating: 0.25, count: m * ld))
          let ga = Buffer([Float](repeating: -0.25, count: m * ld))
          let geta = table.pointee.plastic_backward_step(
            rule, m, n, eta, w.p, al.p, h.p, ld, x.p, y.p, gy.p, gH.p, gx.p, gw.p, ga.p)
          let oja = rule == HB_TRACE_OJA
          let e = Double(eta)
          var da = [Double](repeating: 0, count: n)
          for j in 0..<n {
            var s = Double(gy0[j])
            let yj = Double(y[j])
            for i in 0..<m {
              let k = i * ld + j
              let xi = Double(x[i])
              s += Double(gH0[k]) * (oja ? e * xi - 2 * e * Double(h[k]) * yj : e * xi)
            }
            da[j] = s * (1 - yj * yj)
            #expect(abs(Double(gy[j]) - da[j]) <= bound(3 * m, Double(m) * 2 + 1))
          }
          var wantEta = 0.0
          for i in 0..<m {
            var acc = 0.5
            let xi = Double(x[i])
            for j in 0..<n {
              let k = i * ld + j
              let yj = Double(y[j]), hv = Double(h[k]), G = Double(gH0[k]), av = Double(al[k])
              let g = xi * da[j]
              #expect(abs(Double(gw[k]) - (0.25 + g)) <= bound(3 * m, Double(m) * 2 + 1))
              #expect(abs(Double(ga[k]) - (-0.25 + hv * g)) <= bound(3 * m, Double(m) * 2 + 1))
              acc += (Double(w[k]) + av * hv) * da[j] + e * G * yj
              wantEta += oja ? G * (xi * yj - hv * yj * yj) : G * (xi * yj - hv)
              let newG = oja ? G * (1 - e * yj * yj) + av * g : (1 - e) * G + av * g
              #expect(abs(Double(gH[k]) - newG) <= bound(3 * m, Double(m) * 2 + 2))
            }
            #expect(
              abs(Double(gx[i]) - acc) <= bound(3 * m * n, Double(n) * (Double(m) * 2 + 3)))
          }
          #expect(abs(Double(geta) - wantEta) <= bound(m * n, Double(m * n) * 2))
        }
      }
    }
  }
}
