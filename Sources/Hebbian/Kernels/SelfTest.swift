internal import CHebbian

/// One line of the kernel self-test: one kernel of one family in one variant, compared with
/// the scalar reference over the whole sweep.
public struct KernelSelfTestRow: Sendable {
  public var family: String
  public var kernel: String
  public var isa: ISA
  /// Calls compared (each one shape, stride, scalar choice).
  public var cases: Int
  /// The largest |variant − reference| / S over every element of every case, where S is the
  /// element's condition magnitude (the sum of the magnitudes of the terms that form it, see
  /// ``KernelSelfTest``). Elements a kernel must not touch count as exact comparisons.
  public var maxError: Float
  /// The bound `maxError` must stay within: c·(L+2)·ε for a length-L reduction at the
  /// largest L of the sweep, 2ε for a single product-add, 0 for a single product.
  public var tolerance: Float
  /// The family has no body for this variant yet: the dispatcher runs the scalar one, and
  /// that is what the row compared.
  public var scalarFallback = false
  public var passed: Bool { cases > 0 && maxError <= tolerance }

  public init(
    family: String, kernel: String, isa: ISA, cases: Int, maxError: Float, tolerance: Float,
    scalarFallback: Bool = false
  ) {
    self.family = family
    self.kernel = kernel
    self.isa = isa
    self.cases = cases
    self.maxError = maxError
    self.tolerance = tolerance
    self.scalarFallback = scalarFallback
  }
}

/// Runs every kernel of the C catalogue under every variant the running CPU supports against
/// the scalar reference, over the sweep the unit tests use (``KernelSweep``): lengths 1…67
/// (every tail of 4- and 8-lane bodies and their unrolled loops), strides 1 and 3, operands
/// one float past a 64-byte boundary, matrices with a leading dimension larger than their
/// width, alpha and beta including 0 and negative values. It is meant for boards:
/// `hebbian selftest` prints its rows.
///
/// Errors are measured relative to the condition magnitude S of each element, so one
/// tolerance serves every size: with ε = 2⁻²³,
/// - a reduction of L terms (dot, gemv rows, gemv_t columns, rank-k entries, nrm2 with a
///   float sum of squares) differs from the reference by at most (L+2)ε·S, S = Σ|terms|;
/// - one product-add (axpy, ger) by at most 2ε·S (an FMA does not round the product);
/// - one product (scal) not at all;
/// - a rule step (y = Wx, then W += η·y·r) by at most (2d + k + 10)ε·S with
///   S = |W_ij| + |η|·Y_i·R_j, Y_i = Σ_j|W_ij x_j|, R_j = |x_j| + Σ_i Y_i|W_ij|: the error of
///   y (≤ (d+2)ε Y) enters the update twice, through y and through the residual r.
///
/// A new kernel is a row of the kernel list plus one ``KernelSweep/Case``; a catalogue row
/// without a case reports a failing row.
public enum KernelSelfTest {
  /// All rows, family by family in the order of the kernel list, then variant by variant
  /// (scalar included, as a check of the harness itself).
  public static func run(seed: UInt64 = 0x5EED) -> [KernelSelfTestRow] {
    var rows: [KernelSelfTestRow] = []
    let kernels = KernelSweep.catalogue
    var families: [String] = []
    for k in kernels where !families.contains(k.family) { families.append(k.family) }
    for family in families {
      for isa in KernelSweep.variants {
        for k in kernels where k.family == family {
          rows.append(KernelSweep.run(k, isa, seed: seed))
        }
      }
    }
    return rows
  }
}

