import CAllocCounter
import Testing

@testable import Hebbian

/// Recall must not allocate: every buffer a memory needs is made in its initialiser.
@Suite struct MemoryAllocationTests {
  /// Stores `patterns`, warms up once, then counts allocations over 20 recalls.
  static func allocations<M: AssociativeMemory & ~Copyable>(
    _ memory: inout M, _ patterns: [Float], _ cue: [Float]
  ) throws -> Int64 {
    let n = memory.dimension
    for mu in 0..<(patterns.count / n) {
      try memory.store(patterns[(mu * n)..<((mu + 1) * n)].span)
    }
    var out = [Float](repeating: 0, count: n)
    return try cue.withUnsafeBufferPointer { c in
      try out.withUnsafeMutableBufferPointer { o in
        let cs = Span(_unsafeElements: c)
        var os = MutableSpan(_unsafeElements: o)
        _ = try memory.recall(cs, into: &os)  // warm-up: lazily initialised runtime metadata
        hb_alloc_counter_start()
        for _ in 0..<20 { _ = try memory.recall(cs, into: &os) }
        return hb_alloc_counter_stop()
      }
    }
  }

  @Test func noMemoryAllocatesDuringRecall() throws {
    let n = 64, p = 6
    var rng = SeededGenerator(seed: 40)
    let bipolar = randomBipolar(p, n, &rng)
    var sparse = [Float](repeating: 0, count: p * n)
    for k in 0..<(p * n) { sparse[k] = rng.uniform() < 0.5 ? 1 : 0 }
    let cue = flipped(bipolar[0..<n], fraction: 0.1, &rng)
    var sparseCue = Array(sparse[0..<n])
    for j in stride(from: 0, to: n, by: 13) { sparseCue[j] = 1 - sparseCue[j] }

    var counts: [(String, Int64)] = []
    for update in [UpdateOrder.synchronous, .asynchronous] {
      for path in [HopfieldMemory.FieldPath.weights, .overlaps] {
        var m = try HopfieldMemory(dimension: n, capacity: p, update: update)
        m.path = path
        counts.append(("hopfield \(update) \(path)", try Self.allocations(&m, bipolar, cue)))
      }
      var s = try HopfieldMemory(dimension: n, capacity: p, rule: .storkey, update: update)
      counts.append(("storkey \(update)", try Self.allocations(&s, bipolar, cue)))
      for f in [DenseMemory.Interaction.polynomial(degree: 3), .exponential] {
        var d = try DenseMemory(dimension: n, capacity: p, interaction: f, update: update)
        counts.append(("dense \(f) \(update)", try Self.allocations(&d, bipolar, cue)))
      }
    }
    var modern = try ModernHopfield(dimension: n, capacity: p)
    counts.append(("modern", try Self.allocations(&modern, bipolar, cue)))
    var twoLayer = try TwoLayerMemory(dimension: n, capacity: p, maxSteps: 50)
    counts.append(("two-layer", try Self.allocations(&twoLayer, bipolar, cue)))
    var ei = try EIMemory(excitatory: n, inhibitory: 16, capacity: p)
    counts.append(("ei", try Self.allocations(&ei, sparse, sparseCue)))
    // All four pathways plastic (E→I centred on f, I→I), and the excitatory-only network.
    var plastic = EIMemory.Coefficients(
      excitatoryToInhibitory: 0.5, inhibitoryToInhibitory: 0.2, codingLevel: 0.5)
    plastic.threshold = 0.01
    var eiPlastic = try EIMemory(excitatory: n, inhibitory: 16, capacity: p, coefficients: plastic)
    counts.append(("ei plastic", try Self.allocations(&eiPlastic, sparse, sparseCue)))
    var eOnly = try EIMemory(
      excitatory: n, inhibitory: 0, capacity: p, coefficients: .excitatoryOnly(codingLevel: 0.5))
    counts.append(("e-only", try Self.allocations(&eOnly, sparse, sparseCue)))
    var covariance = try CovarianceMemory(
      dimension: n, capacity: p, codingLevel: 0.5,
      threshold: CovarianceMemory.Threshold(fixed: 0.01, activity: 0.2))
    counts.append(("covariance", try Self.allocations(&covariance, sparse, sparseCue)))
    var normative = try NormativeMemory(
      excitatory: 48, inhibitory: 16, capacity: p, activation: .saturating(gain: 2))
    counts.append(("normative", try Self.allocations(&normative, bipolar, cue)))
    var extended = try NormativeMemory(
      excitatory: 48, inhibitory: 16, capacity: p, activation: .saturating(gain: 2),
      rule: .extendedHebbian, iterations: 5)
    counts.append(("normative extended", try Self.allocations(&extended, bipolar, cue)))
    var twoLayerDense = try TwoLayerMemory(
      dimension: n, capacity: p, feature: .logCosh(gain: 1), memory: .power(degree: 3),
      maxSteps: 50)
    counts.append(("two-layer dense", try Self.allocations(&twoLayerDense, bipolar, cue)))
    for (name, count) in counts { #expect(count == 0, "\(name): \(count) allocations") }
    #expect(counts.count == 19)

    // Storing (learning) must not allocate either: the E/I and normative rules, and a memory
    // that keeps its patterns (the pattern checks build no message unless they throw).
    var rng2 = SeededGenerator(seed: 41)
    var more = [Float](repeating: 0, count: n)
    for j in 0..<n { more[j] = rng2.uniform() < 0.5 ? 1 : 0 }
    var eiStore = try EIMemory(excitatory: n, inhibitory: 16, capacity: 2, coefficients: plastic)
    try eiStore.store(more)
    var learner = try NormativeMemory(
      excitatory: 48, inhibitory: 16, capacity: 2, rule: .extendedHebbian, iterations: 0)
    try learner.store(bipolar[0..<n].span)
    var keeper = try ModernHopfield(dimension: n, capacity: 2)
    try more.withUnsafeBufferPointer { (m) throws(HebbianError) in
      hb_alloc_counter_start()
      try eiStore.store(Span(_unsafeElements: m))
      try learner.store(Span(_unsafeElements: m))
      try keeper.store(Span(_unsafeElements: m))
      learner.learn(iterations: 3)
      learner.rule = .exactGradient
      learner.learn(iterations: 3)
      #expect(hb_alloc_counter_stop() == 0)
    }

    // The counter must be live, or the zeros above prove nothing.
    hb_alloc_counter_start()
    let probe = [Float](repeating: 1, count: 1000 + counts.count)
    #expect(hb_alloc_counter_stop() >= 1 && probe.count > 1000)
  }
}
