import CHebbian
import Hebbian
import Testing

/// Every vector variant of the plasticity family against the scalar reference, on k×d blocks
/// with d = 1…67 (all tails around the 4- and 8-lane widths), a row stride ldw = d + 3 and
/// pointers one float past a 64-byte boundary.
///
/// Tolerance: each weight changes by at most three multiply-adds on values of magnitude ≤ 2;
/// fused (one rounding) against unfused (two) differs by a few ulp of 2, i.e. < 1e-6. We allow
/// 4e-6 absolute so the check stays meaningful (a wrong term moves a weight by ≥ 1e-3).
@Suite struct PlasticityKernelTests {
  static let tolerance: Float = 4e-6
  static let rows = [1, 2, 5]

  static var vectorTables: [UnsafePointer<hb_plasticity_kernels>] {
    variantTables(hb_plasticity_kernels_for, includingScalar: false).map(\.table)
  }

  static func random(_ n: Int, _ rng: inout SeededGenerator, lo: Float = -1, hi: Float = 1)
    -> [Float]
  {
    (0..<n).map { _ in lo + (hi - lo) * Float(rng.uniform()) }
  }

  static func expectClose(_ a: [Float], _ b: [Float], _ what: String) {
    #expect(a.count == b.count)
    var worst: Float = 0
    for i in 0..<a.count { worst = max(worst, abs(a[i] - b[i])) }
    #expect(worst <= tolerance, "\(what): max |diff| \(worst)")
  }

  /// Runs `body` for each (table, k, d) with fresh identical inputs for the vector variant
  /// and the scalar reference.
  static func sweep(
    _ name: String,
    _ body: (UnsafePointer<hb_plasticity_kernels>, Int, Int, inout SeededGenerator) -> Void
  ) {
    for table in vectorTables {
      for k in rows {
        for d in 1...67 {
          var rng = SeededGenerator(seed: UInt64(1000 * k + d))
          body(table, k, d, &rng)
        }
      }
    }
  }

  @Test func rateRuleStepsMatchScalar() {
    let scalar = hb_plasticity_kernels_for(HB_ISA_SCALAR)!
    var cases = 0
    Self.sweep("rate") { table, k, d, rng in
      let ldw = d + 3
      let w0 = Self.random(k * ldw, &rng)
      let x = Buffer(Self.random(d, &rng))
      let y = Buffer(Self.random(k, &rng))
      let theta = Buffer(Self.random(k, &rng, lo: 0, hi: 1))
      let eta: Float = 0.37, lambda: Float = 0.05
      for kernel in 0..<3 {
        let a = Buffer(w0), b = Buffer(w0)
        switch kernel {
        case 0:
          table.pointee.hebb_decay_step(k, d, eta, lambda, x.p, y.p, a.p, ldw)
          scalar.pointee.hebb_decay_step(k, d, eta, lambda, x.p, y.p, b.p, ldw)
        case 1:
          table.pointee.instar_step(k, d, eta, x.p, y.p, a.p, ldw)
          scalar.pointee.instar_step(k, d, eta, x.p, y.p, b.p, ldw)
        default:
          table.pointee.bcm_step(k, d, eta, x.p, y.p, theta.p, a.p, ldw)
          scalar.pointee.bcm_step(k, d, eta, x.p, y.p, theta.p, b.p, ldw)
        }
        Self.expectClose(
          a.array, b.array, "kernel \(kernel) isa \(table.pointee.isa) k \(k) d \(d)")
        // The padding between rows (ldw > d) is never written.
        for i in 0..<k {
          for j in d..<ldw where a.array[i * ldw + j] != w0[i * ldw + j] {
            Issue.record("kernel \(kernel) wrote padding at row \(i) column \(j)")
          }
        }
        cases += 1
      }
    }
    #expect(cases == Self.vectorTables.count * Self.rows.count * 67 * 3)
  }

  @Test func stdpTraceStepMatchesScalar() {
    let scalar = hb_plasticity_kernels_for(HB_ISA_SCALAR)!
    var cases = 0
    Self.sweep("stdp") { table, k, d, rng in
      let ldw = d + 3
      let w0 = Self.random(k * ldw, &rng, lo: 0, hi: 1)
      let preSpikes = Buffer((0..<d).map { _ in rng.uniform() < 0.3 ? 1 : 0 })
      let postSpikes = Buffer((0..<k).map { _ in rng.uniform() < 0.5 ? 1 : 0 })
      let preTrace0 = Self.random(d, &rng, lo: 0, hi: 2)
      let postTrace0 = Self.random(k, &rng, lo: 0, hi: 2)
      for mode in 0..<4 {
        var p = hb_stdp_params(
          decay_pre: 0.95, decay_post: 0.9, a_pre: -0.0105, c_pre: mode == 3 ? -0.004 : 0,
          a_post: 0.01, c_post: 0, w_min: 0, w_max: 1, bounds: hb_stdp_bounds(UInt32(mode & 1)),
          pairing: hb_stdp_pairing(UInt32(mode >> 1)))
        let wa = Buffer(w0), wb = Buffer(w0)
        let xa = Buffer(preTrace0), xb = Buffer(preTrace0)
        let ya = Buffer(postTrace0), yb = Buffer(postTrace0)
        table.pointee.stdp_trace_step(k, d, &p, preSpikes.p, xa.p, postSpikes.p, ya.p, wa.p, ldw)
        scalar.pointee.stdp_trace_step(k, d, &p, preSpikes.p, xb.p, postSpikes.p, yb.p, wb.p, ldw)
        let what = "stdp mode \(mode) isa \(table.pointee.isa) k \(k) d \(d)"
        Self.expectClose(wa.array, wb.array, what + " W")
        Self.expectClose(xa.array, xb.array, what + " pre trace")
        Self.expectClose(ya.array, yb.array, what + " post trace")
        cases += 1
      }
    }
    #expect(cases == Self.vectorTables.count * Self.rows.count * 67 * 4)
  }

