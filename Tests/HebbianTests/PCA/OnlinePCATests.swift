import CAllocCounter
import Testing

@testable import Hebbian

@Suite struct OnlinePCATests {
  static let shapes: [(d: Int, k: Int)] = [(16, 1), (16, 4), (16, 8), (64, 1), (64, 4), (64, 8)]

  /// Trains a learner on the standard spiked stream, then hands both to `body`.
  func learner(
    _ rule: OnlinePCA.Rule, d: Int, k: Int, samples: Int, seed: UInt64 = 1,
    _ body: (inout OnlinePCA, inout SpikedStream) throws -> Void
  ) rethrows {
    var stream = SpikedStream(dimension: d, components: k, seed: seed)
    var pca = try! OnlinePCA(dimension: d, components: k, rule: rule, seed: seed &+ 100)
    feed(&pca, &stream, samples: samples)
    try body(&pca, &stream)
  }

  // The asymptotic error of the 1/t schedules is O(1/t) (≈ 2e-4 after 10k samples on these
  // streams); 1e-2 is the bar and leaves a factor ~20 for seeds and ISAs.
  @Test(arguments: [
    OnlinePCA.Rule.subspace, .gha, .similarityMatching, .fastSimilarityMatching, .ccipca,
  ])
  func ruleRecoversTopSubspace(_ rule: OnlinePCA.Rule) throws {
    for (d, k) in Self.shapes {
      try learner(rule, d: d, k: k, samples: 10_000) { pca, stream in
        let e = try pca.subspaceError(reference: stream.top(k), components: k)
        #expect(e < 1e-2, "\(rule.name) d=\(d) k=\(k): subspace error \(e)")
      }
    }
  }

  @Test func ojaRecoversTopEigenvectorWithUnitNorm() throws {
    for d in [16, 64] {
      try learner(.oja, d: d, k: 1, samples: 10_000) { pca, stream in
        let w = pca.components()
        #expect(try! pca.subspaceError(reference: stream.top(1), components: 1) < 1e-2)
        // |cos| > 0.99 is the bar; ‖w‖ → 1 is Oja's normalisation (noise ~ √η).
        #expect(abs(cosine(w, stream.top(1))) > 0.99)
        #expect(abs(norm(w) - 1) < 1e-2)
      }
    }
  }

  // GHA and CCIPCA order their outputs: row i must match the i-th eigenvector. With gaps of
  // 0.5 on a top eigenvalue of 1 + k/2 the angle noise within a pair of neighbours is
  // ~ η λ_i λ_j / (λ_i − λ_j): 20k samples (40k for k = 8) bring |cos| to ≥ 0.995.
  // CCIPCA's 1/t averaging separates neighbours more slowly (|cos| 0.95 at k = 8 and 40k
  // samples), so it is held to the bar at k = 4 only.
  @Test(arguments: [OnlinePCA.Rule.gha, .ccipca])
  func orderedRulesRecoverEigenvectorsInOrder(_ rule: OnlinePCA.Rule) {
    let cases = [(16, 4, 20_000), (64, 4, 20_000)] + (rule == .gha ? [(64, 8, 40_000)] : [])
    for (d, k, n) in cases {
      learner(rule, d: d, k: k, samples: n) { pca, stream in
        let w = pca.components()
        for i in 0..<k {
          let c = cosine(Array(w[(i * d)..<((i + 1) * d)]), Array(stream.basis[(i * d)..<((i + 1) * d)]))
          #expect(abs(c) > 0.99, "\(rule.name) d=\(d) component \(i): |cos| = \(abs(c))")
        }
      }
    }
  }

