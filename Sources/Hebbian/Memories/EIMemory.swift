/// A Hopfield-type memory with separate excitatory and inhibitory neurons (after Mongillo et
/// al. 2018 and Gong et al. 2024), obeying Dale's law: every weight is ≥ 0 and its sign is
/// that of the presynaptic population.
///
/// N_E binary excitatory rate neurons r ∈ {0,1} hold sparse patterns (each entry active with
/// probability f, the coding level); N_I threshold-linear inhibitory neurons read them out:
///   r_I = [W_IE r − W_II r_I]₊,    r_i ← 1 if (W_EE r − W_EI r_I)_i > θ₀, else 0.
/// Storing ξ (with r_I^ξ the inhibitory response to it) changes all four pathways:
///   W_EE += (c_EE/N_E) ξ ξᵀ            Hebbian E→E
///   W_EI += (c_EI/N_I) ξ r_I^ξᵀ        I→E: inhibition onto co-active E cells grows
///                                      (anti-Hebbian in its signed effect)
///   W_IE += (c_IE/N_E) r_I^ξ (ξ − f)ᵀ  E→I with a presynaptic threshold: Hebbian for
///                                      c_IE > 0, anti-Hebbian for c_IE < 0
///   W_II += (c_II/N_I) r_I^ξ r_I^ξᵀ    I→I
/// each followed by the projection onto W ≥ 0. W_IE starts uniform in [0, 2/N_E] (seeded),
/// so each inhibitory neuron first reads the mean excitatory activity A/N_E, and W_EI starts
/// at γ/N_I, so the inhibition γ·A/N_E acts as a threshold that follows the activity.
///
/// Why inhibition helps. The covariance rule Σ_μ (ξ_i − f)(ξ_j − f) that gives sparse
/// networks their large capacity (Tsodyks & Feigel'man 1988) has negative weights. With
/// non-negative E→E weights alone, the field of neuron i carries the "popularity" term
/// f·(A/N)·k_i (k_i = patterns in which i is active), whose spread across neurons grows like
/// f√N times the cross-talk and swamps the signal. The plastic I→E weights grow like k_i,
/// so the inhibition they carry cancels the term when c_EI = c_EE; the activity-dependent
/// inhibition sets the threshold between the active and silent field levels. What remains
/// is the covariance field, built from sign-respecting synapses.
public struct EIMemory: ~Copyable, AssociativeMemory {
  /// Plasticity coefficients of the four pathways, the fixed I→E gain γ (the adaptive
  /// threshold), the fixed threshold θ₀ and the coding level f of the patterns.
  public struct Coefficients: Sendable, Equatable {
    public var excitatoryToExcitatory: Float
    public var excitatoryToInhibitory: Float
    public var inhibitoryToExcitatory: Float
    public var inhibitoryToInhibitory: Float
    /// γ: the initial (fixed) I→E weight times N_I; the inhibition γ·A/N_E it carries is a
    /// threshold proportional to the excitatory activity A.
    public var inhibitoryGain: Float
    /// θ₀, the fixed part of the excitatory threshold.
    public var threshold: Float
    public var codingLevel: Double

    public init(
      excitatoryToExcitatory: Float = 1, excitatoryToInhibitory: Float = 0,
      inhibitoryToExcitatory: Float = 1, inhibitoryToInhibitory: Float = 0,
      inhibitoryGain: Float = 0.5, threshold: Float = 0, codingLevel: Double = 0.1
    ) {
      self.excitatoryToExcitatory = excitatoryToExcitatory
      self.excitatoryToInhibitory = excitatoryToInhibitory
      self.inhibitoryToExcitatory = inhibitoryToExcitatory
      self.inhibitoryToInhibitory = inhibitoryToInhibitory
      self.inhibitoryGain = inhibitoryGain
      self.threshold = threshold
      self.codingLevel = codingLevel
    }

    /// The hand-derived point: c_EI = c_EE = 1 cancels the popularity term; on a recalled
    /// pattern an active neuron's field is then f(1 − f) − γf and a silent one's −γf, so
    /// γ = (1 − f)/2 puts the adaptive threshold (θ₀ = 0) half-way between them; E→I and I→I
    /// not plastic.
    public static func derived(codingLevel f: Double) -> Coefficients {
      Coefficients(inhibitoryGain: Float((1 - f) / 2), codingLevel: f)
    }

    /// Inhibition without inhibitory plasticity: the same circuit with c_EI = c_IE = c_II = 0,
    /// so the inhibitory neurons only supply the activity-proportional threshold γ·A/N_E.
    /// The start of the search in `hebbian capacity --model ei`: what it has to find is the
    /// plasticity.
    public static func nonPlastic(codingLevel f: Double) -> Coefficients {
      Coefficients(
        inhibitoryToExcitatory: 0, inhibitoryGain: Float((1 - f) / 2), codingLevel: f)
    }

