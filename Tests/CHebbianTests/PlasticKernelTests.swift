import CHebbian
import Hebbian
import Testing

/// Every variant of the plastic-layer kernels against a Double evaluation of the same
/// equations, over shapes around the vector widths (1…67 columns), padded leading dimensions
/// and pointers misaligned by one float.
@Suite struct PlasticKernelTests {
  static var variants: [UnsafePointer<hb_plastic_kernels>] {
    var out: [UnsafePointer<hb_plastic_kernels>] = []
    for raw: UInt32 in 0..<3 {
      if let t = hb_plastic_kernels_for(hb_isa(rawValue: raw)) { out.append(t) }
    }
    return out
  }

  static let shapes: [(Int, Int)] = [
    (1, 1), (2, 3), (3, 7), (5, 8), (4, 9), (7, 15), (3, 16), (6, 17), (2, 31), (3, 32),
    (4, 33), (5, 63), (2, 64), (3, 65), (4, 67), (67, 5),
  ]

  /// `count` seeded values in [-1, 1), starting one float past an aligned allocation.
  static func values(_ count: Int, _ rng: inout SeededGenerator) -> [Float] {
    [0] + (0..<count).map { _ in Float(2 * rng.uniform() - 1) }
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
          var a = [Float](repeating: 0, count: n + 1)
          for j in 0..<n { a[j + 1] = y[j + 1] }
          a.withUnsafeMutableBufferPointer { ap in
            table.pointee.plastic_current(
              m, n, w.withUnsafeBufferPointer { $0.baseAddress! + 1 },
              al.withUnsafeBufferPointer { $0.baseAddress! + 1 },
              h.withUnsafeBufferPointer { $0.baseAddress! + 1 }, ld,
              x.withUnsafeBufferPointer { $0.baseAddress! + 1 }, ap.baseAddress! + 1)
          }
          for j in 0..<n {
            var s = Double(y[j + 1]), mag = abs(s)
            for i in 0..<m {
              let t =
                (Double(w[1 + i * ld + j]) + Double(al[1 + i * ld + j]) * Double(h[1 + i * ld + j]))
                * Double(x[1 + i])
              s += t
              mag += abs(t) + abs(Double(w[1 + i * ld + j]))
            }
            #expect(abs(Double(a[j + 1]) - s) <= bound(2 * m, mag))
          }

          // Trace step.
          var ht = h
          ht.withUnsafeMutableBufferPointer { hp in
            table.pointee.hebb_trace_step(
              rule, m, n, eta, x.withUnsafeBufferPointer { $0.baseAddress! + 1 },
              y.withUnsafeBufferPointer { $0.baseAddress! + 1 }, hp.baseAddress! + 1, ld)
          }
          for i in 0..<m {
            for j in 0..<n {
              let k = 1 + i * ld + j
              let hv = Double(h[k]), xi = Double(x[1 + i]), yj = Double(y[1 + j]), e = Double(eta)
              let want =
                rule == HB_TRACE_OJA ? hv + e * yj * (xi - hv * yj) : (1 - e) * hv + e * xi * yj
              #expect(abs(Double(ht[k]) - want) <= bound(4, 2))
            }
            for j in n..<ld where 1 + i * ld + j < ht.count {
              #expect(ht[1 + i * ld + j] == h[1 + i * ld + j])  // padding untouched, exactly
            }
          }

          // Backward step: compare against the same adjoint evaluated in Double.
          var gy = gy0, gH = gH0
          var gx = [Float](repeating: 0.5, count: m + 1)
          var gw = [Float](repeating: 0.25, count: m * ld + 1)
          var ga = [Float](repeating: -0.25, count: m * ld + 1)
          let geta = table.pointee.plastic_backward_step(
            rule, m, n, eta, w.withUnsafeBufferPointer { $0.baseAddress! + 1 },
            al.withUnsafeBufferPointer { $0.baseAddress! + 1 },
            h.withUnsafeBufferPointer { $0.baseAddress! + 1 }, ld,
            x.withUnsafeBufferPointer { $0.baseAddress! + 1 },
            y.withUnsafeBufferPointer { $0.baseAddress! + 1 },
            gy.withUnsafeMutableBufferPointer { $0.baseAddress! + 1 },
            gH.withUnsafeMutableBufferPointer { $0.baseAddress! + 1 },
            gx.withUnsafeMutableBufferPointer { $0.baseAddress! + 1 },
            gw.withUnsafeMutableBufferPointer { $0.baseAddress! + 1 },
            ga.withUnsafeMutableBufferPointer { $0.baseAddress! + 1 })
          let oja = rule == HB_TRACE_OJA
          let e = Double(eta)
          var da = [Double](repeating: 0, count: n)
          for j in 0..<n {
            var s = Double(gy0[1 + j])
            let yj = Double(y[1 + j])
            for i in 0..<m {
              let k = 1 + i * ld + j
              let xi = Double(x[1 + i])
              s += Double(gH0[k]) * (oja ? e * xi - 2 * e * Double(h[k]) * yj : e * xi)
            }
            da[j] = s * (1 - yj * yj)
            #expect(abs(Double(gy[1 + j]) - da[j]) <= bound(3 * m, Double(m) * 2 + 1))
          }
          var wantEta = 0.0
          for i in 0..<m {
            var acc = 0.5
            let xi = Double(x[1 + i])
            for j in 0..<n {
              let k = 1 + i * ld + j
              let yj = Double(y[1 + j]), hv = Double(h[k]), G = Double(gH0[k]), av = Double(al[k])
              let g = xi * da[j]
              #expect(abs(Double(gw[k]) - (0.25 + g)) <= bound(3 * m, Double(m) * 2 + 1))
              #expect(abs(Double(ga[k]) - (-0.25 + hv * g)) <= bound(3 * m, Double(m) * 2 + 1))
              acc += (Double(w[k]) + av * hv) * da[j] + e * G * yj
              wantEta += oja ? G * (xi * yj - hv * yj * yj) : G * (xi * yj - hv)
              let newG = oja ? G * (1 - e * yj * yj) + av * g : (1 - e) * G + av * g
              #expect(abs(Double(gH[k]) - newG) <= bound(3 * m, Double(m) * 2 + 2))
            }
            #expect(
              abs(Double(gx[1 + i]) - acc) <= bound(3 * m * n, Double(n) * (Double(m) * 2 + 3)))
          }
          #expect(abs(Double(geta) - wantEta) <= bound(m * n, Double(m * n) * 2))
        }
      }
    }
  }
}
