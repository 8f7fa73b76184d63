import Hebbian
import Testing

/// Rate-based local rules: plain Hebb, covariance, instar and BCM on seeded synthetic streams.
@Suite struct RatePlasticityTests {
  /// Orthonormal (Hadamard) basis of R⁴: the eigenvectors of the test streams.
  static let basis: [[Float]] = [
    [0.5, 0.5, 0.5, 0.5], [0.5, -0.5, 0.5, -0.5], [0.5, 0.5, -0.5, -0.5], [0.5, -0.5, -0.5, 0.5],
  ]

  /// x = mean + Σ_k √λ_k g_k e_k, so Cov(x) has eigenvalues λ along `basis`.
  static func sample(
    _ rng: inout SeededGenerator, variances: [Float] = [4, 1, 0.5, 0.25],
    mean: [Float] = [0, 0, 0, 0]
  ) -> [Float] {
    var x = mean
    for k in 0..<4 {
      let g = Float(rng.gaussian()) * variances[k].squareRoot()
      for j in 0..<4 { x[j] += g * basis[k][j] }
    }
    return x
  }

  static func cosine(_ w: [Float], _ e: [Float]) -> Float {
    var dot: Float = 0, n: Float = 0
    for j in 0..<w.count {
      dot += w[j] * e[j]
      n += w[j] * w[j]
    }
    return abs(dot) / n.squareRoot()
  }

  @Test func plainHebbGrowsWithoutBoundDecayAndNormalisationBoundItOnTheTopEigenvector() throws {
    // η λ₁ = 0.008 per sample: without decay ‖w‖ grows like e^(0.008 t), ≈ e^16 ≈ 9·10⁶ after
    // 2000 samples (the stochastic growth is within a factor ~10 of that).
    var plain = try HebbianLearner(inputs: 4, learningRate: 0.002, seed: 3)
    // λ = 1.5 η λ₁ > η λ₁: every direction shrinks, the top one slowest.
    var decayed = try HebbianLearner(inputs: 4, learningRate: 0.002, decay: 0.012, seed: 3)
    var normalized = try HebbianLearner(
      inputs: 4, learningRate: 0.002, normalizesRows: true, seed: 3)
    let start = plain.rowNorm(0)
    var maxDecayed: Float = 0
    var rng = SeededGenerator(seed: 11)
    for _ in 0..<2000 {
      let x = Self.sample(&rng)
      try plain.update(x.span)
      try decayed.update(x.span)
      try normalized.update(x.span)
      maxDecayed = max(maxDecayed, decayed.rowNorm(0))
    }
    #expect(plain.rowNorm(0) > 1e5 * start, "plain Hebb norm \(plain.rowNorm(0))")
    #expect(plain.rowNorm(0).isFinite)
    // Bounded: the decayed norm never exceeds its start by more than the first-steps noise (10 %).
    #expect(maxDecayed <= 1.1 * start, "decayed max norm \(maxDecayed) vs start \(start)")
    #expect(decayed.rowNorm(0) > 0)
    // Normalised rows hold ‖w‖ = 1 to float rounding (a few ulp).
    #expect(abs(normalized.rowNorm(0) - 1) < 1e-5)
    // All three point along e₁. The eigen-gap λ₁−λ₂ = 3 contracts the other directions by
    // e^(−0.006 t) ≈ e^(−12), so 0.99 leaves a wide margin for sampling noise.
    #expect(Self.cosine(plain.row(0), Self.basis[0]) > 0.99)
    #expect(Self.cosine(decayed.row(0), Self.basis[0]) > 0.99)
    #expect(Self.cosine(normalized.row(0), Self.basis[0]) > 0.99)
  }