  /// Similarity matching's fixed point (Pehlevan & Chklovskii): the effective filters
  /// F = (I+M)⁻¹W are orthonormal and M_ij = ⟨y_i y_j⟩/⟨y_i²⟩ (M has no diagonal: the
  /// self-coupling is the identity of I+M), so the outputs are a rotated principal projection.
  @Test func similarityMatchingReachesItsFixedPoint() {
    let d = 16
    let k = 4
    learner(.similarityMatching, d: d, k: k, samples: 20_000) { pca, stream in
    // ‖FFᵀ − I‖_F: fluctuates with the learning rate, ~1e-2 at t = 2e4.
    #expect(pca.orthonormalityError() < 5e-2)
    for i in 0..<k { #expect(pca.m[i * k + i] == 0) }
    // Compare M with the output correlations measured on 20k fresh samples.
    var x = [Float](repeating: 0, count: d)
    var yv = [Float](repeating: 0, count: k)
    var c = [Double](repeating: 0, count: k * k)
    for _ in 0..<20_000 {
      stream.next(into: &x)
      var ys = yv.mutableSpan
      try! pca.project(x.span, into: &ys)
      for i in 0..<k { for j in 0..<k { c[i * k + j] += Double(yv[i] * yv[j]) } }
    }
    var worst = 0.0
    for i in 0..<k {
      for j in 0..<k where j != i {
        worst = max(worst, abs(Double(pca.m[i * k + j]) - c[i * k + j] / c[i * k + i]))
      }
    }
    // Sampling error of a correlation ratio over 2e4 samples ~ 1/√2e4 ≈ 7e-3, plus the
    // learner's own fluctuation.
    #expect(worst < 5e-2, "max |M_ij − ⟨y_i y_j⟩/⟨y_i²⟩| = \(worst)")
    }
  }

  /// A stream whose principal subspace is replaced halfway: the floored schedule follows it,
  /// the pure 1/t schedule (by design) does not within the same number of samples.
  @Test(arguments: [OnlinePCA.Rule.gha, .subspace, .similarityMatching, .fastSimilarityMatching, .ccipca])
  func flooredScheduleTracksARotatingSubspace(_ rule: OnlinePCA.Rule) throws {
    let d = 16
    let k = 2
    var first = SpikedStream(dimension: d, components: k, seed: 11)
    var second = SpikedStream(dimension: d, components: k, seed: 12)
    var tracking = try OnlinePCA(dimension: d, components: k, rule: rule, learningRate: .tracking(floor: 0.01))
    var settling = try OnlinePCA(dimension: d, components: k, rule: rule)
    var a = first
    feed(&tracking, &first, samples: 20_000)
    feed(&settling, &a, samples: 20_000)
    var b = second
    feed(&tracking, &second, samples: 5_000)
    feed(&settling, &b, samples: 5_000)
    let eTrack = try tracking.subspaceError(reference: second.top(k), components: k)
    let eSettle = try settling.subspaceError(reference: second.top(k), components: k)
    // A floor of 0.01 forgets with a time constant of ~100 samples (divided by the relative
    // eigengap): after 5000 samples the old subspace is gone and the error sits at the floor's
    // noise level, a few 1e-3.
    #expect(eTrack < 5e-2, "\(rule.name): tracking error \(eTrack)")
    #expect(eSettle > 2 * eTrack, "\(rule.name): 1/t error \(eSettle) vs tracking \(eTrack)")
  }

  /// Sensor data scaled to [0, 1]: a large common offset. With running-mean centring the
  /// learner finds the covariance's subspace, with the default schedule and no tuning.
  @Test(arguments: OnlinePCA.Rule.allCases.filter { $0 != .oja })
  func centringRemovesAnOffset(_ rule: OnlinePCA.Rule) throws {
    let d = 8
    let k = 2
    var stream = SpikedStream(dimension: d, lambdas: [0.02, 0.01], sigma: 0.02, seed: 5)
    var pca = try OnlinePCA(dimension: d, components: k, rule: rule, centering: true)
    feed(&pca, &stream, samples: 10_000, offset: [0.5, 0.4, 0.6, 0.5, 0.3, 0.7, 0.5, 0.5])
    let e = try pca.subspaceError(reference: stream.top(k), components: k)
    #expect(e < 1e-2, "\(rule.name): \(e)")
    // The explained variance of the top-2 subspace: (0.02 + 0.01 + 2·4e-4)/(0.03 + 8·4e-4).
    let truth = (0.03 + 2 * 4e-4) / (0.03 + 8 * 4e-4)
    #expect(abs(pca.explainedVariance - truth) < 0.05, "\(rule.name): \(pca.explainedVariance)")
  }

  @Test func miniBatchMatchesPerSampleQuality() throws {
    for rule in [OnlinePCA.Rule.gha, .subspace] {
      var stream = SpikedStream(dimension: 32, components: 4, seed: 3)
      var pca = try OnlinePCA(dimension: 32, components: 4, rule: rule, maxBatch: 16)
      var batch = [Float](repeating: 0, count: 16 * 32)
      var x = [Float](repeating: 0, count: 32)
      for _ in 0..<(10_000 / 16) {
        for s in 0..<16 {
          stream.next(into: &x)
          for j in 0..<32 { batch[s * 32 + j] = x[j] }
        }
        try pca.update(batch: batch.span)
      }
      #expect(pca.samplesSeen == 10_000 / 16 * 16)
      // Same bar as the per-sample rules: the batch step is their sum from one W.
      #expect(try pca.subspaceError(reference: stream.top(4), components: 4) < 1e-2)
    }
  }

  @Test(arguments: OnlinePCA.Rule.allCases)
  func updateAndProjectNeverAllocate(_ rule: OnlinePCA.Rule) throws {
    let d = 16
    let k = rule == .oja ? 1 : 4
    var pca = try OnlinePCA(dimension: d, components: k, rule: rule, centering: true, maxBatch: 8)
    // Samples prepared up front: only the learner runs while counting.
    var rng = SeededGenerator(seed: 9)
    var data = [Float](repeating: 0, count: 64 * d)
    for i in 0..<data.count { data[i] = Float(rng.gaussian()) }
    var out = [Float](repeating: 0, count: k)
    try data.withUnsafeBufferPointer { (p) throws(HebbianError) in
      try out.withUnsafeMutableBufferPointer { (o) throws(HebbianError) in
        let sample = Span(_unsafeElements: UnsafeBufferPointer(rebasing: p[0..<d]))
        let batch = Span(_unsafeElements: UnsafeBufferPointer(rebasing: p[0..<(8 * d)]))
        var os = MutableSpan(_unsafeElements: o)
        try pca.update(sample)  // warm-up: lazily initialised runtime metadata is not ours
        try pca.project(sample, into: &os)
        hb_alloc_counter_start()
        for i in 0..<10_000 {
          pca.unsafeUpdate(p.baseAddress! + (i % 64) * d)
          try pca.update(Span(_unsafeElements: UnsafeBufferPointer(rebasing: p[((i % 64) * d)..<((i % 64) * d + d)])))
          try pca.project(sample, into: &os)
        }
        try pca.update(batch: batch)
        let n = hb_alloc_counter_stop()
        #expect(n == 0, "\(rule.name): \(n) allocations in 10 000 updates")
      }
    }
    // The counter must be live, or the zero above proves nothing.
    hb_alloc_counter_start()
    let probe = [Float](repeating: 1, count: 1000 + Int(out.count))
    let seen = hb_alloc_counter_stop()
    #expect(probe.count > 1000 && seen >= 1)
  }

  @Test func badShapesAndValuesThrowAndLeaveStateUntouched() throws {
    #expect(throws: HebbianError.self) { try OnlinePCA(dimension: 4, components: 5, rule: .gha) }
    #expect(throws: HebbianError.self) { try OnlinePCA(dimension: 4, components: 2, rule: .oja) }
    #expect(throws: HebbianError.self) {
      try OnlinePCA(dimension: 4, components: 2, rule: .gha, learningRate: .constant(0))
    }
    var pca = try OnlinePCA(dimension: 3, components: 1, rule: .gha)
    let before = pca.components()
    #expect(throws: HebbianError.dimensionMismatch(what: "OnlinePCA.update: sample values", expected: 3, got: 2)) {
      try pca.update([1, 2].span)
    }
    #expect(throws: HebbianError.nonFinite(index: 1)) { try pca.update([1, .nan, 2].span) }
    #expect(throws: HebbianError.nonFinite(index: 2)) { try pca.update([1, 2, .infinity].span) }
    #expect(pca.components() == before)
    #expect(pca.samplesSeen == 0)
  }

  /// A learner restored from another's state continues exactly as the original would.
  @Test(arguments: OnlinePCA.Rule.allCases)
  func restoredStateContinuesIdentically(_ rule: OnlinePCA.Rule) throws {
    let k = rule == .oja ? 1 : 3
    var stream = SpikedStream(dimension: 8, components: k, seed: 4)
    var a = try OnlinePCA(dimension: 8, components: k, rule: rule, centering: true)
    feed(&a, &stream, samples: 500)
    var b = try OnlinePCA(dimension: 8, components: k, rule: rule, centering: true, seed: 99)
    try b.restore(a.state)
    var s2 = stream
    feed(&a, &stream, samples: 200)
    feed(&b, &s2, samples: 200)
    // Same arithmetic in the same order: bit-identical.
    #expect(a.state == b.state)
    var bad = a.state
    bad.weights.removeLast()
    #expect(throws: HebbianError.self) { try b.restore(bad) }
  }

  @Test func initialisationIsSeededAndOrthonormal() throws {
    let a = try OnlinePCA(dimension: 10, components: 3, rule: .subspace, seed: 42)
    let b = try OnlinePCA(dimension: 10, components: 3, rule: .subspace, seed: 42)
    let c = try OnlinePCA(dimension: 10, components: 3, rule: .subspace, seed: 43)
    #expect(a.components() == b.components())
    #expect(a.components() != c.components())
    // Float rounding of Double-orthonormal rows: ‖WWᵀ − I‖_F ~ 1e-7.
    #expect(a.orthonormalityError() < 1e-6)
  }
}

func cosine(_ a: [Float], _ b: [Float]) -> Double {
  var ab = 0.0
  var aa = 0.0
  var bb = 0.0
  for i in 0..<a.count {
    ab += Double(a[i]) * Double(b[i])
    aa += Double(a[i]) * Double(a[i])
    bb += Double(b[i]) * Double(b[i])
  }
  return ab / (aa * bb).squareRoot()
}

func norm(_ a: [Float]) -> Double {
  var s = 0.0
  for v in a { s += Double(v) * Double(v) }
  return s.squareRoot()
}
