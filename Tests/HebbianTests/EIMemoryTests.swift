import Testing

@testable import Hebbian
@testable import HebbianExperiments

@Suite struct EIMemoryTests {
  /// Loads 0.05 … 0.5 at N_E = 300.
  static let loads: [Double] = [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5]

  static func counts(_ n: Int, _ loads: [Double]) -> [Int] {
    loads.map { Int(($0 * Double(n)).rounded()) }
  }

  @Test func inhibitoryNetworkStoresMoreThanTheClassicalNetwork() throws {
    // Sparse patterns at f = 0.1, N_E = 300, N_I = 75, the derived coefficients (c_EI = c_EE
    // cancels the popularity term, γ = ½). Probes start at their pattern; retrieved when the
    // Pearson overlap is ≥ 0.9. Measured α_c (90 % retrieved) 0.33, half-retrieval 0.45;
    // the classical ±1 network has 0.138. The excitatory-only network at the same f and the
    // best fixed threshold the search finds (θ₀ ≈ 0.085) keeps fewer than half its patterns
    // from load 0.05 on. Margins: α_c > 0.2 is six grid steps of sampling noise away.
    let n = 300
    let f = 0.1
    var ei = try EIMemory(
      excitatory: n, inhibitory: 75, capacity: 150,
      coefficients: .derived(codingLevel: f), seed: 2)
    let points = try CapacitySweep.run(
      &ei, patternCounts: Self.counts(n, Self.loads), trials: 2, probes: 10, noise: 0.1,
      kind: .sparse(codingLevel: f), seed: 5)
    let alpha = try #require(CapacitySweep.criticalLoad(points))
    #expect(alpha > 0.2, "ei alpha_c \(alpha)")
    // Cues with 10 % of the active neurons moved are completed as well at low load.
    #expect(points[1].cueRetrieved >= 0.9)

    var eOnly = try EIMemory(
      excitatory: n, inhibitory: 0, capacity: 60,
      coefficients: .excitatoryOnly(codingLevel: f), seed: 2)
    eOnly.coefficients.threshold = 0.085
    let e = try CapacitySweep.run(
      &eOnly, patternCounts: Self.counts(n, [0.05, 0.1, 0.15, 0.2]), trials: 2, probes: 10,
      noise: 0, kind: .sparse(codingLevel: f), seed: 5)
    #expect((CapacitySweep.criticalLoad(e) ?? 0) < 0.1)
    #expect(e[1].retrieved < points[1].retrieved)
    #expect(EIMemory.score(e) < 0.5 * EIMemory.score(points))
  }

  @Test func searchFindsInhibitoryPlasticityFromANonPlasticStart() throws {
    // The (1+λ) strategy at N_E = 200, f = 0.1, from inhibition without plasticity
    // (c_EI = c_IE = c_II = 0: the popularity term is not cancelled and almost nothing is
    // retrieved). Within 12 evaluations it must find plastic I→E synapses (c_EI > 0.3) and a
    // score at least 0.1 higher (the derived point c_EI = 1 scores ≈ 0.4 here). Every point
    // is scored on the same pattern sets.
    let found = try EIMemory.search(
      excitatory: 200, inhibitory: 50, loads: Self.loads, evaluations: 12, trials: 1,
      probes: 8, start: .nonPlastic(codingLevel: 0.1), seed: 3)
    #expect(found.evaluations == 12)
    #expect(found.startScore <= 0.05)
    #expect(
      found.bestScore > found.startScore + 0.1, "start \(found.startScore) best \(found.bestScore)")
    #expect(found.best.inhibitoryToExcitatory > 0.3, "\(found.best)")
  }

  @Test func weightsObeyDalesLaw() throws {
    // Negative coefficients would flip signs; the projection must keep every weight >= 0.
    var c = EIMemory.Coefficients(codingLevel: 0.5)
    c.inhibitoryToExcitatory = -2
    c.inhibitoryToInhibitory = -1
    c.excitatoryToInhibitory = -3
    var memory = try EIMemory(excitatory: 20, inhibitory: 5, capacity: 3, coefficients: c)
    var rng = SeededGenerator(seed: 1)
    for _ in 0..<3 {
      var p = [Float](repeating: 0, count: 20)
      for j in 0..<20 { p[j] = rng.uniform() < 0.5 ? 1 : 0 }
      try memory.store(p)
    }
    var minimum: Float = 0
    for k in 0..<(20 * 20) { minimum = min(minimum, memory.wEE[k]) }
    for k in 0..<(20 * 5) { minimum = min(minimum, memory.wEI[k], memory.wIE[k]) }
    for k in 0..<25 { minimum = min(minimum, memory.wII[k]) }
    #expect(minimum == 0)
    #expect(throws: HebbianError.self) {
      try EIMemory(
        excitatory: 4, inhibitory: 1, capacity: 1, coefficients: .init(codingLevel: 0))
    }
  }
}
