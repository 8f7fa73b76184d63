import CHebbian
import Hebbian
import Testing

/// Every BLAS variant the CPU supports against the scalar table, over lengths 1…67 (every
/// tail of the 4- and 8-lane bodies and their unrolled loops), strides 1 and 3, pointers one
/// float past a 64-byte boundary, matrices with lda > n, alpha/beta including 0 and negative.
///
/// Tolerances, with ε = 2⁻²³ (Float.ulpOfOne) and u = ε/2 the unit roundoff:
/// - reductions of length L (dot, the rows of gemv, gemv_t, rank_k): the reference and a
///   reassociated sum are each within (L+1)u·S of the exact value, S the sum of the
///   magnitudes of the terms (alpha and the beta term included), so |Δ| ≤ (L+2)ε·S;
/// - axpy, ger (one product-add per element): an FMA skips the rounding of the product,
///   so |Δ| ≤ 2ε(|y| + |a x|);
/// - scal (one rounded product): exact;
/// - nrm2: both sum squares in double, so they agree to 1 ulp: |Δ| ≤ ε·|ref|;
/// - every element a kernel must not touch (stride gaps, lda padding, guard tails): exact.
@Suite struct BlasSweepTests {
  static let eps = Float.ulpOfOne
  static let lengths = Array(1...67)
  static let strides = [1, 3]
  /// Matrix sides covering the 4-, 8-, 16- and 32-wide blocks and every kind of tail.
  static let sides = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 67]
  static let scalars: [(alpha: Float, beta: Float)] = [(1, 0), (-0.75, 1.5), (0, -1)]

  static var variants: [UnsafePointer<hb_blas_kernels>] {
    variantTables(hb_blas_kernels_for, includingScalar: false).map(\.table)
  }
  static var reference: hb_blas_kernels { hb_blas_kernels_for(HB_ISA_SCALAR)!.pointee }

  /// Compares two whole buffers: `tol[i]` bounds |Δ| at i (0 = must be bit-equal).
  /// Returns the number of violations and records the first.
  static func compare(
    _ what: String, _ ref: Buffer, _ got: Buffer, _ tol: [Float]
  ) -> Int {
    var bad = 0
    for i in 0..<ref.total {
      let r = ref.p[i], v = got.p[i]
      let t = i < tol.count ? tol[i] : 0
      let ok = t == 0 ? r.bitPattern == v.bitPattern : abs(r - v) <= t
      if !ok {
        if bad == 0 {
          Issue.record("\(what): element \(i): reference \(r), got \(v), tolerance \(t)")
        }
        bad += 1
      }
    }
    return bad
  }

  @Test func everySupportedVectorVariantHasATable() {
    #expect(hb_blas_kernels_for(HB_ISA_SCALAR) != nil)
    if hb_isa_supported(HB_ISA_AVX2) { #expect(hb_blas_kernels_for(HB_ISA_AVX2) != nil) }
    if hb_isa_supported(HB_ISA_NEON) { #expect(hb_blas_kernels_for(HB_ISA_NEON) != nil) }
    #if arch(x86_64)
      // The development machines are AVX2+FMA: the sweep must not silently test nothing.
      #expect(!Self.variants.isEmpty)
    #endif
    for v in Self.variants { #expect(v.pointee.isa != HB_ISA_SCALAR) }
  }

  @Test func dotMatchesScalar() {
    var g = SeededGenerator(seed: 11)
    for k in Self.variants {
      var bad = 0
      for n in Self.lengths {
        for incx in Self.strides {
          for incy in Self.strides {
            let x = Buffer(count: (n - 1) * incx + 1), y = Buffer(count: (n - 1) * incy + 1)
            x.fill(&g)
            y.fill(&g)
            let r = Self.reference.dot(n, x.p, incx, y.p, incy)
            let v = k.pointee.dot(n, x.p, incx, y.p, incy)
            var s: Float = 0
            for i in 0..<n { s += abs(x.p[i * incx] * y.p[i * incy]) }
            // |Δ| ≤ (n+2)ε Σ|x_i y_i|
            if !(abs(r - v) <= Float(n + 2) * Self.eps * s) {
              if bad == 0 {
                Issue.record("dot \(k.pointee.isa) n=\(n) inc=\(incx),\(incy): \(r) vs \(v)")
              }
              bad += 1
            }
          }
        }
      }
      #expect(bad == 0)
    }
  }

  @Test func axpyAndScalMatchScalar() {
    var g = SeededGenerator(seed: 12)
    for k in Self.variants {
      var bad = 0
      for n in Self.lengths {
        for incx in Self.strides {
          for incy in Self.strides {
            for a: Float in [0.75, -1.25, 0] {
              let x = Buffer(count: (n - 1) * incx + 1), y = Buffer(count: (n - 1) * incy + 1)
              x.fill(&g)
              y.fill(&g)
              let yr = y.copy(), yv = y.copy()
              Self.reference.axpy(n, a, x.p, incx, yr.p, incy)
              k.pointee.axpy(n, a, x.p, incx, yv.p, incy)
              var tol = [Float](repeating: 0, count: y.count)
              // one product-add: |Δ| ≤ 2ε(|y| + |a x|); exact where no product is added
              for i in 0..<n {
                tol[i * incy] = Swift.max(
                  2 * Self.eps * (abs(y.p[i * incy]) + abs(a * x.p[i * incx])),
                  .leastNonzeroMagnitude)
              }
              bad += Self.compare(
                "axpy \(k.pointee.isa) n=\(n) inc=\(incx),\(incy) a=\(a)", yr, yv, tol)
              let xr = x.copy(), xv = x.copy()
              Self.reference.scal(n, a, xr.p, incx)
              k.pointee.scal(n, a, xv.p, incx)
              // one rounded product: bit-exact
              bad += Self.compare("scal \(k.pointee.isa) n=\(n) inc=\(incx) a=\(a)", xr, xv, [])
            }
          }
        }
      }
      #expect(bad == 0)
    }
  }

  @Test func nrm2MatchesScalarWithinOneUlp() {
    var g = SeededGenerator(seed: 13)
    for k in Self.variants {
      var bad = 0
      for n in Self.lengths {
        for inc in Self.strides {
          // Ordinary, huge (squares overflow float), tiny (squares underflow float) and
          // subnormal inputs: the double sum of squares keeps all of them exact.
          for scale: Float in [1, 0x1p100, 0x1p-100, 0x1p-140] {
            let x = Buffer(count: (n - 1) * inc + 1)
            x.fill(&g, scale: scale)
            let r = Self.reference.nrm2(n, x.p, inc)
            let v = k.pointee.nrm2(n, x.p, inc)
            #if arch(arm)
              let tol = Float(n + 2) * Self.eps * r  // armv7 scales and sums in float
            #else
              let tol = Self.eps * r  // double accumulation: within 1 ulp
            #endif
            if !(r.isFinite && r > 0 && abs(r - v) <= tol) {
              if bad == 0 {
                Issue.record("nrm2 \(k.pointee.isa) n=\(n) inc=\(inc) scale=\(scale): \(r) vs \(v)")
              }
              bad += 1
            }
          }
        }
      }
      #expect(bad == 0)
      // The largest inputs the header promises: |x_i| = FLT_MAX/sqrt(n).
      let x = Buffer(count: 16)
      for i in 0..<x.total { x.p[i] = Float.greatestFiniteMagnitude / 4 }
      #expect(k.pointee.nrm2(16, x.p, 1) == Float.greatestFiniteMagnitude)
    }
  }

  @Test func gemvAndGemvTransposedMatchScalar() {
    var g = SeededGenerator(seed: 14)
    for k in Self.variants {
      var bad = 0
      for m in Self.sides {
        for n in Self.sides {
          let lda = n + 3
          let a = Buffer(count: (m - 1) * lda + n)
          a.fill(&g)
          let x = Buffer(count: Swift.max(m, n))
          x.fill(&g)
          for (alpha, beta) in Self.scalars {
            // y = αAx + βy: |Δ_i| ≤ (n+2)ε(|α|Σ_j|a_ij x_j| + |β y_i|)
            let y = Buffer(count: m)
            y.fill(&g)
            let yr = y.copy(), yv = y.copy()
            Self.reference.gemv(m, n, alpha, a.p, lda, x.p, beta, yr.p)
            k.pointee.gemv(m, n, alpha, a.p, lda, x.p, beta, yv.p)
            var tol = [Float](repeating: 0, count: m)
            for i in 0..<m {
              var s: Float = 0
              for j in 0..<n { s += abs(a.p[i * lda + j] * x.p[j]) }
              tol[i] = Swift.max(
                Float(n + 2) * Self.eps * (abs(alpha) * s + abs(beta * y.p[i])),
                .leastNonzeroMagnitude)
            }
            bad += Self.compare("gemv \(k.pointee.isa) \(m)x\(n) α=\(alpha) β=\(beta)", yr, yv, tol)

            // y = αAᵀx + βy: |Δ_j| ≤ (m+2)ε(|α|Σ_i|x_i a_ij| + |β y_j|)
            let z = Buffer(count: n)
            z.fill(&g)
            let zr = z.copy(), zv = z.copy()
            Self.reference.gemv_t(m, n, alpha, a.p, lda, x.p, beta, zr.p)
            k.pointee.gemv_t(m, n, alpha, a.p, lda, x.p, beta, zv.p)
            var tolT = [Float](repeating: 0, count: n)
            for j in 0..<n {
              var s: Float = 0
              for i in 0..<m { s += abs(a.p[i * lda + j] * x.p[i]) }
              tolT[j] = Swift.max(
                Float(m + 2) * Self.eps * (abs(alpha) * s + abs(beta * z.p[j])),
                .leastNonzeroMagnitude)
            }
            bad += Self.compare(
              "gemv_t \(k.pointee.isa) \(m)x\(n) α=\(alpha) β=\(beta)", zr, zv, tolT)
          }
        }
      }
      #expect(bad == 0)
    }
  }

  @Test func gemvWithBetaZeroNeverReadsY() {
    var g = SeededGenerator(seed: 15)
    for k in [hb_blas_kernels_for(HB_ISA_SCALAR)!] + Self.variants {
      for (m, n) in [(1, 1), (5, 7), (9, 33), (67, 17), (17, 67)] {
        let a = Buffer(count: m * n)
        a.fill(&g)
        let x = Buffer(count: Swift.max(m, n))
        x.fill(&g)
        let y = Buffer(count: Swift.max(m, n))
        for i in 0..<y.count { y.p[i] = .nan }
        k.pointee.gemv(m, n, 1.5, a.p, n, x.p, 0, y.p)
        // A NaN read from y would survive any product with 0: every output must be finite.
        #expect((0..<m).allSatisfy { y.p[$0].isFinite }, "gemv \(k.pointee.isa) \(m)x\(n)")
        for i in 0..<y.count { y.p[i] = .nan }
        k.pointee.gemv_t(m, n, -0.5, a.p, n, x.p, 0, y.p)
        #expect((0..<n).allSatisfy { y.p[$0].isFinite }, "gemv_t \(k.pointee.isa) \(m)x\(n)")
      }
    }
  }

  @Test func gerAndRankKMatchScalar() {
    var g = SeededGenerator(seed: 16)
    for k in Self.variants {
      var bad = 0
      for m in Self.sides {
        for n in Self.sides {
          let lda = n + 5
          let a = Buffer(count: (m - 1) * lda + n)
          a.fill(&g)
          let x = Buffer(count: m), y = Buffer(count: n)
          x.fill(&g)
          y.fill(&g)
          for alpha: Float in [1, -0.5, 0] {
            // A += αxyᵀ: one product-add per element, |Δ| ≤ 2ε(|a_ij| + |αx_i y_j|)
            let ar = a.copy(), av = a.copy()
            Self.reference.ger(m, n, alpha, x.p, y.p, ar.p, lda)
            k.pointee.ger(m, n, alpha, x.p, y.p, av.p, lda)
            var tol = [Float](repeating: 0, count: a.count)
            for i in 0..<m {
              for j in 0..<n {
                tol[i * lda + j] = Swift.max(
                  2 * Self.eps * (abs(a.p[i * lda + j]) + abs(alpha * x.p[i] * y.p[j])),
                  .leastNonzeroMagnitude)
              }
            }
            bad += Self.compare("ger \(k.pointee.isa) \(m)x\(n) α=\(alpha)", ar, av, tol)
          }
          for b in [1, 2, 5, 17] {
            // A += αXᵀY: a length-b reduction per element, |Δ| ≤ (b+2)ε(|a_ij| + |α|Σ_t|X_ti Y_tj|)
            let ldx = m + 2, ldy = n + 1
            let xs = Buffer(count: (b - 1) * ldx + m), ys = Buffer(count: (b - 1) * ldy + n)
            xs.fill(&g)
            ys.fill(&g)
            let alpha: Float = b == 2 ? 0 : (b == 5 ? 1 : -0.25)
            let ar = a.copy(), av = a.copy()
            Self.reference.rank_k(m, n, b, alpha, xs.p, ldx, ys.p, ldy, ar.p, lda)
            k.pointee.rank_k(m, n, b, alpha, xs.p, ldx, ys.p, ldy, av.p, lda)
            var tol = [Float](repeating: 0, count: a.count)
            for i in 0..<m {
              for j in 0..<n {
                var s: Float = 0
                for t in 0..<b { s += abs(xs.p[t * ldx + i] * ys.p[t * ldy + j]) }
                tol[i * lda + j] = Swift.max(
                  Float(b + 2) * Self.eps * (abs(a.p[i * lda + j]) + abs(alpha) * s),
                  .leastNonzeroMagnitude)
              }
            }
            bad += Self.compare("rank_k \(k.pointee.isa) \(m)x\(n) b=\(b) α=\(alpha)", ar, av, tol)
          }
        }
      }
      #expect(bad == 0)
    }
  }

  @Test func emptyShapesMatchScalarExactly() {
    var g = SeededGenerator(seed: 17)
    for k in Self.variants {
      let x = Buffer(count: 40), y = Buffer(count: 40), a = Buffer(count: 400)
      x.fill(&g)
      y.fill(&g)
      a.fill(&g)
      // Empty sums are exactly 0.
      #expect(k.pointee.dot(0, x.p, 1, y.p, 1) == 0)
      #expect(k.pointee.nrm2(0, x.p, 1) == 0)
      var bad = 0
      // No element is touched when n, m or b is 0, and gemv with an empty sum leaves
      // beta·y (one rounded product, the same in every variant): all bit-exact.
      let cases: [(String, (UnsafePointer<hb_blas_kernels>, Buffer) -> Void)] = [
        ("axpy n=0", { $0.pointee.axpy(0, 2, x.p, 1, $1.p, 1) }),
        ("scal n=0", { $0.pointee.scal(0, 2, $1.p, 1) }),
        ("gemv m=0", { $0.pointee.gemv(0, 9, 1, a.p, 9, x.p, 0.5, $1.p) }),
        ("gemv n=0", { $0.pointee.gemv(9, 0, 1, a.p, 1, x.p, 0.5, $1.p) }),
        ("gemv_t m=0", { $0.pointee.gemv_t(0, 37, 1, a.p, 37, x.p, -0.5, $1.p) }),
        ("gemv_t n=0", { $0.pointee.gemv_t(9, 0, 1, a.p, 1, x.p, -0.5, $1.p) }),
        ("ger m=0", { $0.pointee.ger(0, 9, 1, x.p, y.p, $1.p, 9) }),
        ("ger n=0", { $0.pointee.ger(9, 0, 1, x.p, y.p, $1.p, 1) }),
        ("rank_k b=0", { $0.pointee.rank_k(9, 9, 0, 1, x.p, 9, y.p, 9, $1.p, 9) }),
        ("rank_k n=0", { $0.pointee.rank_k(9, 0, 3, 1, x.p, 9, y.p, 1, $1.p, 1) }),
      ]
      let ref = hb_blas_kernels_for(HB_ISA_SCALAR)!
      for (name, run) in cases {
        let r = a.copy(), v = a.copy()
        run(ref, r)
        run(k, v)
        bad += Self.compare("\(name) \(k.pointee.isa)", r, v, [])
      }
      #expect(bad == 0)
    }
  }
}
