/// A learned principal subspace as it is deployed: K orthonormal rows C (K×D, row-major) and
/// the mean μ the model centres with (zeros without centring). This is the basis
/// `hebbian pca --save-components` writes and `hebbian apply` and `hebbian export` use, so a
/// score computed here is the score the command line prints.
///
/// ```swift
/// let basis = pca.basis                                  // C = orthonormalised W, μ
/// var y = [Float](repeating: 0, count: basis.componentCount)
/// var out = y.mutableSpan
/// let novelty = try basis.score(sample.span, into: &out) // y = C (x − μ), ‖(x − μ) − Cᵀy‖²
/// ```
///
/// ``score(_:into:)`` never allocates. It applies the sample contract of
/// ``OnlinePCA/checkSample(_:)`` (finite values, ‖x‖² zero or inside
/// ``OnlinePCA/squaredNormRange``), and a basis is only built from finite rows, unit or zero
/// and mutually orthogonal, and a mean inside the same norm range: together these bound every
/// score and residual far inside the float range, so a score is finite or the call throws.
public struct PCABasis: Sendable, Equatable {
  /// D: values per sample.
  public let dimension: Int
  /// K: rows of ``components``.
  public let componentCount: Int
  /// C, K×D row-major: orthonormal rows (a row is zero only where the learner's rows were
  /// linearly dependent).
  public let components: [Float]
  /// μ (D values): subtracted from each sample before it is scored.
  public let mean: [Float]

  /// How far C Cᵀ may be from the identity (on the rows that are not zero): a basis written
  /// in float32 after a Gram–Schmidt pass in Double is within 1e-6; 1e-3 still leaves every
  /// score within 0.1 % of its exact value.
  public static let orthonormalityTolerance = 1e-3

  /// A basis from its rows and mean. Throws ``HebbianError/dimensionMismatch(what:expected:got:)``
  /// on a wrong shape, ``HebbianError/nonFinite(index:)`` on a NaN or infinity, and
  /// ``HebbianError/invalidParameter(_:)`` when the rows are not orthonormal or ‖μ‖² is outside
  /// ``OnlinePCA/squaredNormRange`` (no stream of valid samples has such a mean).
  public init(components: [Float], count k: Int, dimension d: Int, mean: [Float]? = nil)
    throws(HebbianError)
  {
    guard d >= 1, d <= OnlinePCA.maxDimension, k >= 1, k <= d else {
      throw .invalidParameter(
        "PCABasis: need 1 <= components <= dimension <= \(OnlinePCA.maxDimension), got \(k) x \(d)")
    }
    guard components.count == k * d else {
      throw .dimensionMismatch(what: "PCABasis: component values (K×D)", expected: k * d, got: components.count)
    }
    let mu = mean ?? [Float](repeating: 0, count: d)
    guard mu.count == d else {
      throw .dimensionMismatch(what: "PCABasis: mean values", expected: d, got: mu.count)
    }
    for (i, v) in components.enumerated() where !v.isFinite { throw .nonFinite(index: i) }
    do throws(HebbianError) {
      try OnlinePCA.checkSample(mu.span)
    } catch {
      if case .nonFinite = error { throw error }
      throw .invalidParameter(
        "PCABasis: the mean is outside the range of any valid stream (its squared norm must be 0 or in [1e-30, 1e30])"
      )
    }
    let e = Self.orthonormalityError(components, k, d)
    guard e <= Self.orthonormalityTolerance else {
      throw .invalidParameter(
        "PCABasis: the rows are not orthonormal (|CC^T - I|_F = \(OnlinePCA.shortScientific(e)), at most 1e-3)")
    }
    self.dimension = d
    self.componentCount = k
    self.components = components
    self.mean = mu
  }

  /// ‖C Cᵀ − I′‖_F, I′ the identity with zeros where a row of C is zero.
  static func orthonormalityError(_ c: [Float], _ k: Int, _ d: Int) -> Double {
    var sum = 0.0
    c.withUnsafeBufferPointer { p in
      let w = p.baseAddress!
      var zero = [Bool](repeating: false, count: k)
      for i in 0..<k {
        var n = 0.0
        for j in 0..<d { n += Double(w[i * d + j]) * Double(w[i * d + j]) }
        zero[i] = n == 0
      }
      for i in 0..<k {
        for r in i..<k {
          var dot = 0.0
          for j in 0..<d { dot += Double(w[i * d + j]) * Double(w[r * d + j]) }
          let e = dot - (i == r && !zero[i] ? 1 : 0)
          sum += i == r ? e * e : 2 * e * e
        }
      }
    }
    return sum.squareRoot()
  }

