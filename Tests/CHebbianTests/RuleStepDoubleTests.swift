import CHebbian
import Hebbian
import Testing

/// The rule steps against an oracle of their own, deliberately independent of the kernels'
/// contracts: the matrix formula in Double precision, built from whole-matrix products rather
/// than the kernels' row/column recurrences, so a mistake shared by the scalar reference and
/// the vector bodies (which the contracts compare with each other) still shows. The shapes,
/// alignments and paddings are the contracts' (gha/gha-contract.h, oja/oja-contract.c), run
/// by KernelSweepTests; this suite checks the arithmetic itself, on one shape.
@Suite struct RuleStepDoubleTests {
  /// Every variant this CPU supports, scalar included.
  static func tables() -> [(ISA, hb_rule_kernels)] {
    variantTables(hb_rule_kernels_for).map { ($0.isa, $0.table.pointee) }
  }

  /// One step of each rule against the matrix formula evaluated in Double, built from
  /// whole-matrix products rather than the kernels' row/column recurrences:
  ///   GHA       ΔW = η (y xᵀ − LT(y yᵀ) W),   subspace  ΔW = η (y xᵀ − y yᵀ W),   y = W x.
  @Test(arguments: [true, false])
  func stepEqualsDoubleMatrixFormula(lowerTriangular: Bool) {
    let k = 8, d = 100, ldw = 104
    let eta: Float = 0.02
    var rng = SeededGenerator(seed: lowerTriangular ? 31 : 32)
    let x = Buffer(count: d, offset: 1, fill: 0)
    let w0 = Buffer(count: k * ldw, offset: 0, fill: 0)
    for j in 0..<d { x[j] = Float(rng.gaussian()) }
    for i in 0..<(k * ldw) { w0[i] = Float(rng.gaussian() * 0.1) }
    // Double reference.
    var y = [Double](repeating: 0, count: k)
    for i in 0..<k { for j in 0..<d { y[i] += Double(w0[i * ldw + j]) * Double(x[j]) } }
    var yyT = [Double](repeating: 0, count: k * k)
    for i in 0..<k {
      for j in 0..<k where !lowerTriangular || j <= i { yyT[i * k + j] = y[i] * y[j] }
    }
    var expected = [Double](repeating: 0, count: k * d)
    for i in 0..<k {
      for c in 0..<d {
        var feedback = 0.0
        for j in 0..<k { feedback += yyT[i * k + j] * Double(w0[j * ldw + c]) }
        expected[i * d + c] =
          Double(w0[i * ldw + c]) + Double(eta) * (y[i] * Double(x[c]) - feedback)
      }
    }
    // Each Float evaluation against the exact-ish Double one: one side of rounding.
    let bound = StepBound(
      k: k, d: d, ldw: ldw, eta: eta, x: x.p, w: w0.p, y: y, lowerTriangular: lowerTriangular,
      sides: 1)
    for (isa, table) in Self.tables() {
      let w = Buffer(count: k * ldw, offset: 3, fill: 0)
      let yo = Buffer(count: k, offset: 5, fill: 0)
      for i in 0..<(k * ldw) { w[i] = w0[i] }
      let rates = [Float](repeating: eta, count: k)
      if lowerTriangular {
        table.gha_step(k, d, rates, x.p, w.p, ldw, yo.p)
      } else {
        table.subspace_step(k, d, rates, x.p, w.p, ldw, yo.p)
      }
      var worstY = 0.0, worstW = 0.0
      for i in 0..<k {
        worstY = max(worstY, abs(Double(yo[i]) - y[i]) / bound.y[i])
        for c in 0..<d {
          let e = abs(Double(w[i * ldw + c]) - expected[i * d + c])
          worstW = max(worstW, e / bound.w[i * d + c])
        }
      }
      #expect(worstY <= 1, "\(isa.name): y error/bound = \(worstY)")
      #expect(worstW <= 1, "\(isa.name): W error/bound = \(worstW)")
      // The step must move W: a kernel that returned early would still pass the bound above
      // only if ΔW were within rounding, which it is not at these sizes.
      var moved = 0.0
      for i in 0..<k {
        for c in 0..<d { moved = max(moved, abs(expected[i * d + c] - Double(w0[i * ldw + c]))) }
      }
      #expect(moved > 1e-3)
    }
  }
}

