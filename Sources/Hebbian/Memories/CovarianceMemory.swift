/// The sparse-coding baseline of the E/I network: the covariance rule of Tsodyks &
/// Feigel'man (1988) on N binary 0/1 neurons with *signed* weights,
///   W = (1/N) Σ_μ (ξ^μ − f)(ξ^μ − f)ᵀ   (zero diagonal),
/// and synchronous updates r_i ← 1 if (W r)_i > θ₀ + κ·A/N, else 0, with A = Σ_j r_j the
/// current activity. κ = 0 is a fixed threshold; κ > 0 a threshold that follows the
/// activity, the part the E/I network's inhibition supplies. Same patterns, probes, update
/// order and step limit as ``EIMemory``, so the two can be compared one to one: the E/I
/// network builds this field out of non-negative weights (its plastic I→E synapses cancel
/// the popularity term), so this network is what it has to match.
///
/// On a recalled pattern the field of an active neuron is ≈ (1 − f) f(1 − f), that of a
/// silent one ≈ −f·f(1 − f); ``Threshold/derived(codingLevel:activityScaled:)`` puts the
/// threshold half-way between them.
public struct CovarianceMemory: ~Copyable, AssociativeMemory {
  /// θ = `fixed` + `activity`·A/N.
  public struct Threshold: Sendable, Equatable {
    public var fixed: Float
    public var activity: Float

    public init(fixed: Float = 0, activity: Float = 0) {
      self.fixed = fixed
      self.activity = activity
    }

    /// The midpoint f(1 − f)(1 − 2f)/2 between the two field levels: as θ₀, or (with
    /// `activityScaled`) as κ·A/N at the pattern's activity A/N = f, κ = (1 − f)(1 − 2f)/2.
    public static func derived(codingLevel f: Double, activityScaled: Bool) -> Threshold {
      let mid = (1 - f) * (1 - 2 * f) / 2
      return activityScaled
        ? Threshold(fixed: 0, activity: Float(mid)) : Threshold(fixed: Float(f * mid))
    }
  }

  public let dimension: Int
  public let capacity: Int
  public let codingLevel: Double
  public var threshold: Threshold
  public var maxSteps: Int
  public private(set) var count = 0

  var w: OwnedBuffer<Float>
  var centred: OwnedBuffer<Float>
  var h: OwnedBuffer<Float>
  var r: OwnedBuffer<Float>
  var previous: OwnedBuffer<Float>

  public init(
    dimension: Int, capacity: Int, codingLevel: Double, threshold: Threshold = Threshold(),
    maxSteps: Int = 30
  ) throws(HebbianError) {
    if dimension < 1 || capacity < 1 {
      throw .invalidParameter("CovarianceMemory: need dimension >= 1, capacity >= 1")
    }
    if maxSteps < 1 { throw .invalidParameter("CovarianceMemory: maxSteps must be >= 1") }
    if dimension > 1 << 24 {
      throw .invalidParameter("CovarianceMemory: at most \(1 << 24) neurons")
    }
    try checkCodingLevel("CovarianceMemory", codingLevel)
    try MemoryBudget.check(
      "CovarianceMemory", "dimension \(dimension)", [[dimension, dimension], [4, dimension]])
    self.dimension = dimension
    self.capacity = capacity
    self.codingLevel = codingLevel
    self.threshold = threshold
    self.maxSteps = maxSteps
    w = OwnedBuffer(count: dimension * dimension, repeating: 0)
    centred = OwnedBuffer(count: dimension)
    h = OwnedBuffer(count: dimension)
    r = OwnedBuffer(count: dimension)
    previous = OwnedBuffer(count: dimension)
  }

  /// W_ij.
  public func weight(_ i: Int, _ j: Int) -> Float {
    precondition(i >= 0 && i < dimension && j >= 0 && j < dimension, "weight index")
    return w[i * dimension + j]
  }

  /// Stores one 0/1 pattern (entries > 1/2 count as active).
  public mutating func store(_ pattern: Span<Float>) throws(HebbianError) {
    try checkShape("CovarianceMemory pattern", dimension, pattern.count)
    try checkCapacity("CovarianceMemory", count, capacity)
    let n = dimension
    let f = Float(codingLevel)
    for i in 0..<n { centred[i] = (pattern[i] > 0.5 ? 1 : 0) - f }
    Kernels.unsafeGer(
      rows: n, columns: n, alpha: 1 / Float(n), centred.base, centred.base, w.base, lda: n)
    for i in 0..<n { w[i * n + i] = 0 }
    count += 1
  }

  public mutating func removeAll() {
    w.fill(0)
    count = 0
  }

  /// Synchronous updates of the 0/1 state from the cue until a fixed point.
  public mutating func recall(_ cue: Span<Float>, into state: inout MutableSpan<Float>)
    throws(HebbianError) -> RecallResult
  {
    try checkRecall("CovarianceMemory", dimension, cue: cue.count, state: state.count)
    let n = dimension
    for i in 0..<n { r[i] = cue[i] > 0.5 ? 1 : 0 }
    let t = threshold
    let result = iterateSynchronous(
      maxSteps: maxSteps, count: n, state: r.base, next: h.base, previous: previous.base
    ) {
      Kernels.unsafeGemv(rows: n, columns: n, w.base, lda: n, r.base, h.base)
      var active: Float = 0
      for i in 0..<n { active += r[i] }
      let theta = t.fixed + t.activity * active / Float(n)
      thresholdStep(fields: &h, n, above: theta)
    }
    for i in 0..<n { state[i] = r[i] }
    return result
  }

  package static func clip(_ v: Float, _ lo: Double, _ hi: Double) -> Float {
    min(max(v, Float(lo)), Float(hi))
  }
}
