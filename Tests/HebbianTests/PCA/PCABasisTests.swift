import CAllocCounter
import Testing

@testable import Hebbian

/// The deployed basis: scores and residual from the orthonormal rows, their contract, and
/// statistics that say what they measure.
@Suite struct PCABasisTests {
  /// A GHA learner after `n` samples of the standard spiked stream (centred, offset by 3).
  func trained(d: Int = 6, k: Int = 3, n: Int) -> OnlinePCA {
    var stream = SpikedStream(dimension: d, components: k, seed: 11)
    var pca = try! OnlinePCA(dimension: d, components: k, rule: .gha, centering: true, seed: 12)
    feed(&pca, &stream, samples: n, offset: [Float](repeating: 3, count: d))
    return pca
  }

  @Test func scoresAreTheOrthonormalBasisProjectionAndTheResidualIsFormedDirectly() throws {
    var pca = trained(n: 300)
    let basis = try pca.basis
    let c = pca.components(orthonormalized: true)
    #expect(basis.components == c)
    let x: [Float] = [3.5, 2.25, 4, 1.5, 3, 2.75]
    var y = [Float](repeating: 0, count: 3)
    var out = y.mutableSpan
    let r = try basis.score(x.span, into: &out)
    y = [out[0], out[1], out[2]]
    let mu = pca.state.mean
    var residual = 0.0
    for j in 0..<6 {
      var e = Double(x[j]) - Double(mu[j])
      var s: [Double] = []
      for i in 0..<3 {
        var v = 0.0
        for m in 0..<6 { v += Double(c[i * 6 + m]) * (Double(x[m]) - Double(mu[m])) }
        s.append(v)
        #expect(abs(Double(y[i]) - v) <= 1e-6 * max(1, abs(v)))
      }
      for i in 0..<3 { e -= Double(c[i * 6 + j]) * Double(y[i]) }
      residual += e * e
    }
    #expect(abs(Double(r) - residual) <= 1e-6 * max(residual, 1e-12))
    // After 300 samples W is not yet orthonormal: the learner's own outputs differ from the
    // deployed scores, which is what `project` documents.
    let orth = pca.orthonormalityError()
    #expect(orth > 1e-4)
    var p = [Float](repeating: 0, count: 3)
    var ps = p.mutableSpan
    try pca.project(x.span, into: &ps)
    p = [ps[0], ps[1], ps[2]]
    #expect(p != y)
  }

  @Test func residualOfASampleInTheSubspaceIsNotCancellationNoise() throws {
    // x − μ = 1e4 · C₀: a norm of 1e8 and a true residual of (almost) 0. The shortcut
    // ‖x − μ‖² − ‖y‖² leaves rounding of order 1e8 · 1e-7; the direct form stays tiny.
    let s = Float(0.5).squareRoot()
    let c: [Float] = [s, s, 0, 0, 0, 0, 1, 0]
    let basis = try PCABasis(components: c, count: 2, dimension: 4, mean: [1, 2, 3, 4])
    let x: [Float] = [1 + 1e4 * s, 2 + 1e4 * s, 3, 4]
    var y = [Float](repeating: 0, count: 2)
    var out = y.mutableSpan
    let r = try basis.score(x.span, into: &out)
    y = [out[0], out[1]]
    #expect(abs(y[0] - 1e4) < 1e-2)
    #expect(r < 1e-3, "residual \(r)")
  }

