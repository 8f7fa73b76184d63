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

  /// Both memories of centred 0/1 patterns refuse a coding level outside (0, 1) in the same
  /// words, naming the memory.
  @Test(arguments: [0, 1, -0.5, Double.nan])
  func codingLevelOutsideTheOpenUnitIntervalIsRefused(f: Double) {
    #expect(
      throws: HebbianError.invalidParameter("CovarianceMemory: coding level must be in (0, 1)")
    ) { try CovarianceMemory(dimension: 4, capacity: 2, codingLevel: f) }
    #expect(throws: HebbianError.invalidParameter("EIMemory: coding level must be in (0, 1)")) {
      try EIMemory(
        excitatory: 4, inhibitory: 1, capacity: 2, coefficients: .derived(codingLevel: f))
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

  /// Recall with `maxSteps` sweeps against the same memory run one sweep at a time (each
  /// `maxSteps: 1` recall is one synchronous sweep from its cue): the state and the result
  /// must agree bit for bit. Returns whether the sweeps entered a 2-cycle.
  static func checkAgainstSingleSweeps<M: AssociativeMemory & ~Copyable>(
    _ m: inout M, _ cue: [Float], steps: Int, _ setSteps: (inout M, Int) -> Void
  ) throws -> Bool {
    let n = cue.count
    var state = [Float](repeating: 0, count: n)
    setSteps(&m, steps)
    let result = try m.recall(cue, into: &state)
    setSteps(&m, 1)
    var now = cue.map { $0 > 0.5 ? Float(1) : 0 }
    var before: [Float] = []
    var next = [Float](repeating: 0, count: n)
    var taken = 0, converged = false, cycled = false
    while taken < steps {
      if try m.recall(now, into: &next).converged {
        converged = true
        break
      }
      taken += 1
      if next == before { cycled = true }
      before = now
      now = next
    }
    #expect(result == RecallResult(steps: taken, converged: converged), "\(result)")
    #expect(state == now)
    return cycled
  }

  @Test func recallStoppedAtATwoCycleEndsWhereTheFullRunEnds() throws {
    // Overloaded networks (covariance and E/I, P = 1.5 N) recalled from random sparse
    // states and from their patterns, with odd and even step limits: many runs fall into a
    // 2-cycle, where recall stops early; state and result must be those of sweeping on.
    var rng = SeededGenerator(seed: 11)
    let n = 60, f = 0.2
    var cov = try CovarianceMemory(
      dimension: n, capacity: 90, codingLevel: f,
      threshold: CovarianceMemory.Threshold(fixed: 0.002, activity: 0.1))
    var ei = try EIMemory(
      excitatory: n, inhibitory: 15, capacity: 90, coefficients: .derived(codingLevel: f),
      seed: 4)
    var patterns: [[Float]] = []
    for _ in 0..<90 {
      var p = [Float](repeating: 0, count: n)
      for j in 0..<n { p[j] = rng.uniform() < f ? 1 : 0 }
      try cov.store(p)
      try ei.store(p)
      patterns.append(p)
    }
    var cycles = (cov: 0, ei: 0)
    for k in 0..<60 {
      var cue = patterns[k]
      if k % 2 == 1 { for j in 0..<n { cue[j] = rng.uniform() < 0.4 ? 1 : 0 } }
      for steps in [1, 2, 7, 30] {
        if try Self.checkAgainstSingleSweeps(&cov, cue, steps: steps, { $0.maxSteps = $1 }) {
          cycles.cov += 1
        }
        if try Self.checkAgainstSingleSweeps(&ei, cue, steps: steps, { $0.maxSteps = $1 }) {
          cycles.ei += 1
        }
      }
    }
    #expect(cycles.cov > 10 && cycles.ei > 10, "\(cycles)")
  }

  @Test func oneStoringForManyThresholdsGivesEachItsOwnCurve() throws {
    // The covariance search scores a batch of thresholds on one storing of the patterns:
    // each curve must equal the one a sweep with that threshold alone gives, with cues
    // corrupted from the generator (replayed for each threshold) and without.
    let thresholds = [
      CovarianceMemory.Threshold(fixed: 0.01), CovarianceMemory.Threshold(activity: 0.4),
      CovarianceMemory.Threshold(fixed: -0.002, activity: 0.6),
    ]
    for noise in [0.0, 0.1] {
      var m = try CovarianceMemory(dimension: 120, capacity: 60, codingLevel: 0.1)
      let curves = try CapacitySweep.run(
        &m, variants: 3, select: { $0.threshold = thresholds[$1] },
        patternCounts: [10, 25, 40, 60], trials: 2, probes: 7, noise: noise,
        kind: .sparse(codingLevel: 0.1), seed: 9)
      for (v, t) in thresholds.enumerated() {
        var alone = try CovarianceMemory(
          dimension: 120, capacity: 60, codingLevel: 0.1, threshold: t)
        let curve = try CapacitySweep.run(
          &alone, patternCounts: [10, 25, 40, 60], trials: 2, probes: 7, noise: noise,
          kind: .sparse(codingLevel: 0.1), seed: 9)
        #expect(curves[v] == curve, "threshold \(v), noise \(noise)")
      }
      // The thresholds differ enough for the curves to differ: the comparison has teeth.
      #expect(curves[0] != curves[1] && curves[1] != curves[2])
    }
  }

  @Test func searchScoringEachBatchOnOneStoringFindsWhatOneStoringPerPointFinds() throws {
    // The search with `storesOnce` scores the grid and each generation as one batch: it must
    // evaluate the same points in the same order and keep the same best, curve and score as
    // the search that stores the patterns for every point. 17 points end on a partial
    // generation.
    func search(storesOnce: Bool) throws -> CovarianceMemory.SearchResult {
      // A quarter of the derived threshold: a poor start, so that the points score apart.
      let derived = CovarianceMemory.Threshold.derived(codingLevel: 0.1, activityScaled: false)
      let start = CovarianceMemory.Threshold(fixed: derived.fixed / 4)
      var m = try CovarianceMemory(
        dimension: 120, capacity: 72, codingLevel: 0.1, threshold: start)
      return try CovarianceMemory.SearchResult.run(
        &m, start: start, patternCounts: [12, 24, 36, 48, 60, 72], codingLevel: 0.1,
        evaluations: 17, trials: 1, probes: 6, seed: 4, storesOnce: storesOnce,
        set: { $0.threshold = $1 },
        grid: { k, lambda in
          CovarianceMemory.Threshold(fixed: start.fixed * Float(2 * k) / Float(lambda))
        },
        mutate: { parent, sigma, rng in
          CovarianceMemory.Threshold(
            fixed: parent.fixed + Float(sigma * 0.05 * rng.gaussian()))
        })
    }
    let batched = try search(storesOnce: true), alone = try search(storesOnce: false)
    #expect(batched.evaluations == 17 && alone.evaluations == 17)
    #expect(batched.best == alone.best && batched.bestScore == alone.bestScore)
    #expect(batched.startScore == alone.startScore && batched.points == alone.points)
    // The best is not the start: the points score differently, so the comparison has teeth.
    #expect(batched.best != batched.start, "\(batched.best)")
  }
}
