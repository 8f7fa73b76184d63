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

  /// The full update the store replaced: A += α x yᵀ over every row, diagonal zeroed,
  /// projected onto A ≥ 0.
  static func fullUpdate(
    _ a: inout [Float], rows: Int, columns: Int, alpha: Float, _ x: [Float], _ y: [Float],
    zeroDiagonal: Bool
  ) {
    a.withUnsafeMutableBufferPointer { w in
      Kernels.unsafeGer(
        rows: rows, columns: columns, alpha: alpha, x, y, w.baseAddress!, lda: columns)
    }
    if zeroDiagonal { for i in 0..<rows { a[i * columns + i] = 0 } }
    for k in 0..<a.count where a[k] < 0 { a[k] = 0 }
  }

  @Test func storeUpdatingOnlyTheMovingRowsEqualsTheFullUpdate() throws {
    // Every pathway plastic with both signs (c_EE < 0 and c_IE < 0 drive weights below zero
    // for the projection to catch), several coding levels and an inhibitory population larger
    // than the excitatory one: after each store the four matrices must equal, bit for bit,
    // the full rank-one update and projection of the rows the store skipped.
    let cases: [(ne: Int, ni: Int, f: Double, c: (Float, Float, Float, Float))] = [
      (37, 9, 0.1, (1, 0.5, 1.2, 0.3)), (40, 50, 0.3, (-0.5, -2, 0.7, 1)),
      (64, 16, 0.02, (1, -0.4, 0, 0)), (21, 5, 0.5, (2, 1, -1, -0.5)),
    ]
    var rng = SeededGenerator(seed: 7)
    for (ne, ni, f, c) in cases {
      let k = EIMemory.Coefficients(
        excitatoryToExcitatory: c.0, excitatoryToInhibitory: c.1, inhibitoryToExcitatory: c.2,
        inhibitoryToInhibitory: c.3, inhibitoryGain: 0.4, codingLevel: f)
      var m = try EIMemory(excitatory: ne, inhibitory: ni, capacity: 12, coefficients: k, seed: 3)
      var (ee, ie, ei, ii) = (m.wEE.toArray(), m.wIE.toArray(), m.wEI.toArray(), m.wII.toArray())
      var skipped = 0
      for _ in 0..<12 {
        var p = [Float](repeating: 0, count: ne)
        for j in 0..<ne { p[j] = rng.uniform() < f ? 1 : 0 }
        try m.store(p)
        let rI = m.rI.toArray()
        let centred = p.map { $0 - Float(f) }
        Self.fullUpdate(&ee, rows: ne, columns: ne, alpha: c.0 / Float(ne), p, p, zeroDiagonal: true)
        Self.fullUpdate(&ie, rows: ni, columns: ne, alpha: c.1 / Float(ne), rI, centred, zeroDiagonal: false)
        Self.fullUpdate(&ei, rows: ne, columns: ni, alpha: c.2 / Float(ni), p, rI, zeroDiagonal: false)
        Self.fullUpdate(&ii, rows: ni, columns: ni, alpha: c.3 / Float(ni), rI, rI, zeroDiagonal: true)
        skipped += p.filter { $0 == 0 }.count + rI.filter { $0 == 0 }.count
        #expect(m.wEE.toArray().map(\.bitPattern) == ee.map(\.bitPattern), "\(ne) \(f) W_EE")
        #expect(m.wIE.toArray().map(\.bitPattern) == ie.map(\.bitPattern), "\(ne) \(f) W_IE")
        #expect(m.wEI.toArray().map(\.bitPattern) == ei.map(\.bitPattern), "\(ne) \(f) W_EI")
        #expect(m.wII.toArray().map(\.bitPattern) == ii.map(\.bitPattern), "\(ne) \(f) W_II")
      }
      // Rows were skipped (silent neurons, silent inhibitory cells), so the comparison covers them.
      #expect(skipped > 0)
    }
  }
}