  /// Scores one sample: writes y = C (x − μ) into the first ``componentCount`` values of `y`
  /// and returns the squared residual ‖(x − μ) − Cᵀy‖², the part of the centred sample the
  /// subspace does not hold (a novelty score). Sums are in Double and in a fixed order, so a
  /// score is the same on every ISA; the residual is that of the float32 scores returned.
  /// Never allocates. Throws on a wrong length, a NaN or infinity
  /// (``HebbianError/nonFinite(index:)``), or a sample outside the norm range
  /// (``HebbianError/invalidParameter(_:)``); `y` is then unchanged.
  @discardableResult
  public func score(_ x: Span<Float>, into y: inout MutableSpan<Float>) throws(HebbianError)
    -> Float
  {
    try checkShape("PCABasis.score: sample values", dimension, x.count)
    try checkRoom("PCABasis.score: output values", componentCount, y.count)
    try OnlinePCA.checkSample(x)
    return x.withUnsafeBufferPointer { xp in
      y.withUnsafeMutableBufferPointer { yp in
        unsafeScore(xp.baseAddress!, into: yp.baseAddress!)
      }
    }
  }

  /// ``score(_:into:)`` without the checks: `x` holds ``dimension`` values that satisfy the
  /// sample contract, `y` room for ``componentCount``.
  package func unsafeScore(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>)
    -> Float
  {
    let (k, d) = (componentCount, dimension)
    return components.withUnsafeBufferPointer { cp in
      mean.withUnsafeBufferPointer { mp in
        let (c, mu) = (cp.baseAddress!, mp.baseAddress!)
        for i in 0..<k {
          var s = 0.0
          for j in 0..<d { s += Double(c[i * d + j]) * (Double(x[j]) - Double(mu[j])) }
          y[i] = Float(s)
        }
        // Formed directly rather than as ‖x − μ‖² − ‖y‖², which cancels to noise when the
        // sample lies close to the subspace (the common, normal case of a monitor).
        var r = 0.0
        for j in 0..<d {
          var e = Double(x[j]) - Double(mu[j])
          for i in 0..<k { e -= Double(c[i * d + j]) * Double(y[i]) }
          r += e * e
        }
        return Float(r)
      }
    }
  }

  /// The first component (1-based) whose variance exceeds the one before it by more than a
  /// relative `tolerance`, or nil when `variances` (in component order) are non-increasing:
  /// the order the ordered rules (Oja, GHA, CCIPCA) promise once they have converged.
  public static func firstOutOfOrder(_ variances: [Double], tolerance: Double = 1e-3) -> Int? {
    guard variances.count > 1 else { return nil }
    for i in 1..<variances.count where variances[i] > variances[i - 1] * (1 + tolerance) {
      return i + 1
    }
    return nil
  }
}

extension PCABasis {
  /// Score statistics of a basis on a set of samples, accumulated one sample at a time
  /// without allocating: each component's actual score variance (in component order) and the
  /// share of the samples' total variance the subspace holds. On the samples it was measured
  /// on, that share is at most the share of the best K-dimensional subspace (the top K
  /// eigenvalues of their covariance): unlike a learner's running estimates it cannot claim
  /// more than is possible.
  public struct Statistics: Sendable, Equatable {
    public let dimension: Int
    public let componentCount: Int
    /// Samples added.
    public private(set) var count: Int64 = 0
    private let mean: [Float]
    // Shifted sums (around the basis' mean) in Double: Σy_i, Σy_i², Σ(x−μ)_j, Σ(x−μ)_j².
    private var scoreSum: [Double]
    private var scoreSquares: [Double]
    private var inputSum: [Double]
    private var inputSquares: [Double]

    public init(for basis: PCABasis) {
      dimension = basis.dimension
      componentCount = basis.componentCount
      mean = basis.mean
      scoreSum = [Double](repeating: 0, count: basis.componentCount)
      scoreSquares = scoreSum
      inputSum = [Double](repeating: 0, count: basis.dimension)
      inputSquares = inputSum
    }