  @Test func covarianceRuleFollowsVarianceWherePlainHebbFollowsTheMean() throws {
    // Mean 3 e₄ along the lowest-variance axis: E[x xᵀ] = C + 9 e₄e₄ᵀ has top eigenvector e₄
    // (9.25 vs 4), Cov(x) = C has e₁.
    var mean: [Float] = [0, 0, 0, 0]
    for j in 0..<4 { mean[j] = 3 * Self.basis[3][j] }
    var hebb = try HebbianLearner(inputs: 4, learningRate: 0.002, normalizesRows: true, seed: 5)
    var cov = try CovarianceLearner(inputs: 4, learningRate: 0.002, meanRate: 0.01, seed: 5)
    var rng = SeededGenerator(seed: 12)
    for _ in 0..<3000 {
      let x = Self.sample(&rng, mean: mean)
      try hebb.update(x.span)
      try cov.update(x.span)
    }
    // Gaps of 5.25 and 3 eigenvalue units at η = 0.002 over 3000 samples: converged to e^(−18);
    // 0.98 allows the O(√η) direction jitter and the running-mean error (β = 0.01).
    #expect(Self.cosine(hebb.row(0), Self.basis[3]) > 0.98)
    #expect(Self.cosine(cov.row(0), Self.basis[0]) > 0.98)
    #expect(Self.cosine(cov.row(0), Self.basis[3]) < 0.1)
  }

  @Test func instarRowsConvergeToTheMeanOfTheInputsThatActivateThem() throws {
    let a: [Float] = [1, 0, 0.5, 0.2], b: [Float] = [0, 1, 0.2, 0.8]
    var instar = try InstarLearner(inputs: 4, outputs: 3, learningRate: 0.02, seed: 2)
    var rng = SeededGenerator(seed: 13)
    for _ in 0..<4000 {
      let fromA = rng.uniform() < 0.5
      var x = fromA ? a : b
      for j in 0..<4 { x[j] += 0.1 * Float(rng.gaussian()) }
      // Unit 0 is driven by cluster A, unit 1 by B, unit 2 half by both (graded activity).
      let y: [Float] = fromA ? [1, 0, 0.5] : [0, 1, 0.5]
      try instar.update(x.span, activity: y.span)
    }
    // Stationary jitter of an EMA with rate η y on noise σ = 0.1: σ √(η y / 2) ≤ 0.01 per
    // coordinate (cluster choice adds ±0.5·|a−b|·√(η/4) ≈ 0.04 for the mixed unit).
    for j in 0..<4 {
      #expect(abs(instar.weight(row: 0, column: j) - a[j]) < 0.04)
      #expect(abs(instar.weight(row: 1, column: j) - b[j]) < 0.04)
      #expect(abs(instar.weight(row: 2, column: j) - (a[j] + b[j]) / 2) < 0.15)
    }
  }

  @Test func competitiveInstarUnitsSplitTheClusters() throws {
    let a: [Float] = [1, 0, 0, 1], b: [Float] = [0, 1, 1, 0]
    var instar = try InstarLearner(inputs: 4, outputs: 2, learningRate: 0.02, seed: 4)
    var rng = SeededGenerator(seed: 14)
    for _ in 0..<3000 {
      var x = rng.uniform() < 0.5 ? a : b
      for j in 0..<4 { x[j] += 0.1 * Float(rng.gaussian()) }
      try instar.updateWinnerTakeAll(x.span)
    }
    // One unit per cluster, each within the EMA jitter (≈ 0.01) of its centre; 0.05 is 5σ.
    let r0 = instar.row(0), r1 = instar.row(1)
    let first = r0[0] > r1[0] ? r0 : r1, second = r0[0] > r1[0] ? r1 : r0
    for j in 0..<4 {
      #expect(abs(first[j] - a[j]) < 0.05)
      #expect(abs(second[j] - b[j]) < 0.05)
    }
  }