extension KernelSweep {
  static let eps = Float.ulpOfOne
  static let lengths = 1...67
  static let strides = [1, 3]
  static let sides = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 67]
  static let scalarPairs: [(Float, Float)] = [(1, 0), (-0.75, 1.5), (0, -1)]
  static let rankKBatches = [1, 2, 5, 17]
  static let ruleKs = [1, 2, 3, 4, 5, 8]
  static let plasticityKs = [1, 2, 5]
  /// (m, n) of the plastic layer kernels: every n of 1…67 (the column tails) with m of 1…5,
  /// and one tall m (the row reductions).
  static let plasticShapes: [(m: Int, n: Int)] = lengths.map { (1 + $0 % 5, $0) } + [(67, 5)]
  /// Patterns and the extra lengths past 1…67 of the memory family.
  static let memoryPatterns = 5
  static let bitLengths = [127, 128, 129, 255, 257, 64 * 40 - 1]

  // MARK: The level-1/2 family

  static var blasCases: [Case] {
    let l = Float(lengths.upperBound + 2) * eps
    return [
      Case(kernel: "dot", tolerance: l) { h, isa, t in
        guard let (ref, k) = tables(hb_blas_kernels_for, isa, &t) else { return }
        let s = scratch(2, floats: 3 * lengths.upperBound)
        for n in lengths {
          for incx in strides {
            for incy in strides {
              let x = s[0].p, y = s[1].p
              h.fill(x, (n - 1) * incx + 1)
              h.fill(y, (n - 1) * incy + 1)
              var sum: Float = 0
              for i in 0..<n { sum += (x[i * incx] * y[i * incy]).magnitude }
              t.compare(ref.dot(n, x, incx, y, incy), k.dot(n, x, incx, y, incy), scale: sum)
              t.cases += 1
            }
          }
        }
      },
      Case(kernel: "axpy", tolerance: 2 * eps) { h, isa, t in
        guard let (ref, k) = tables(hb_blas_kernels_for, isa, &t) else { return }
        let s = scratch(4, floats: 3 * lengths.upperBound), g = Buffer<Float>.defaultGuard
        for n in lengths {
          for incx in strides {
            for incy in strides {
              for a: Float in [0.75, -1.25, 0] {
                let x = s[0].p, y = s[1].p, yr = s[2].p, yv = s[3].p
                let ny = (n - 1) * incy + 1
                h.fill(x, (n - 1) * incx + 1)
                h.fill(y, ny + g)
                twin(y, yr, yv, ny + g)
                ref.axpy(n, a, x, incx, yr, incy)
                k.axpy(n, a, x, incx, yv, incy)
                t.compare(yr, yv, ny + g) { i in
                  i % incy == 0 && i < ny
                    ? y[i].magnitude + (a * x[i / incy * incx]).magnitude : 0
                }
                t.cases += 1
              }
            }
          }
        }
      },
      Case(kernel: "scal", tolerance: 0) { h, isa, t in
        guard let (ref, k) = tables(hb_blas_kernels_for, isa, &t) else { return }
        let s = scratch(3, floats: 3 * lengths.upperBound), g = Buffer<Float>.defaultGuard
        for n in lengths {
          for inc in strides {
            for a: Float in [0.75, -1.25, 0] {
              let x = s[0].p, xr = s[1].p, xv = s[2].p
              let nx = (n - 1) * inc + 1
              h.fill(x, nx + g)
              twin(x, xr, xv, nx + g)
              ref.scal(n, a, xr, inc)
              k.scal(n, a, xv, inc)
              t.compare(xr, xv, nx + g) { _ in 0 }
              t.cases += 1
            }
          }
        }
      },
      Case(kernel: "nrm2", tolerance: l) { h, isa, t in
        guard let (ref, k) = tables(hb_blas_kernels_for, isa, &t) else { return }
        let s = scratch(1, floats: 3 * lengths.upperBound)
        for n in lengths {
          for inc in strides {
            // ordinary, huge (squares overflow float), tiny (squares underflow), subnormal
            for scale: Float in [1, 0x1p100, 0x1p-100, 0x1p-140] {
              let x = s[0].p
              h.fill(x, (n - 1) * inc + 1, scale: scale)
              let r = ref.nrm2(n, x, inc)
              t.compare(r, k.nrm2(n, x, inc), scale: r)
              t.cases += 1
            }
          }
        }
        // The largest inputs the header promises, |x_i| = FLT_MAX/sqrt(n): norm FLT_MAX.
        for n in [1, 4, 16, 64] {
          let x = s[0].p
          for i in 0..<n { x[i] = Float.greatestFiniteMagnitude / Float(n).squareRoot() }
          let r = ref.nrm2(n, x, 1)
          t.compare(r, k.nrm2(n, x, 1), scale: r)
          t.cases += 1
        }
      },
      Case(kernel: "gemv", tolerance: l) { h, isa, t in gemvSweep(&h, isa, &t, transposed: false) },
      Case(kernel: "gemv_t", tolerance: l) { h, isa, t in gemvSweep(&h, isa, &t, transposed: true)
      },
      Case(kernel: "ger", tolerance: 2 * eps) { h, isa, t in
        guard let (ref, k) = tables(hb_blas_kernels_for, isa, &t) else { return }
        let s = scratch(5, floats: 80 * 80), g = Buffer<Float>.defaultGuard
        for m in sides {
          for n in sides {
            let lda = n + 5, na = (m - 1) * lda + n
            let a = s[0].p, x = s[1].p, y = s[2].p, ar = s[3].p, av = s[4].p
            h.fill(a, na + g)
            h.fill(x, m)
            h.fill(y, n)
            for alpha: Float in [1, -0.5, 0] {
              twin(a, ar, av, na + g)
              ref.ger(m, n, alpha, x, y, ar, lda)
              k.ger(m, n, alpha, x, y, av, lda)
              t.compare(ar, av, na + g) { e in
                let i = e / lda, j = e % lda
                return e < na && j < n ? a[e].magnitude + (alpha * x[i] * y[j]).magnitude : 0
              }
              t.cases += 1
            }
          }
        }
      },
      Case(kernel: "rank_k", tolerance: Float(rankKBatches.last! + 2) * eps) { h, isa, t in
        guard let (ref, k) = tables(hb_blas_kernels_for, isa, &t) else { return }
        let s = scratch(5, floats: 80 * 80), g = Buffer<Float>.defaultGuard
        for m in sides {
          for n in sides {
            for b in rankKBatches {
              let lda = n + 5, ldx = m + 2, ldy = n + 1, na = (m - 1) * lda + n
              let a = s[0].p, xs = s[1].p, ys = s[2].p, ar = s[3].p, av = s[4].p
              h.fill(a, na + g)
              h.fill(xs, (b - 1) * ldx + m)
              h.fill(ys, (b - 1) * ldy + n)
              let alpha: Float = b == 2 ? 0 : (b == 5 ? 1 : -0.25)
              twin(a, ar, av, na + g)
              ref.rank_k(m, n, b, alpha, xs, ldx, ys, ldy, ar, lda)
              k.rank_k(m, n, b, alpha, xs, ldx, ys, ldy, av, lda)
              t.compare(ar, av, na + g) { e in
                let i = e / lda, j = e % lda
                guard e < na && j < n else { return 0 }
                var sum: Float = 0
                for r in 0..<b { sum += (xs[r * ldx + i] * ys[r * ldy + j]).magnitude }
                return a[e].magnitude + alpha.magnitude * sum
              }
              t.cases += 1
            }
          }
        }
      },
    ]
  }

  /// gemv (y = αAx + βy) or gemv_t (y = αAᵀx + βy) over every pair of sides, three (α, β)
  /// pairs, and β = 0 with y full of NaN (which must never be read).
  static func gemvSweep(_ h: inout KernelSweep, _ isa: ISA, _ t: inout Tally, transposed: Bool) {
    guard let (ref, k) = tables(hb_blas_kernels_for, isa, &t) else { return }
    let s = scratch(5, floats: 80 * 80), g = Buffer<Float>.defaultGuard
    for m in sides {
      for n in sides {
        let lda = n + 3
        let a = s[0].p, x = s[1].p, y = s[2].p, yr = s[3].p, yv = s[4].p
        h.fill(a, (m - 1) * lda + n)
        h.fill(x, transposed ? m : n)
        let ny = transposed ? n : m
        for (alpha, beta) in scalarPairs {
          h.fill(y, ny + g)
          twin(y, yr, yv, ny + g)
          if transposed {
            ref.gemv_t(m, n, alpha, a, lda, x, beta, yr)
            k.gemv_t(m, n, alpha, a, lda, x, beta, yv)
          } else {
            ref.gemv(m, n, alpha, a, lda, x, beta, yr)
            k.gemv(m, n, alpha, a, lda, x, beta, yv)
          }
          t.compare(yr, yv, ny + g) { o in
            guard o < ny else { return 0 }
            var sum: Float = 0
            if transposed {
              for i in 0..<m { sum += (a[i * lda + o] * x[i]).magnitude }
            } else {
              for j in 0..<n { sum += (a[o * lda + j] * x[j]).magnitude }
            }
            return alpha.magnitude * sum + (beta * y[o]).magnitude
          }
          t.cases += 1
        }
        // β = 0 overwrites y without reading it: NaN in y must not reach the output.
        for i in 0..<ny { yv[i] = .nan }
        if transposed {
          k.gemv_t(m, n, 1.5, a, lda, x, 0, yv)
        } else {
          k.gemv(m, n, 1.5, a, lda, x, 0, yv)
        }
        for i in 0..<ny where !yv[i].isFinite { t.compare(0, yv[i], scale: 1) }
        t.cases += 1
      }
    }
  }

  // MARK: The fused rule steps

  static var ruleCases: [Case] {
    let eta: Float = 0.05
    let oja = Case(kernel: "oja_step", tolerance: ruleTolerance(k: 1)) { h, isa, t in
      guard let (ref, k) = tables(hb_rule_kernels_for, isa, &t) else { return }
      let s = scratch(4, floats: lengths.upperBound), g = Buffer<Float>.defaultGuard
      for d in lengths {
        let x = s[0].p, w = s[1].p, wr = s[2].p, wv = s[3].p
        h.fill(x, d)
        h.fill(w, d + g, scale: 1 / Float(d).squareRoot())
        twin(w, wr, wv, d + g)
        let yr = ref.oja_step(d, eta, x, wr)
        let yv = k.oja_step(d, eta, x, wv)
        var y: Float = 0
        for j in 0..<d { y += (w[j] * x[j]).magnitude }
        t.compare(yr, yv, scale: y)
        t.compare(wr, wv, d + g) { j in
          j < d ? w[j].magnitude + eta * y * (x[j].magnitude + y * w[j].magnitude) : 0
        }
        t.cases += 1
      }
    }
    return [oja]
      + [false, true].map { gha in
        Case(kernel: gha ? "gha_step" : "subspace_step", tolerance: ruleTolerance(k: ruleKs.last!))
        {
          h, isa, t in
          guard let (ref, k) = tables(hb_rule_kernels_for, isa, &t) else { return }
          let s = scratch(7, floats: ruleKs.last! * (lengths.upperBound + 3))
          let g = Buffer<Float>.defaultGuard
          matrixShapes(ruleKs) { kk, d, ldw, nw in
            let x = s[0].p, w = s[1].p, wr = s[2].p, wv = s[3].p, yr = s[4].p, yv = s[5].p
            let bigY = s[6].p
            h.fill(x, d)
            h.fill(w, nw + g, scale: 1 / Float(d).squareRoot())
            twin(w, wr, wv, nw + g)
            h.fill(yr, kk + g)
            yv.update(from: yr, count: kk + g)
            let rates = [Float](repeating: eta, count: kk)
            if gha {
              ref.gha_step(kk, d, rates, x, wr, ldw, yr)
              k.gha_step(kk, d, rates, x, wv, ldw, yv)
            } else {
              ref.subspace_step(kk, d, rates, x, wr, ldw, yr)
              k.subspace_step(kk, d, rates, x, wv, ldw, yv)
            }
            for i in 0..<kk {
              var sum: Float = 0
              for j in 0..<d { sum += (w[i * ldw + j] * x[j]).magnitude }
              bigY[i] = sum
            }
            t.compare(yr, yv, kk + g) { i in i < kk ? bigY[i] : 0 }
            t.compare(wr, wv, nw + g) { e in
              let i = e / ldw, j = e % ldw
              guard e < nw && j < d else { return 0 }
              var r = x[j].magnitude
              for l in 0..<kk { r += bigY[l] * w[l * ldw + j].magnitude }
              return w[e].magnitude + eta * bigY[i] * r
            }
            t.cases += 1
          }
        }
      }
  }

  /// (2d + k + 10)ε at the largest d of the sweep (see the type's documentation).
  static func ruleTolerance(k: Int) -> Float { Float(2 * lengths.upperBound + k + 10) * eps }
}
