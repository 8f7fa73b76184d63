import Testing

@testable import Hebbian

/// Every rule's default schedule against a plain Oja / subspace / GHA loop given the best of
/// 15 schedules, on a small finite data set cycled 20 times in stream order with a running
/// mean: the setting of `Scripts/pca-reference.py` on scikit-learn's data, at CI size and
/// without scikit-learn.
@Suite struct DefaultScheduleTests {
  /// wine's standardised spectrum (13 features) as a seeded Gaussian set of 200 samples,
  /// offset by 1 so that centring matters: relative eigengap 0.47 below the first component
  /// and 0.07 below the fourth, as in the real set.
  static let spectrum: [Double] = [
    4.7, 2.5, 1.45, 0.92, 0.85, 0.64, 0.55, 0.35, 0.29, 0.25, 0.23, 0.17, 0.1,
  ]
  static let samples = 200
  static let passes = 20

  static func dataSet(seed: UInt64) -> [[Float]] {
    let d = spectrum.count
    var stream = SpikedStream(dimension: d, lambdas: spectrum, sigma: 0, seed: seed)
    var x = [Float](repeating: 0, count: d)
    return (0..<samples).map { _ in
      stream.next(into: &x)
      return x.map { $0 + 1 }
    }
  }

  /// Top-k eigenvectors (rows) of the data's covariance and its top eigenvalue.
  static func truth(_ data: [[Float]], _ k: Int) throws -> (basis: [Float], lambda1: Double) {
    let d = data[0].count
    let n = Double(data.count)
    var mean = [Double](repeating: 0, count: d)
    for x in data { for j in 0..<d { mean[j] += Double(x[j]) / n } }
    var c = [Double](repeating: 0, count: d * d)
    for x in data {
      for i in 0..<d {
        for j in 0..<d { c[i * d + j] += (Double(x[i]) - mean[i]) * (Double(x[j]) - mean[j]) / n }
      }
    }
    let eig = try SymmetricEigen(matrix: c, size: d)
    return (eig.vectors[0..<(k * d)].map { Float($0) }, eig.values[0])
  }

  /// The plain loop in Double: η_t = c / (λ₁ (t0 + t)), no clip, no normalisation.
  static func plainLoop(
    _ data: [[Float]], k: Int, gha: Bool, c: Double, t0: Double, lambda1: Double
  ) -> [Float]? {
    let d = data[0].count
    var rng = SeededGenerator(seed: 1)
    var w = Subspace.orthonormalizedDouble((0..<(k * d)).map { _ in rng.gaussian() }, k, d)
    var mean = [Double](repeating: 0, count: d)
    var xc = [Double](repeating: 0, count: d)
    var y = [Double](repeating: 0, count: k)
    var r = [Double](repeating: 0, count: d)
    var t = 0.0
    for _ in 0..<passes {
      for x in data {
        t += 1
        for j in 0..<d {
          mean[j] += (Double(x[j]) - mean[j]) / t
          xc[j] = Double(x[j]) - mean[j]
        }
        let eta = c / (lambda1 * (t0 + t - 1))
        for i in 0..<k {
          var s = 0.0
          for j in 0..<d { s += w[i * d + j] * xc[j] }
          y[i] = s
        }
        // Residual against the old W: GHA's runs over rows j ≤ i, the subspace rule's over all.
        let old = w
        for i in 0..<k {
          for j in 0..<d { r[j] = xc[j] }
          for m in 0..<(gha ? i + 1 : k) { for j in 0..<d { r[j] -= y[m] * old[m * d + j] } }
          for j in 0..<d { w[i * d + j] += eta * y[i] * r[j] }
        }
      }
      if !w.allSatisfy({ $0.isFinite }) { return nil }
    }
    return w.map { Float($0) }
  }