    /// The excitatory-only baseline: no inhibition, a fixed threshold θ₀ = f/2 (half the
    /// field f that a fully recalled pattern gives its own active neurons).
    public static func excitatoryOnly(codingLevel f: Double) -> Coefficients {
      Coefficients(
        inhibitoryToExcitatory: 0, inhibitoryGain: 0, threshold: Float(f / 2), codingLevel: f)
    }
  }

  public let excitatory: Int
  public let inhibitory: Int
  public let capacity: Int
  /// Changing the coefficients takes effect for patterns stored afterwards; `removeAll()`
  /// resets the I→E weights to the new gain γ.
  public var coefficients: Coefficients
  public var maxSteps: Int
  public private(set) var count = 0
  public var dimension: Int { excitatory }

  let wEE: OwnedBuffer<Float>
  let wIE: OwnedBuffer<Float>
  let wIE0: OwnedBuffer<Float>
  let wEI: OwnedBuffer<Float>
  let wII: OwnedBuffer<Float>
  let rI: OwnedBuffer<Float>
  let drive: OwnedBuffer<Float>
  let h: OwnedBuffer<Float>
  let r: OwnedBuffer<Float>
  let centred: OwnedBuffer<Float>

  /// `inhibitory` may be 0: the excitatory-only baseline (fixed threshold θ₀, no inhibition).
  public init(
    excitatory: Int, inhibitory: Int, capacity: Int,
    coefficients: Coefficients = Coefficients(), maxSteps: Int = 30, seed: UInt64 = 0
  ) throws(HebbianError) {
    if excitatory < 1 || inhibitory < 0 || capacity < 1 {
      throw .invalidParameter(
        "EIMemory: need excitatory >= 1, inhibitory >= 0, capacity >= 1")
    }
    if maxSteps < 1 { throw .invalidParameter("EIMemory: maxSteps must be >= 1") }
    if excitatory > 1 << 24 || inhibitory > 1 << 24 {
      throw .invalidParameter("EIMemory: at most \(1 << 24) neurons of each kind")
    }
    try MemoryBudget.check(
      "EIMemory",
      "\(excitatory) excitatory and \(inhibitory) inhibitory neurons with capacity \(capacity)",
      [
        [excitatory, excitatory], [3, Swift.max(inhibitory, 1), excitatory],
        [Swift.max(inhibitory, 1), Swift.max(inhibitory, 1)], [capacity, excitatory],
        [8, excitatory + Swift.max(inhibitory, 1)],
      ])
    if !(coefficients.codingLevel > 0 && coefficients.codingLevel < 1) {
      throw .invalidParameter("EIMemory: coding level must be in (0, 1)")
    }
    self.excitatory = excitatory
    self.inhibitory = inhibitory
    self.capacity = capacity
    self.coefficients = coefficients
    self.maxSteps = maxSteps
    let ne = excitatory, ni = max(inhibitory, 1)
    wEE = OwnedBuffer(count: ne * ne)
    wIE = OwnedBuffer(count: ni * ne)
    wIE0 = OwnedBuffer(count: ni * ne)
    wEI = OwnedBuffer(count: ne * ni)
    wII = OwnedBuffer(count: ni * ni)
    rI = OwnedBuffer(count: ni)
    drive = OwnedBuffer(count: ni)
    h = OwnedBuffer(count: ne)
    r = OwnedBuffer(count: ne)
    centred = OwnedBuffer(count: ne)
    var rng = SeededGenerator(seed: seed)
    for k in 0..<(ni * ne) { wIE0[k] = Float(rng.uniform() * 2 / Double(ne)) }
    wIE.assign(wIE0)
    resetInhibition()
  }

  /// W_EI back to its fixed part γ/N_I (zero without inhibitory neurons).
  func resetInhibition() {
    let ni = inhibitory
    if ni == 0 { return }
    let g = max(coefficients.inhibitoryGain, 0) / Float(ni)
    wEI.fill(g)
  }

  /// r_I = [W_IE x − W_II r_I]₊, the lateral I→I term evaluated once from the feed-forward
  /// response.
  func inhibitoryResponse(_ x: borrowing OwnedBuffer<Float>) {
    let ne = excitatory, ni = inhibitory
    if ni == 0 { return }
    Kernels.unsafeGemv(rows: ni, columns: ne, wIE.base, lda: ne, x.base, drive.base)
    for k in 0..<ni { rI[k] = max(drive[k], 0) }
    Kernels.unsafeGemv(
      rows: ni, columns: ni, alpha: -1, wII.base, lda: ni, rI.base, beta: 1, drive.base)
    for k in 0..<ni { rI[k] = max(drive[k], 0) }
  }

