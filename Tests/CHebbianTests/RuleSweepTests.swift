import CHebbian
import Hebbian
import Testing

/// Every supported variant of the fused rule steps against the scalar reference over the
/// shapes that exercise the vector bodies' blocking: k around the 8-row groups of pass 1, d
/// over 1…67 (every tail length around the 8- and 4-lane widths and the 64-column panels)
/// plus a few larger sizes, padded rows (ldw > d) and pointers off the vector alignment; at
/// d ≤ 16 (the small-d bodies) every k ≤ 16 at every alignment.
@Suite struct RuleSweepTests {
  static let ks = [1, 2, 3, 4, 5, 7, 8, 9, 16]
  static let largeDs = [128, 255, 256, 257, 1000]
  /// Written into the row padding and past y; a kernel that touches them fails exactly.
  static let sentinel: Float = 12345.5

  enum Rule { case gha, subspace }

  /// The variants to check: every one this CPU supports (scalar included, so the suite also
  /// runs, and checks the padding, when no vector body exists).
  static func tables() -> [(ISA, hb_rule_kernels)] {
    variantTables(hb_rule_kernels_for).map { ($0.isa, $0.table.pointee) }
  }

  @Test func ghaVariantsMatchScalarOverShapeSweep() {
    sweep(.gha, shapes: Self.sweepShapes())
  }

  @Test func subspaceVariantsMatchScalarOverShapeSweep() {
    sweep(.subspace, shapes: Self.sweepShapes())
  }

  /// The small-d bodies (d ≤ 16, one instance per d): every k up to 16 (the 8-, 4-, 2- and
  /// 1-row groups of pass 1), every misalignment of W and x, rows packed (ldw = d), padded,
  /// and a multiple of 4 KiB (the two-row grouping).
  static func smallShapes() -> [(k: Int, d: Int, ldw: Int, off: Int)] {
    var shapes: [(k: Int, d: Int, ldw: Int, off: Int)] = []
    for d in 1...16 {
      for k in 1...16 {
        for off in 0..<8 {
          let ldw = off == 7 ? 1024 : d + off % 3
          shapes.append((k, d, ldw, off))
        }
      }
    }
    return shapes
  }

  @Test func ghaSmallDimensionsMatchScalarAtEveryAlignment() {
    sweep(.gha, shapes: Self.smallShapes())
  }

  @Test func subspaceSmallDimensionsMatchScalarAtEveryAlignment() {
    sweep(.subspace, shapes: Self.smallShapes())
  }

  @Test func ojaVariantsMatchScalarOverShapeSweep() {
    var rng = SeededGenerator(seed: 0x0A1A)
    let scalar = hb_rule_kernels_for(HB_ISA_SCALAR)!.pointee
    for (isa, table) in Self.tables() {
      // d ≤ 16 (the small-d bodies) at every misalignment of w, the rest at one.
      var shapes: [(d: Int, off: Int)] = []
      for d in 1...16 { for off in 0..<8 { shapes.append((d, off)) } }
      for d in Array(17...67) + Self.largeDs { shapes.append((d, d % 8)) }
      for (d, off) in shapes {
        let x = Buffer(count: d, offset: (off + 3) % 8, fill: 0)
        let w0 = Buffer(count: d + 1, offset: off, fill: Self.sentinel)
        for j in 0..<d {
          x[j] = Float(rng.gaussian())
          w0[j] = Float(rng.gaussian() / Double(d).squareRoot())
        }
        let eta: Float = 0.05
        let ws = Buffer(count: d + 1, offset: off, fill: 0)
        let wv = Buffer(count: d + 1, offset: (off + 5) % 8, fill: 0)
        for j in 0...d {
          ws[j] = w0[j]
          wv[j] = w0[j]
        }
        let ys = scalar.oja_step(d, eta, x.p, ws.p)
        let yv = table.oja_step(d, eta, x.p, wv.p)
        // Oja's rule is GHA with one row: the same bound applies.
        let bound = StepBound(
          k: 1, d: d, ldw: d, eta: eta, x: x.p, w: w0.p, y: [Double(ys)], lowerTriangular: true,
          sides: 2)
        #expect(abs(Double(yv) - Double(ys)) <= bound.y[0], "oja \(isa.name) d=\(d) y")
        var worst = 0.0
        for j in 0..<d { worst = max(worst, abs(Double(wv[j]) - Double(ws[j])) / bound.w[j]) }
        #expect(worst <= 1, "oja \(isa.name) d=\(d): W error/bound = \(worst)")
        #expect(wv[d] == Self.sentinel, "oja \(isa.name) d=\(d) wrote past w")
      }
    }
  }