  /// Smallest error of the plain loop over c ∈ {1, 4, 16, 64, 256}, t0 ∈ {10, 100, 1000}.
  static func bestLoop(
    _ data: [[Float]], k: Int, gha: Bool, truth: (basis: [Float], lambda1: Double)
  ) throws -> Double {
    var best = Double.infinity
    for c in [1.0, 4, 16, 64, 256] {
      for t0 in [10.0, 100, 1000] {
        guard
          let w = plainLoop(data, k: k, gha: gha, c: c, t0: t0, lambda1: truth.lambda1)
        else { continue }
        best = Swift.min(
          best,
          try Subspace.error(
            w, components: k, reference: truth.basis, components: k, dimension: data[0].count))
      }
    }
    return best
  }

  static func defaultError(
    _ data: [[Float]], _ rule: OnlinePCA.Rule, k: Int, truth: [Float]
  ) throws -> Double {
    var pca = try OnlinePCA(dimension: data[0].count, components: k, rule: rule, centering: true)
    for _ in 0..<passes { for x in data { try pca.update(x.span) } }
    return try pca.subspaceError(reference: truth, components: k)
  }

  // Seed 17 is the first seed tried. The defaults cannot see the eigengap below the k-th
  // component, so other draws of this spectrum, whose sample gaps differ, can miss the bar
  // (the README's table gives the misses on the real sets); this test pins the property on
  // one draw so that a change of default that loses it is caught.
  @Test func everyDefaultIsWithinTwiceTheBestPlainLoop() throws {
    let data = Self.dataSet(seed: 17)
    let one = try Self.truth(data, 1)
    let oja = try Self.bestLoop(data, k: 1, gha: false, truth: one)
    let e1 = try Self.defaultError(data, .oja, k: 1, truth: one.basis)
    #expect(e1 <= 2 * oja, "oja: default \(e1), plain loop \(oja)")
    let four = try Self.truth(data, 4)
    let subspace = try Self.bestLoop(data, k: 4, gha: false, truth: four)
    let gha = try Self.bestLoop(data, k: 4, gha: true, truth: four)
    for rule in OnlinePCA.Rule.allCases where rule != .oja {
      let loop = rule == .subspace ? subspace : rule == .gha ? gha : Swift.min(subspace, gha)
      let e = try Self.defaultError(data, rule, k: 4, truth: four.basis)
      #expect(e <= 2 * loop, "\(rule.name): default \(e), plain loop \(loop)")
      // A loop that reached nothing would make the bar meaningless.
      #expect(loop < 1e-2, "\(rule.name): plain loop \(loop)")
    }
  }

  /// Models saved before the per-rule defaults carry their schedule (8/(80 + t)) and amnesia
  /// (2) in the file: restoring one keeps them rather than taking today's defaults.
  @Test func oldModelsKeepTheirSavedSchedule() throws {
    for rule in OnlinePCA.Rule.allCases {
      let k = rule == .oja ? 1 : 2
      let old = try OnlinePCA(
        dimension: 4, components: k, rule: rule, learningRate: .standard, amnesia: 2)
      let restored = try OnlinePCA(restoring: ModelFile(decoding: old.checkpoint().encoded()))
      #expect(restored.learningRate == .inverse(scale: 8, offset: 80, floor: 0))
      #expect(restored.amnesia == 2)
    }
  }

  @Test func perRuleDefaultsAndExplicitOverrides() throws {
    for rule in OnlinePCA.Rule.allCases {
      let k = rule == .oja ? 1 : 2
      let pca = try OnlinePCA(dimension: 4, components: k, rule: rule)
      #expect(pca.learningRate == .standard(for: rule))
      let explicit = try OnlinePCA(
        dimension: 4, components: k, rule: rule, learningRate: .standard)
      #expect(explicit.learningRate == .inverse(scale: 8, offset: 80, floor: 0))
    }
    #expect(LearningRate.standard(for: .gha).rate(at: 0) == 0.8)
    #expect(
      LearningRate.tracking(floor: 0.02, for: .oja) == .power(scale: 0.35, offset: 10, floor: 0.02))
    // 0.35 / 16^(3/4) = 0.35 / 8, exactly (u / sqrt(sqrt(u)) with u = 16).
    #expect(LearningRate.standard(for: .oja).rate(at: 6) == 0.35 / 8)
    #expect(LearningRate.power(scale: 1, offset: 0, floor: 0).rate(at: 0) == .infinity)
  }
}