  @Test(arguments: [UInt64(1), 2, 3])
  func bcmBecomesSelectiveForOneOfTwoPatterns(seed: UInt64) throws {
    // Two equiprobable, overlapping patterns: the stable BCM fixed points answer one with
    // y = 1/p = 2 (θ = ⟨y²⟩ = ½·4 = 2) and the other with 0.
    let p1: [Float] = [1, 0.4, 0], p2: [Float] = [0, 0.4, 1]
    var bcm = try BCMLearner(
      inputs: 3, learningRate: 0.002, thresholdTimeConstant: 50, seed: seed)
    let before = (try bcm.response(p1.span, unit: 0), try bcm.response(p2.span, unit: 0))
    var rng = SeededGenerator(seed: 100 + seed)
    for _ in 0..<40000 {
      try bcm.update((rng.uniform() < 0.5 ? p1 : p2).span)
    }
    let r1 = try bcm.response(p1.span, unit: 0), r2 = try bcm.response(p2.span, unit: 0)
    let preferred = max(r1, r2), other = min(r1, r2)
    // Unselective at the start (responses within a factor 2 of each other) ...
    #expect(max(before.0, before.1) < 2 * min(before.0, before.1))
    // ... selective at the end. θ averages y² over τ_θ = 50 samples, so it jitters by about
    // 2/√(2·50) ≈ 0.2 around 2 and drags y by a few per cent (η τ_θ = 0.1): ±15 % on the
    // preferred response, < 0.1 on the other, ±0.5 on θ.
    #expect(
      abs(preferred - 2) < 0.3,
      "preferred response \(preferred) other \(other) theta \(bcm.threshold(0))")
    #expect(other < 0.1, "non-preferred response \(other)")
    #expect(abs(bcm.threshold(0) - 2) < 0.5, "theta \(bcm.threshold(0)) pref \(preferred)")
  }

  @Test func learnersRejectBadShapesAndNonFiniteSamplesWithoutMoving() throws {
    var hebb = try HebbianLearner(inputs: 3, learningRate: 0.1, seed: 1)
    let before = hebb.row(0)
    let short: [Float] = [1, 2]
    #expect(throws: HebbianError.dimensionMismatch(what: "hebb: sample", expected: 3, got: 2)) {
      try hebb.update(short.span)
    }
    let bad: [Float] = [1, .nan, 0]
    #expect(throws: HebbianError.nonFinite(index: 1)) { try hebb.update(bad.span) }
    #expect(hebb.row(0) == before)
    #expect(throws: HebbianError.self) { _ = try BCMLearner(inputs: 0, learningRate: 0.1) }
    #expect(throws: HebbianError.self) { _ = try InstarLearner(inputs: 2, learningRate: 2) }
  }

  /// BCM's threshold and the covariance rule's running means are state of their own: an
  /// update that overflows it is refused with a message naming it, and W, y and that state
  /// are all put back.
  @Test func anUpdateThatOverflowsALearnersOwnStateIsRefusedAndUndone() throws {
    var bcm = try BCMLearner(inputs: 2, learningRate: 0.1, seed: 3)
    let (row, theta) = (bcm.row(0), bcm.threshold(0))
    let huge: [Float] = [1e20, 1e20]
    #expect(
      throws: HebbianError.diverged("bcm: learning diverged at sample 1: threshold 1 overflowed")
    ) { try bcm.update(huge.span) }
    #expect(bcm.row(0) == row && bcm.threshold(0) == theta && bcm.samples == 0)

    var cov = try CovarianceLearner(inputs: 2, learningRate: 0.01, seed: 3)
    var twin = try CovarianceLearner(inputs: 2, learningRate: 0.01, seed: 3)
    let (up, down): ([Float], [Float]) = ([3e38, 0], [-3e38, 0])
    try cov.update(up.span)
    try twin.update(up.span)
    #expect(
      throws: HebbianError.diverged(
        "covariance: learning diverged at sample 2: the running mean overflowed")
    ) { try cov.update(down.span) }
    // Against means left at the refused sample, the same sample again would overflow them.
    try cov.update(up.span)
    try twin.update(up.span)
    #expect(cov.row(0) == twin.row(0) && cov.output(0) == twin.output(0) && cov.samples == 2)
  }
}