  /// The scalar reference itself against the equations, on one hand-checked synapse.
  @Test func scalarReferenceFollowsTheEquations() {
    let s = hb_plasticity_kernels_for(HB_ISA_SCALAR)!.pointee
    var w: [Float] = [0.5, 0.5]
    let x: [Float] = [1, 0]
    let y: [Float] = [2]
    s.hebb_decay_step(1, 2, 0.1, 0.5, x, y, &w, 2)
    // 0.5·0.5 + 0.1·2·1 = 0.45 ; 0.5·0.5 = 0.25  (exact in binary floating point to 1 ulp)
    #expect(abs(w[0] - 0.45) < 1e-7 && abs(w[1] - 0.25) < 1e-7)
    w = [0.5, 0.5]
    s.instar_step(1, 2, 0.1, x, y, &w, 2)
    // 0.5 + 0.2·0.5 = 0.6 ; 0.5 + 0.2·(−0.5) = 0.4
    #expect(abs(w[0] - 0.6) < 1e-7 && abs(w[1] - 0.4) < 1e-7)
    w = [0.5, 0.5]
    let theta: [Float] = [3]
    s.bcm_step(1, 2, 0.1, x, y, theta, &w, 2)
    // y (y − θ) = −2 below threshold: LTD of the active input only: 0.5 − 0.2 = 0.3
    #expect(abs(w[0] - 0.3) < 1e-7 && w[1] == 0.5)
  }
}

/// The checked Swift entry points: shapes are validated before the kernel runs, and a valid
/// call computes what the dispatched C kernel computes (same code path, so bit-equal).
@Suite struct PlasticityKernelWrapperTests {
  @Test func checkedEntryPointsValidateShapesAndMatchTheCKernels() throws {
    let x: [Float] = [1, -2, 0.5], y: [Float] = [0.5, 2], theta: [Float] = [1, 1]
    let start: [Float] = [0.1, 0.2, 0.3, 9, 0.4, 0.5, 0.6]  // 2×3 with ldw = 4
    var viaC = start
    hb_bcm_step_f32(2, 3, 0.1, x, y, theta, &viaC, 4)
    var viaSwift = start
    var span = viaSwift.mutableSpan
    try Kernels.bcmStep(
      rows: 2, columns: 3, eta: 0.1, x.span, y.span, threshold: theta.span, &span, ldw: 4)
    _ = consume span
    #expect(viaSwift == viaC)
    #expect(viaC[3] == 9)  // the gap between rows is untouched
    #expect(viaC[0] != start[0])

    var short: [Float] = [0, 0, 0, 0, 0]  // 2×3 with ldw = 4 needs 7
    var shortSpan = short.mutableSpan
    #expect(throws: HebbianError.dimensionMismatch(what: "hebb: W elements", expected: 7, got: 5)) {
      try Kernels.hebbDecayStep(
        rows: 2, columns: 3, eta: 0.1, decay: 0, x.span, y.span, &shortSpan, ldw: 4)
    }
    _ = consume shortSpan
    #expect(short == [0, 0, 0, 0, 0])

    let pre: [Float] = [1], post: [Float] = [0]
    var preTrace: [Float] = [0], postTrace: [Float] = [0.5], weight: [Float] = [0.5]
    var xs = preTrace.mutableSpan, ys = postTrace.mutableSpan, ws = weight.mutableSpan
    try Kernels.stdpTraceStep(
      rows: 1, columns: 1, rule: .classic(aPlus: 0.01, aMinus: 0.01), dt: 1,
      preSpikes: pre.span, preTrace: &xs, postSpikes: post.span, postTrace: &ys, &ws, ldw: 1)
    _ = consume xs
    _ = consume ys
    _ = consume ws
    // A pre spike meets the post trace decayed to 0.5 e^(−1/20): LTD of 0.01 times that
    // (2 roundings: 1e-7 is several ulp of 0.5); the pre trace jumps to 1.
    let expected: Float = 0.5 - 0.01 * 0.5 * Float(Math.exp(-1.0 / 20))
    #expect(abs(weight[0] - expected) < 1e-7)
    #expect(preTrace[0] == 1)
  }
}
