import Testing

@testable import Hebbian
@testable import HebbianExperiments

@Suite struct CovarianceMemoryTests {
  @Test func weightsAreTheCovarianceRule() throws {
    // Two patterns at f = 0.25 on N = 4: W_ij = Σ_μ (ξ_i − f)(ξ_j − f) / N off the diagonal.
    var m = try CovarianceMemory(dimension: 4, capacity: 2, codingLevel: 0.25)
    try m.store([1, 0, 0, 1] as [Float])
    try m.store([1, 1, 0, 0] as [Float])
    #expect(m.weight(0, 3) == (0.75 * 0.75 + 0.75 * -0.25) / 4)
    #expect(m.weight(1, 2) == (-0.25 * -0.25 + 0.75 * -0.25) / 4)
    #expect(m.weight(2, 2) == 0)
    #expect(m.weight(0, 3) == m.weight(3, 0))
    #expect(throws: HebbianError.self) { try m.store([1, 0, 0, 0] as [Float]) }
    #expect(throws: HebbianError.self) {
      try CovarianceMemory(dimension: 4, capacity: 2, codingLevel: 1)
    }
  }

  @Test func activityThresholdStoresFarAboveTheClassicalNetwork() throws {
    // N = 300, f = 0.1, an activity-scaled threshold κ = 0.48 (where the search lands; the
    // midpoint κ = (1 − f)(1 − 2f)/2 = 0.36 gives α_c ≈ 0.18 here, the cross-talk being
    // skewed toward the silent neurons): signed covariance weights hold sparse patterns far
    // beyond the ±1 network's 0.138. The same weights with the threshold at 0 (half-way to nothing) fail:
    // every neuron with a positive field fires, so the overlap drops at once.
    let n = 300, f = 0.1
    let loads: [Double] = [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5]
    let counts = loads.map { Int(($0 * Double(n)).rounded()) }
    var m = try CovarianceMemory(
      dimension: n, capacity: 150, codingLevel: f,
      threshold: CovarianceMemory.Threshold(activity: 0.48))
    let points = try CapacitySweep.run(
      &m, patternCounts: counts, trials: 2, probes: 10, noise: 0,
      kind: .sparse(codingLevel: f), seed: 5)
    let alpha = try #require(CapacitySweep.criticalLoad(points))
    #expect(alpha > 0.2, "alpha_c \(alpha)")
    m.threshold = CovarianceMemory.Threshold(fixed: -0.01)
    let loose = try CapacitySweep.run(
      &m, patternCounts: counts, trials: 2, probes: 10, noise: 0,
      kind: .sparse(codingLevel: f), seed: 5)
    #expect(loose[0].retrieved < 0.5, "\(loose[0])")
  }

  @Test func searchSpendsTheBudgetAndNeverLosesTheStart() throws {
    // From a deliberately low start score the search must improve and use every evaluation.
    for activity in [false, true] {
      let found = try CovarianceMemory.search(
        dimension: 150, codingLevel: 0.1, activityScaled: activity,
        loads: [0.05, 0.1, 0.2, 0.3, 0.4, 0.5], evaluations: 9, trials: 1, probes: 6, seed: 2)
      #expect(found.evaluations == 9)
      #expect(found.bestScore >= found.startScore)
      #expect(found.bestScore > 0.15, "\(found.bestScore)")
      if !activity { #expect(found.best.activity == 0) }
    }
  }
}