  /// Stores one 0/1 pattern (entries > 1/2 count as active).
  public mutating func store(_ pattern: Span<Float>) throws(HebbianError) {
    try checkShape("EIMemory pattern", excitatory, pattern.count)
    try checkCapacity("EIMemory", count, capacity)
    let ne = excitatory, ni = inhibitory
    let f = Float(coefficients.codingLevel)
    for i in 0..<ne {
      r[i] = pattern[i] > 0.5 ? 1 : 0
      centred[i] = r[i] - f
    }
    inhibitoryResponse(r)
    let c = coefficients
    Kernels.unsafeGer(
      rows: ne, columns: ne, alpha: c.excitatoryToExcitatory / Float(ne), r.base, r.base,
      wEE.base, lda: ne)
    for i in 0..<ne { wEE[i * ne + i] = 0 }
    project(wEE)
    if ni > 0 {
      Kernels.unsafeGer(
        rows: ni, columns: ne, alpha: c.excitatoryToInhibitory / Float(ne), rI.base,
        centred.base, wIE.base, lda: ne)
      Kernels.unsafeGer(
        rows: ne, columns: ni, alpha: c.inhibitoryToExcitatory / Float(ni), r.base, rI.base,
        wEI.base, lda: ni)
      Kernels.unsafeGer(
        rows: ni, columns: ni, alpha: c.inhibitoryToInhibitory / Float(ni), rI.base, rI.base,
        wII.base, lda: ni)
      for k in 0..<ni { wII[k * ni + k] = 0 }
      project(wIE)
      project(wEI)
      project(wII)
    }
    count += 1
  }

  /// Dale's law as a projection: a weight may shrink to zero but never change sign.
  @inline(__always)
  func project(_ w: borrowing OwnedBuffer<Float>) {
    for k in 0..<w.count where w[k] < 0 { w[k] = 0 }
  }

  public mutating func removeAll() {
    wEE.fill(0)
    wIE.assign(wIE0)
    wII.fill(0)
    resetInhibition()
    count = 0
  }

  /// Synchronous updates of the excitatory rates from the 0/1 cue until a fixed point.
  public mutating func recall(_ cue: Span<Float>, into state: inout MutableSpan<Float>)
    throws(HebbianError) -> RecallResult
  {
    try checkShape("EIMemory cue", excitatory, cue.count)
    try checkRoom("EIMemory state", excitatory, state.count)
    let ne = excitatory, ni = inhibitory
    for i in 0..<ne { r[i] = cue[i] > 0.5 ? 1 : 0 }
    let theta = coefficients.threshold
    let result = iterate(maxSteps: maxSteps) {
      Kernels.unsafeGemv(rows: ne, columns: ne, wEE.base, lda: ne, r.base, h.base)
      if ni > 0 {
        inhibitoryResponse(r)
        Kernels.unsafeGemv(
          rows: ne, columns: ni, alpha: -1, wEI.base, lda: ni, rI.base, beta: 1, h.base)
      }
      var changed = 0
      for i in 0..<ne {
        let v: Float = h[i] > theta ? 1 : 0
        if v != r[i] { changed += 1 }
        h[i] = v
      }
      if changed != 0 { r.assign(h) }
      return changed
    }
    for i in 0..<ne { state[i] = r[i] }
    return result
  }

  /// What ``search(excitatory:inhibitory:loads:evaluations:trials:probes:start:seed:)``
  /// found.
  public struct SearchResult: Sendable {
    /// The start point and its score.
    public var start: Coefficients
    public var startScore: Double
    /// The best point evaluated and its score (≥ the start's: the start is evaluated first).
    public var best: Coefficients
    public var bestScore: Double
    /// Points evaluated, the start included.
    public var evaluations: Int
    /// The best point's retrieval curve on the search's pattern sets.
    public var points: [CapacityPoint]
  }

  /// The search score of a curve: the area under the fraction retrieved (m ≥ 0.9, started at
  /// the pattern) against the load, Σ_k R(α_k)(α_k − α_{k−1}) with α_0 = 0. For a curve that
  /// drops from 1 to 0 at α_c it equals α_c, and unlike an interpolated crossing it is
  /// smooth in the coefficients.
  public static func score(_ points: [CapacityPoint]) -> Double {
    var area = 0.0, previous = 0.0
    for p in points {
      area += p.retrieved * (p.load - previous)
      previous = p.load
    }
    return area
  }

