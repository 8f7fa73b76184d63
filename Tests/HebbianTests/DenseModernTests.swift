import Testing

@testable import Hebbian
@testable import HebbianExperiments

@Suite struct DenseAndModernMemoryTests {
  @Test(arguments: [
    DenseMemory.Interaction.polynomial(degree: 3), .rectifiedPolynomial(degree: 3), .exponential,
  ])
  func denseMemoryStoresFarBeyondClassicalCapacity(interaction: DenseMemory.Interaction) throws {
    // P = 0.5 N = 100 patterns at N = 200: 3.6× the classical 0.138 N. For n = 3 the
    // cross-talk noise falls like sqrt(P / N^2) ≈ 0.05 of the signal, so every probe from a
    // 10 %-flipped cue must come back exactly; the classical network at this load must not.
    let n = 200, p = 100
    var memory = try DenseMemory(dimension: n, capacity: p, interaction: interaction, seed: 3)
    let points = try CapacitySweep.run(&memory, patternCounts: [p], trials: 1, probes: 12, seed: 5)
    #expect(points[0].exact == 1)
    var classical = try HopfieldMemory(dimension: n, capacity: p, seed: 3)
    let c = try CapacitySweep.run(&classical, patternCounts: [p], trials: 1, probes: 12, seed: 5)
    #expect(c[0].exact == 0 && c[0].overlap < 0.6)
  }

  @Test func denseDegreeTwoIsTheClassicalNetwork() throws {
    // F(x) = x²: F(r+1) − F(r−1) = 4r, the classical field up to the factor 4 and the
    // diagonal term; synchronous recall must give the same states as HopfieldMemory.
    let n = 120, p = 10
    var rng = SeededGenerator(seed: 8)
    let patterns = randomBipolar(p, n, &rng)
    var dense = try DenseMemory(
      dimension: n, capacity: p, interaction: .polynomial(degree: 2), update: .synchronous)
    var classical = try HopfieldMemory(dimension: n, capacity: p, update: .synchronous)
    for mu in 0..<p {
      try dense.store(patterns[(mu * n)..<((mu + 1) * n)].span)
      try classical.store(patterns[(mu * n)..<((mu + 1) * n)].span)
    }
    var a = [Float](repeating: 0, count: n)
    var b = [Float](repeating: 0, count: n)
    for mu in 0..<p {
      let cue = flipped(patterns[(mu * n)..<((mu + 1) * n)], fraction: 0.25, &rng)
      let ra = try dense.recall(cue, into: &a)
      let rb = try classical.recall(cue, into: &b)
      #expect(a == b && ra == rb)
    }
    // Energy of a stored pattern: −Σ_μ (ξ^μ·ξ¹)² ≤ −N² = −14400.
    #expect(try dense.energy(patterns[0..<n].span) <= -14400)
  }

  static func unitPatterns(_ p: Int, _ n: Int, _ rng: inout SeededGenerator) -> [Float] {
    var x = [Float](repeating: 0, count: p * n)
    for mu in 0..<p {
      var norm: Float = 0
      for j in 0..<n {
        x[mu * n + j] = Float(rng.gaussian())
        norm += x[mu * n + j] * x[mu * n + j]
      }
      for j in 0..<n { x[mu * n + j] /= norm.squareRoot() }
    }
    return x
  }

  static func cosine(_ a: [Float], _ b: ArraySlice<Float>) -> Float {
    var ab: Float = 0, aa: Float = 0, bb: Float = 0
    for (i, j) in zip(a.indices, b.indices) {
      ab += a[i] * b[j]
      aa += a[i] * a[i]
      bb += b[j] * b[j]
    }
    return ab / (aa * bb).squareRoot()
  }

  @Test func modernRetrievesContinuousPatternsAtLargeBeta() throws {
    // 256 unit-norm Gaussian patterns in 64 dimensions (max pairwise cosine ≈ 0.55), cues =
    // pattern + noise of norm ≈ 0.5 (cue cosine ≈ 0.9). Separation Δ ≈ 0.3 of the cue's
    // projection, so β = 64 gives softmax weights off the target of ≈ 255·e^(−64·0.3) ≈ 1e-6:
    // cosine > 0.99 in one or two updates. At β = 1 the update averages many patterns.
    let n = 64, p = 256
    var rng = SeededGenerator(seed: 12)
    let patterns = Self.unitPatterns(p, n, &rng)
    var memory = try ModernHopfield(dimension: n, capacity: p, beta: 64)
    for mu in 0..<p { try memory.store(patterns[(mu * n)..<((mu + 1) * n)].span) }
    var state = [Float](repeating: 0, count: n)
    var worst: Float = 1
    var worstCold: Float = 1
    for mu in stride(from: 0, to: p, by: 8) {
      var cue = Array(patterns[(mu * n)..<((mu + 1) * n)])
      for j in 0..<n { cue[j] += Float(rng.gaussian()) * 0.0625 }
      memory.beta = 64
      let r = try memory.recall(cue, into: &state)
      #expect(r.converged && r.steps <= 5)
      worst = min(worst, Self.cosine(state, patterns[(mu * n)..<((mu + 1) * n)]))
      // The energy of the retrieved state is below that of the cue.
      #expect(try memory.energy(state.span) <= memory.energy(cue.span))
      memory.beta = 1
      _ = try memory.recall(cue, into: &state)
      worstCold = min(worstCold, Self.cosine(state, patterns[(mu * n)..<((mu + 1) * n)]))
    }
    #expect(worst > 0.99)
    #expect(worstCold < 0.9)
  }

  @Test func oneModernStepIsTheAttentionUpdate() throws {
    // ξ' = X softmax(β Xᵀ ξ) computed directly in Double: agreement to 1e-5 (float GEMV and
    // softmax rounding on entries of size ≤ 1).
    let n = 16, p = 5
    var rng = SeededGenerator(seed: 4)
    let patterns = Self.unitPatterns(p, n, &rng)
    var memory = try ModernHopfield(dimension: n, capacity: p, beta: 3)
    for mu in 0..<p { try memory.store(patterns[(mu * n)..<((mu + 1) * n)].span) }
    var cue = [Float](repeating: 0, count: n)
    for j in 0..<n { cue[j] = Float(rng.gaussian()) * 0.3 }
    var state = [Float](repeating: 0, count: n)
    var span = state.mutableSpan
    try memory.step(cue.span, into: &span)
    _ = consume span
    var w = [Double](repeating: 0, count: p)
    var z = 0.0
    for mu in 0..<p {
      var d = 0.0
      for j in 0..<n { d += Double(patterns[mu * n + j]) * Double(cue[j]) }
      w[mu] = Math.exp(3 * d)
      z += w[mu]
    }
    for j in 0..<n {
      var e = 0.0
      for mu in 0..<p { e += w[mu] / z * Double(patterns[mu * n + j]) }
      #expect(abs(Double(state[j]) - e) < 1e-5)
    }
  }
}