  /// Padding of 0…3 columns (ldw == d one time in four), plus rows of a multiple of 4 KiB,
  /// which take the two-row pass 1 and the row-by-row sweeps; 0…7 floats of misalignment.
  static func sweepShapes() -> [(k: Int, d: Int, ldw: Int, off: Int)] {
    var shapes: [(k: Int, d: Int, ldw: Int)] = []
    for k in Self.ks { for d in 1...67 { shapes.append((k, d, d + (k + d) % 4)) } }
    for d in Self.largeDs { shapes.append((16, d, d + d % 4)) }
    shapes += [(5, 1000, 1024), (16, 1024, 1024), (3, 67, 2048), (2, 515, 1024), (9, 1030, 2048)]
    // More than one residual chunk of the row-by-row sweeps (4096 columns), with a tail.
    shapes += [(3, 4100, 8192), (2, 8195, 9216)]
    return shapes.map { ($0.k, $0.d, $0.ldw, (3 * $0.k + $0.d) % 8) }
  }

  func sweep(_ rule: Rule, shapes: [(k: Int, d: Int, ldw: Int, off: Int)]) {
    var rng = SeededGenerator(seed: rule == .gha ? 0x6A : 0x5B)
    let scalar = hb_rule_kernels_for(HB_ISA_SCALAR)!.pointee
    let tables = Self.tables()
    for (k, d, ldw, off) in shapes {
      let n = (k - 1) * ldw + d
      let x = Buffer(count: d, offset: (off + 1) % 8, fill: 0)
      let w0 = Buffer(count: k * ldw, offset: 0, fill: Self.sentinel)
      for j in 0..<d { x[j] = Float(rng.gaussian()) }
      for i in 0..<k {
        for j in 0..<d { w0[i * ldw + j] = Float(rng.gaussian() / Double(d).squareRoot()) }
      }
      let eta: Float = 0.05
      let ws = Buffer(count: k * ldw, offset: off, fill: 0)
      let ys = Buffer(count: k + 1, offset: off, fill: Self.sentinel)
      for i in 0..<n { ws[i] = w0[i] }
      let rates = [Float](repeating: eta, count: k)
      if rule == .gha {
        scalar.gha_step(k, d, rates, x.p, ws.p, ldw, ys.p)
      } else {
        scalar.subspace_step(k, d, rates, x.p, ws.p, ldw, ys.p)
      }
      var yRef: [Double] = []
      for i in 0..<k { yRef.append(Double(ys[i])) }
      let bound = StepBound(
        k: k, d: d, ldw: ldw, eta: eta, x: x.p, w: w0.p, y: yRef,
        lowerTriangular: rule == .gha, sides: 2)
      for (isa, table) in tables {
        let voff = (off + 3) % 8
        let wv = Buffer(count: k * ldw, offset: voff, fill: 0)
        let yv = Buffer(count: k + 1, offset: voff, fill: Self.sentinel)
        for i in 0..<(k * ldw) { wv[i] = w0[i] }
        if rule == .gha {
          table.gha_step(k, d, rates, x.p, wv.p, ldw, yv.p)
        } else {
          table.subspace_step(k, d, rates, x.p, wv.p, ldw, yv.p)
        }
        let tag = "\(rule) \(isa.name) k=\(k) d=\(d) ldw=\(ldw)"
        var worstY = 0.0, worstW = 0.0, padding = 0
        for i in 0..<k {
          worstY = max(worstY, abs(Double(yv[i]) - Double(ys[i])) / bound.y[i])
          for j in 0..<ldw {
            if j < d {
              let e = abs(Double(wv[i * ldw + j]) - Double(ws[i * ldw + j]))
              worstW = max(worstW, e / bound.w[i * d + j])
            } else if wv[i * ldw + j] != Self.sentinel {
              padding += 1
            }
          }
        }
        #expect(worstY <= 1, "\(tag): y error/bound = \(worstY)")
        #expect(worstW <= 1, "\(tag): W error/bound = \(worstW)")
        #expect(padding == 0, "\(tag): \(padding) padding elements written")
        #expect(yv[k] == Self.sentinel, "\(tag): wrote past y")
      }
    }
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
/// `sides` = 2 when both evaluations round (variant vs scalar), 1 against an exact reference;
/// everything is doubled once more as a safety factor for the first-order (γ ≈ n·u) model.
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
    for (isa, table) in RuleSweepTests.tables() {
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