/// Forward error bounds for one rule step evaluated in Float with any summation order, with
/// or without fused multiply-adds (Higham, Accuracy and Stability, §3.1: a length-n dot product
/// has |error| ≤ γₙ Σ|aᵢbᵢ|, γₙ ≈ n·u, u = 2⁻²⁴).
///   y_i:  γ_{d+2} Σ_c |W_ic x_c|.
///   W_ic: the residual r_ic = x_c − Σ_{j∈R(i)} y_j W_jc (R(i) = rows ≤ i for GHA, all rows for
///         the subspace rule) inherits the y errors times |W_jc| plus its own γ_{m+2} rounding
///         over S_ic = |x_c| + Σ_{j∈R(i)} |y_j W_jc|; the update η y_i r_ic adds |η|(δy_i S_ic +
///         |y_i| δr_ic), and the final multiply and add round once more (2u of the terms).
/// `sides` = 1 against the exact (Double) reference; everything is doubled once more as a
/// safety factor for the first-order (γ ≈ n·u) model.
struct StepBound {
  var y: [Double]
  var w: [Double]

  init(
    k: Int, d: Int, ldw: Int, eta: Float, x: UnsafePointer<Float>, w: UnsafePointer<Float>,
    y refY: [Double], lowerTriangular: Bool, sides: Double
  ) {
    let u = 0x1p-24
    let safety = 2.0
    let eta = abs(Double(eta))
    y = []
    for i in 0..<k {
      var a = 0.0
      for c in 0..<d { a += abs(Double(w[i * ldw + c]) * Double(x[c])) }
      // The tiny absolute floor covers a zero row against a zero input.
      y.append(safety * sides * Double(d + 2) * u * a + 1e-30)
    }
    self.w = [Double](repeating: 0, count: k * d)
    for c in 0..<d {
      let xc = abs(Double(x[c]))
      var s = xc, dr = 0.0, m = 0
      if !lowerTriangular {
        for j in 0..<k {
          let wj = abs(Double(w[j * ldw + c]))
          s += abs(refY[j]) * wj
          dr += y[j] * wj
        }
        m = k
      }
      for i in 0..<k {
        let wi = abs(Double(w[i * ldw + c]))
        if lowerTriangular {
          s += abs(refY[i]) * wi
          dr += y[i] * wi
          m = i + 1
        }
        let dR = dr + sides * Double(m + 2) * u * s
        let ay = abs(refY[i])
        let e = eta * (y[i] * s + ay * dR) + sides * 2 * u * (wi + eta * ay * s)
        self.w[i * d + c] = safety * e + 1e-30
      }
    }
  }
}

/// The worked example of the RuleStepKernels article, so the numbers printed there stay true.
@Suite struct RuleStepArticleExample {
  @Test func ghaExampleMovesRowZeroOnly() throws {
    var w: [Float] = [1, 0, 0, 0, 0, 1, 0, 0]
    var y = [Float](repeating: 0, count: 2)
    let x: [Float] = [0.5, 0.25, 0, 0]
    var ws = w.mutableSpan
    var ys = y.mutableSpan
    let rates: [Float] = [0.1, 0.1]
    try Kernels.ghaStep(components: 2, dimension: 4, eta: rates.span, x.span, &ws, ldw: 4, &ys)
    _ = consume ws
    _ = consume ys
    // Tolerance 0: y is exact, and η·y_0·r_1 = 0.1f / 8 is the Float nearest 0.0125 because
    // scaling by powers of two commutes with rounding.
    #expect(y == [0.5, 0.25])
    #expect(w == [1, 0.0125, 0, 0, 0, 1, 0, 0])
  }
}

/// A rate per row: row i of a step at rates eta must be, bit for bit, row i of the step with
/// every rate equal to eta_i, on every variant (the residual of both rules depends on the old
/// W and y only, never on the rates).
@Suite struct RowRateTests {
  @Test(arguments: [false, true])
  func eachRowStepsAtItsOwnRate(gha: Bool) {
    var rng = SeededGenerator(seed: gha ? 0x71 : 0x72)
    for (isa, table) in RuleStepDoubleTests.tables() {
      for (k, d) in [(1, 5), (3, 6), (4, 16), (5, 37), (9, 64)] {
        let x = (0..<d).map { _ in Float(rng.gaussian()) }
        let w0 = (0..<(k * d)).map { _ in Float(rng.gaussian() / Double(d).squareRoot()) }
        let rates = (0..<k).map { Float(0.01) * Float($0 + 1) }
        func step(_ eta: [Float]) -> [Float] {
          var w = w0
          var y = [Float](repeating: 0, count: k)
          if gha {
            table.gha_step(k, d, eta, x, &w, d, &y)
          } else {
            table.subspace_step(k, d, eta, x, &w, d, &y)
          }
          return w
        }
        let mixed = step(rates)
        for i in 0..<k {
          let uniform = step([Float](repeating: rates[i], count: k))
          let row = (i * d)..<((i + 1) * d)
          #expect(
            mixed[row].map(\.bitPattern) == uniform[row].map(\.bitPattern),
            "\(gha ? "gha" : "subspace") \(isa.name) k=\(k) d=\(d) row \(i)")
        }
      }
    }
  }
}