  @Test func contractRefusesBadSamplesAndLeavesTheOutputAlone() throws {
    let basis = try PCABasis(components: [1, 0, 0, 0, 1, 0], count: 2, dimension: 3)
    var y: [Float] = [7, 7]
    var out = y.mutableSpan
    #expect(throws: HebbianError.dimensionMismatch(
      what: "PCABasis.score: sample values", expected: 3, got: 2)) {
      try basis.score([1, 2].span, into: &out)
    }
    #expect(throws: HebbianError.nonFinite(index: 1)) {
      try basis.score([1, .nan, 2].span, into: &out)
    }
    #expect(throws: HebbianError.nonFinite(index: 2)) {
      try basis.score([1, 2, .infinity].span, into: &out)
    }
    // ‖x‖² = 3e40 is outside the range pca learns from: refused, not scored as inf.
    #expect(throws: HebbianError.self) { try basis.score([1e20, 1e20, 1e20].span, into: &out) }
    #expect(out[0] == 7 && out[1] == 7)
    var short = [Float](repeating: 0, count: 1)
    var shortOut = short.mutableSpan
    #expect(throws: HebbianError.self) { try basis.score([1, 2, 3].span, into: &shortOut) }
    short[0] = 0
  }

  @Test func basisRefusesAForgedMeanRowsThatAreNotOrthonormalAndNonFiniteValues() {
    let rows: [Float] = [1, 0, 0, 0, 1, 0]
    #expect(throws: HebbianError.self) {
      try PCABasis(components: rows, count: 2, dimension: 3, mean: [3e38, 0, 0])
    }
    #expect(throws: HebbianError.nonFinite(index: 0)) {
      try PCABasis(components: rows, count: 2, dimension: 3, mean: [.nan, 0, 0])
    }
    #expect(throws: HebbianError.self) {
      try PCABasis(components: [1, 0, 0, 0.5, 1, 0], count: 2, dimension: 3)
    }
    #expect(throws: HebbianError.nonFinite(index: 4)) {
      try PCABasis(components: [1, 0, 0, 0, .infinity, 0], count: 2, dimension: 3)
    }
    #expect(throws: HebbianError.self) { try PCABasis(components: rows, count: 3, dimension: 3) }
    // The largest valid samples against the largest valid mean: every score is finite.
    let basis = try! PCABasis(components: rows, count: 2, dimension: 3, mean: [-5.7e14, -5.7e14, -5.7e14])
    var y = [Float](repeating: 0, count: 2)
    var out = y.mutableSpan
    let r = try! basis.score([5.7e14, 5.7e14, 5.7e14].span, into: &out)
    #expect(out[0].isFinite && out[1].isFinite && r.isFinite)
    y[0] = 0
  }

  @Test func scoringNeverAllocates() throws {
    let pca = trained(n: 200)
    let basis = try pca.basis
    var stats = PCABasis.Statistics(for: basis)
    let x: [Float] = [3.5, 2.25, 4, 1.5, 3, 2.75]
    var y = [Float](repeating: 0, count: 3)
    var out = y.mutableSpan
    _ = try basis.score(x.span, into: &out)
    try stats.add(x.span, scores: out.span)
    hb_alloc_counter_start()
    for _ in 0..<100 {
      _ = try basis.score(x.span, into: &out)
      try stats.add(x.span, scores: out.span)
    }
    #expect(hb_alloc_counter_stop() == 0)
  }

  /// The saved subspace's share of the variance, measured on the samples, never exceeds the
  /// best K-dimensional share (the top K eigenvalues of their covariance), and the variances
  /// are the scores' own, in component order.
  @Test func statisticsAreTheScoresOwnAndNeverAboveWhatIsPossible() throws {
    let d = 8
    let k = 4
    for n in [150, 400, 5000] {
      var stream = SpikedStream(dimension: d, components: k, seed: 21)
      var pca = try OnlinePCA(dimension: d, components: k, rule: .gha, centering: true, seed: 2)
      var samples: [[Float]] = []
      var x = [Float](repeating: 0, count: d)
      for _ in 0..<n {
        stream.next(into: &x)
        samples.append(x)
        try pca.update(x.span)
      }
      let basis = try pca.basis
      var stats = PCABasis.Statistics(for: basis)
      var scores: [[Double]] = []
      var y = [Float](repeating: 0, count: k)
      for s in samples {
        var out = y.mutableSpan
        try basis.score(s.span, into: &out)
        try stats.add(s.span, scores: out.span)
        scores.append((0..<k).map { Double(out[$0]) })
      }
      y[0] = 0
      // Independent: the covariance in Double, its eigenvalues, the score variances.
      var mean = [Double](repeating: 0, count: d)
      for s in samples { for j in 0..<d { mean[j] += Double(s[j]) / Double(n) } }
      var cov = [Double](repeating: 0, count: d * d)
      for s in samples {
        for a in 0..<d {
          for b in 0..<d {
            cov[a * d + b] += (Double(s[a]) - mean[a]) * (Double(s[b]) - mean[b]) / Double(n)
          }
        }
      }
      let eig = try SymmetricEigen(matrix: cov, size: d)
      var trace = 0.0
      for j in 0..<d { trace += cov[j * d + j] }
      var best = 0.0
      for i in 0..<k { best += eig.values[i] }
      #expect(stats.explainedVariance <= best / trace + 1e-9, "n=\(n)")
      #expect(abs(stats.totalVariance - trace) <= 1e-6 * trace)
      for i in 0..<k {
        var m = 0.0
        for s in scores { m += s[i] / Double(n) }
        var v = 0.0
        for s in scores { v += (s[i] - m) * (s[i] - m) / Double(n) }
        #expect(abs(stats.variances[i] - v) <= 1e-6 * max(v, 1e-12), "n=\(n) component \(i)")
      }
      if n == 5000 {
        // Converged: ordered, and close to the optimum.
        #expect(PCABasis.firstOutOfOrder(stats.variances) == nil)
        #expect(stats.explainedVariance > 0.99 * best / trace)
        let ordered = pca.isVerifiedOrdered
        let orth = pca.orthonormalityError()
        #expect(ordered, "orthonormality \(orth), power \(pca.outputPower)")
      }
    }
  }

  @Test func orderIsVerifiedOnlyWhenTheRowsAreOrthonormalAndTheVariancesDecrease() throws {
    #expect(PCABasis.firstOutOfOrder([5.76, 0.709, 0.733]) == 3)
    #expect(PCABasis.firstOutOfOrder([3, 2, 2.001]) == nil)
    #expect(PCABasis.firstOutOfOrder([1.74, 1.56, 0.99, 1.14]) == 4)
    let pca = trained(n: 20_000)
    let ordered = pca.isVerifiedOrdered
    #expect(ordered)
    // The same state with its variance estimates out of order.
    var s = pca.state
    s.outputPower = [s.outputPower[1], s.outputPower[0], s.outputPower[2]]
    var swapped = try OnlinePCA(dimension: 6, components: 3, rule: .gha, centering: true, seed: 12)
    try swapped.restore(s)
    let swappedOrdered = swapped.isVerifiedOrdered
    #expect(!swappedOrdered)
    // Rows far from orthonormal.
    var t = pca.state
    for i in 0..<6 { t.weights[i] *= 1.5 }
    var stretched = try OnlinePCA(dimension: 6, components: 3, rule: .gha, centering: true, seed: 12)
    try stretched.restore(t)
    let stretchedOrdered = stretched.isVerifiedOrdered
    #expect(!stretchedOrdered)
    // A rule that does not order never claims it.
    var sub = try OnlinePCA(dimension: 6, components: 3, rule: .subspace, centering: true, seed: 12)
    try sub.restore(pca.state)
    let subOrdered = sub.isVerifiedOrdered
    #expect(!subOrdered)
  }
}