    /// Adds one sample and its scores (``PCABasis/score(_:into:)``'s output). Never allocates.
    public mutating func add(_ x: Span<Float>, scores y: Span<Float>) throws(HebbianError) {
      try checkShape("PCABasis.Statistics: sample values", dimension, x.count)
      try checkRoom("PCABasis.Statistics: scores", componentCount, y.count)
      count += 1
      for i in 0..<componentCount {
        let v = Double(y[i])
        scoreSum[i] += v
        scoreSquares[i] += v * v
      }
      for j in 0..<dimension {
        let v = Double(x[j]) - Double(mean[j])
        inputSum[j] += v
        inputSquares[j] += v * v
      }
    }

    private static func variance(_ sum: Double, _ squares: Double, _ n: Double) -> Double {
      Swift.max(0, squares / n - (sum / n) * (sum / n))
    }

    /// Each component's score variance over the samples added (population form), in
    /// component order; zeros before any sample.
    public var variances: [Double] {
      guard count > 0 else { return [Double](repeating: 0, count: componentCount) }
      let n = Double(count)
      return (0..<componentCount).map { Self.variance(scoreSum[$0], scoreSquares[$0], n) }
    }

    /// The samples' total variance, Σ_j Var(x_j).
    public var totalVariance: Double {
      guard count > 0 else { return 0 }
      let n = Double(count)
      var t = 0.0
      for j in 0..<dimension { t += Self.variance(inputSum[j], inputSquares[j], n) }
      return t
    }

    /// Σ_i Var(y_i) / Σ_j Var(x_j): the share of the samples' variance the subspace holds
    /// (0 for samples without variance). Clamped to 1 against rounding only.
    public var explainedVariance: Double {
      let t = totalVariance
      guard t > 0 else { return 0 }
      var s = 0.0
      for v in variances { s += v }
      return Swift.min(1, s / t)
    }
  }
}

extension OnlinePCA {
  /// The deployed form of what was learned: C, the effective filters orthonormalised by
  /// modified Gram–Schmidt in row order (``components(orthonormalized:)``), and the running
  /// mean. Scores from it (``PCABasis/score(_:into:)``) are what `hebbian apply` prints.
  /// Allocates the result.
  public var basis: PCABasis {
    get throws(HebbianError) {
      try PCABasis(
        components: components(orthonormalized: true), count: componentCount,
        dimension: dimension, mean: mean.toArray())
    }
  }

  /// Whether the components are known to be in order of decreasing variance: the rule orders
  /// them (``Rule/isOrdered``), the effective filters are orthonormal to within
  /// ``orderedOrthonormalityLimit`` (so the running ⟨y_i²⟩, divided by each filter's squared
  /// length, stand for the variances along the saved basis' rows), and those variances do not
  /// increase (``PCABasis/firstOutOfOrder(_:tolerance:)``). A run that has not converged, or a
  /// model continued on data whose correlations changed, fails it. Allocates.
  public var isVerifiedOrdered: Bool {
    guard rule.isOrdered, orthonormalityError() <= Self.orderedOrthonormalityLimit else {
      return false
    }
    return PCABasis.firstOutOfOrder(varianceEstimates) == nil
  }

  /// The running ⟨y_i²⟩ of the learner's outputs divided by each effective filter's squared
  /// length: estimates of the variance along each row of ``basis``, in its order, over the
  /// averaging window (about the last 1000 samples). Allocates.
  public var varianceEstimates: [Double] {
    let (k, d) = (componentCount, dimension)
    let f = components()
    let p = outputPower
    return (0..<k).map { i in
      var n = 0.0
      for j in 0..<d { n += Double(f[i * d + j]) * Double(f[i * d + j]) }
      return n > 0 ? Double(p[i]) / n : 0
    }
  }

  /// ‖FFᵀ − I‖_F up to which the learner's outputs stand for the saved basis' scores in
  /// ``isVerifiedOrdered``: a converging 1/t schedule stays within 0.1 (GHA on 8 dimensions
  /// after 5000 samples: 0.09); a model continued on changed data leaves it (0.32).
  public static let orderedOrthonormalityLimit = 0.2
}
