import Testing

@testable import Hebbian

@Suite struct TwoLayerMemoryTests {
  @Test func softmaxLagrangianReproducesTheModernUpdate() throws {
    // Same cues, same β: the ODE's resting point and the iterated modern update must be the
    // same point. Both stop at a relative move of 1e-6–1e-7 per step on entries of size
    // ≤ 1, and the map contracts by ≥ 2× near a retrieved memory, so 1e-4 bounds the gap.
    let n = 32, p = 20
    var rng = SeededGenerator(seed: 31)
    let patterns = DenseAndModernMemoryTests.unitPatterns(p, n, &rng)
    var modern = try ModernHopfield(dimension: n, capacity: p, beta: 8, tolerance: 1e-7)
    var twoLayer = try TwoLayerMemory(
      dimension: n, capacity: p, feature: .quadratic, memory: .logSumExp(beta: 8))
    for mu in 0..<p {
      try modern.store(patterns[(mu * n)..<((mu + 1) * n)].span)
      try twoLayer.store(patterns[(mu * n)..<((mu + 1) * n)].span)
    }
    var a = [Float](repeating: 0, count: n)
    var b = [Float](repeating: 0, count: n)
    var worst: Float = 0
    for mu in 0..<5 {
      var cue = Array(patterns[(mu * n)..<((mu + 1) * n)])
      for j in 0..<n { cue[j] += Float(rng.gaussian()) * 0.08 }
      let r = try twoLayer.recall(cue, into: &a)
      #expect(r.converged)
      try modern.recall(cue, into: &b)
      for j in 0..<n { worst = max(worst, abs(a[j] - b[j])) }
    }
    #expect(worst < 1e-4)
  }

  @Test func powerLagrangianReproducesTheDenseMemory() throws {
    // P = 20 = 0.2 N binary patterns (beyond the classical 0.138 N), n = 3, tanh features:
    // the saturated resting state must be the state the dense memory's own update rule
    // reaches from the same 10 %-flipped cue (and the stored pattern), sign for sign.
    let n = 100, p = 20
    var rng = SeededGenerator(seed: 17)
    let patterns = randomBipolar(p, n, &rng)
    var dense = try DenseMemory(dimension: n, capacity: p, interaction: .polynomial(degree: 3))
    var twoLayer = try TwoLayerMemory(
      dimension: n, capacity: p, feature: .logCosh(gain: 1), memory: .power(degree: 3))
    for mu in 0..<p {
      try dense.store(patterns[(mu * n)..<((mu + 1) * n)].span)
      try twoLayer.store(patterns[(mu * n)..<((mu + 1) * n)].span)
    }
    var a = [Float](repeating: 0, count: n)
    var b = [Float](repeating: 0, count: n)
    for mu in 0..<8 {
      let target = Array(patterns[(mu * n)..<((mu + 1) * n)])
      let cue = flipped(target[...], fraction: 0.1, &rng)
      let r = try twoLayer.recall(cue, into: &a)
      #expect(r.converged)
      try dense.recall(cue, into: &b)
      let signs = a.map { $0 > 0 ? Float(1) : -1 }
      #expect(signs == b)
      #expect(signs == target)
      // Saturated: |g| within 1e-6 of 1 (tanh of fields of order N²).
      #expect(a.allSatisfy { abs(abs($0) - 1) < 1e-6 })
    }
  }

  @Test func energyDoesNotIncreaseAlongTheTrajectory() throws {
    // E is a Lyapunov function of the continuous dynamics; with dt = 0.02 the discrete
    // steps track it, so E after k steps must be non-increasing in k (up to 1e-5 relative
    // float rounding of sums of size ≈ 1), and it must fall overall (measured −0.19 → −0.55).
    let n = 16, p = 6
    var rng = SeededGenerator(seed: 2)
    let patterns = DenseAndModernMemoryTests.unitPatterns(p, n, &rng)
    var twoLayer = try TwoLayerMemory(
      dimension: n, capacity: p, memory: .logSumExp(beta: 4), dt: 0.02)
    for mu in 0..<p { try twoLayer.store(patterns[(mu * n)..<((mu + 1) * n)].span) }
    var cue = [Float](repeating: 0, count: n)
    for j in 0..<n { cue[j] = Float(rng.gaussian()) * 0.3 }
    var state = [Float](repeating: 0, count: n)
    var previous = Float.infinity
    var first = Float.nan
    for k in [1, 2, 4, 8, 16, 32, 64, 128, 256] {
      twoLayer.maxSteps = k
      try twoLayer.recall(cue, into: &state)
      let e = twoLayer.energy
      #expect(e <= previous + 1e-5 * (1 + abs(previous)), "k \(k): \(e) after \(previous)")
      previous = e
      if k == 1 { first = e }
    }
    #expect(previous < first - 0.05, "\(first) -> \(previous)")
  }
}