  /// A seeded search over the plasticity coefficients, the inhibitory gain γ and the
  /// threshold θ₀ (c_EE = 1 fixes the scale), maximising ``score(_:)`` over the loads
  /// (P/N_E, increasing). After the start, a grid of λ = 6 points along the coordinate that
  /// matters most, c_EI ∈ {⅓, ⅔, …, 2} (θ₀ ∈ {f/3, …, 2f} without inhibitory neurons), the
  /// others kept at the start's values; then a (1+λ) evolution strategy from the best point
  /// so far: each child moves every coordinate with probability ½ (at least one) by a
  /// Gaussian step with per-coordinate scales (c_EI, c_IE: 0.5; c_II, γ: 0.25; θ₀: f/4) times
  /// σ, clipped to the box c_EI ∈ [0, 3], c_IE ∈ [−3, 3], c_II ∈ [0, 3], γ ∈ [0, 2],
  /// θ₀ ∈ [−f, 2f]; σ starts at ½, grows by 1.5 after a generation that improved and shrinks
  /// by 0.6 otherwise. Every point is scored on the same pattern sets (common random
  /// numbers), so comparisons between points are not blurred by sampling noise. With
  /// `inhibitory == 0` only θ₀ is searched: the excitatory-only baseline, tuned with the
  /// same budget.
  public static func search(
    excitatory: Int, inhibitory: Int, loads: [Double], evaluations: Int = 25, trials: Int = 1,
    probes: Int = 10, start: Coefficients = Coefficients(), seed: UInt64 = 1
  ) throws(HebbianError) -> SearchResult {
    var counts: [Int] = []
    for a in loads {
      let p = max(1, try StepCount.of(a * Double(excitatory), "EIMemory.search: load x N"))
      if let last = counts.last, p <= last { continue }
      counts.append(p)
    }
    if counts.isEmpty { throw .invalidParameter("EIMemory.search: no loads") }
    var memory = try EIMemory(
      excitatory: excitatory, inhibitory: inhibitory, capacity: counts[counts.count - 1],
      coefficients: start, seed: seed)
    let f = start.codingLevel
    var first = start
    if inhibitory == 0 {
      first.inhibitoryToExcitatory = 0
      first.excitatoryToInhibitory = 0
      first.inhibitoryToInhibitory = 0
      first.inhibitoryGain = 0
    }
    func evaluate(_ c: Coefficients, _ m: inout EIMemory) throws(HebbianError) -> (
      Double, [CapacityPoint]
    ) {
      m.coefficients = c
      let points = try CapacitySweep.run(
        &m, patternCounts: counts, trials: trials, probes: probes, noise: 0,
        kind: .sparse(codingLevel: f), seed: seed &+ 17)
      return (score(points), points)
    }
    let (s0, p0) = try evaluate(first, &memory)
    var result = SearchResult(
      start: first, startScore: s0, best: first, bestScore: s0, evaluations: 1, points: p0)
    var rng = SeededGenerator(seed: seed &+ 99)
    let lambda = 6
    let ff = Float(f)
    func consider(_ c: Coefficients, _ m: inout EIMemory) throws(HebbianError) -> Bool {
      let (s, p) = try evaluate(c, &m)
      result.evaluations += 1
      if s > result.bestScore {
        result.bestScore = s
        result.best = c
        result.points = p
        return true
      }
      return false
    }
    for k in 1...lambda where result.evaluations < evaluations {
      var c = first
      if inhibitory > 0 {
        c.inhibitoryToExcitatory = Float(2 * k) / Float(lambda)
      } else {
        c.threshold = Float(2 * k) * ff / Float(lambda)
      }
      _ = try consider(c, &memory)
    }
    var sigma = 0.5
    while result.evaluations < evaluations {
      var improved = false
      let parent = result.best
      for _ in 0..<lambda where result.evaluations < evaluations {
        var c = parent
        let dims = inhibitory > 0 ? 5 : 1
        let forced = Int(rng.next() % UInt64(dims))
        func step(_ v: Float, _ d: Int, _ scale: Double, _ lo: Float, _ hi: Float) -> Float {
          if d != forced && rng.next() & 1 == 0 { return v }
          return min(max(v + Float(sigma * scale * rng.gaussian()), lo), hi)
        }
        c.threshold = step(c.threshold, 0, f / 4, -ff, 2 * ff)
        if inhibitory > 0 {
          c.inhibitoryToExcitatory = step(c.inhibitoryToExcitatory, 1, 0.5, 0, 3)
          c.excitatoryToInhibitory = step(c.excitatoryToInhibitory, 2, 0.5, -3, 3)
          c.inhibitoryToInhibitory = step(c.inhibitoryToInhibitory, 3, 0.25, 0, 3)
          c.inhibitoryGain = step(c.inhibitoryGain, 4, 0.25, 0, 2)
        }
        if try consider(c, &memory) { improved = true }
      }
      sigma *= improved ? 1.5 : 0.6
    }
    return result
  }
}
