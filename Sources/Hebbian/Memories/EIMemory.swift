/// A Hopfield-type memory with separate excitatory and inhibitory neurons (after Mongillo et
/// al. 2018 and Gong et al. 2024), obeying Dale's law: every weight is ≥ 0 and its sign is
/// that of the presynaptic population.
///
/// N_E binary excitatory rate neurons r ∈ {0,1} hold the patterns (coding level f); N_I
/// threshold-linear inhibitory neurons read them out:
///   r_I = [W_IE r − W_II r_I]₊,    r_i ← 1 if (W_EE r − W_EI r_I)_i > θ, else 0.
/// Storing ξ (with r_I^ξ the inhibitory response to it) changes all four pathways:
///   W_EE += (c_EE/N_E) ξ ξᵀ            Hebbian E→E
///   W_IE += (c_IE/N_E) r_I^ξ ξᵀ        Hebbian E→I
///   W_EI += (c_EI/N_I) ξ r_I^ξᵀ        anti-Hebbian I→E (more inhibition onto co-active E)
///   W_II += (c_II/N_I) r_I^ξ r_I^ξᵀ    I→I
/// each followed by the projection onto W ≥ 0. Why inhibition helps: with non-negative E→E
/// weights the field of neuron i carries f²·k_i (k_i = patterns in which i is active), a
/// "popularity" term whose spread swamps the signal after a handful of patterns. The
/// anti-Hebbian I→E weights grow like k_i, so the inhibition they carry cancels it, which is
/// the −f terms of the covariance rule built from sign-respecting synapses.
public struct EIMemory: ~Copyable, AssociativeMemory {
  /// Plasticity coefficients of the four pathways, the excitatory threshold, and the coding
  /// level of the patterns they were tuned for.
  public struct Coefficients: Sendable, Equatable {
    public var excitatoryToExcitatory: Float
    public var excitatoryToInhibitory: Float
    public var inhibitoryToExcitatory: Float
    public var inhibitoryToInhibitory: Float
    public var threshold: Float
    public var codingLevel: Double

    public init(
      excitatoryToExcitatory: Float = 1, excitatoryToInhibitory: Float = 0,
      inhibitoryToExcitatory: Float = 1, inhibitoryToInhibitory: Float = 0,
      threshold: Float = 0.125, codingLevel: Double = 0.5
    ) {
      self.excitatoryToExcitatory = excitatoryToExcitatory
      self.excitatoryToInhibitory = excitatoryToInhibitory
      self.inhibitoryToExcitatory = inhibitoryToExcitatory
      self.inhibitoryToInhibitory = inhibitoryToInhibitory
      self.threshold = threshold
      self.codingLevel = codingLevel
    }

    /// c_EE = c_EI = 1, c_IE = c_II = 0, θ = f²/2 at f = 1/2: the I→E strength that cancels
    /// the popularity term exactly (inhibition c_EI·f²·k_i against c_EE·f²·k_i). The seeded
    /// search at N_E = 200, N_I = 50 keeps it as its best candidate; the default of
    /// `hebbian capacity --model ei`.
    public static let tuned = Coefficients()
  }

  public let excitatory: Int
  public let inhibitory: Int
  public let capacity: Int
  public var coefficients: Coefficients
  public var maxSteps: Int
  public private(set) var count = 0
  public var dimension: Int { excitatory }

  let wEE: UnsafeMutablePointer<Float>
  let wIE: UnsafeMutablePointer<Float>
  let wIE0: UnsafeMutablePointer<Float>
  let wEI: UnsafeMutablePointer<Float>
  let wII: UnsafeMutablePointer<Float>
  let rI: UnsafeMutablePointer<Float>
  let drive: UnsafeMutablePointer<Float>
  let h: UnsafeMutablePointer<Float>
  let r: UnsafeMutablePointer<Float>

  /// `inhibitory` may be 0: the excitatory-only baseline with the same storage and threshold.
  /// E→I weights start uniform in [0, 2/N_E] (seeded), so each inhibitory neuron first reads
  /// about the mean excitatory activity.
  public init(
    excitatory: Int, inhibitory: Int, capacity: Int,
    coefficients: Coefficients = Coefficients(), maxSteps: Int = 30, seed: UInt64 = 0
  ) throws(HebbianError) {
    if excitatory < 1 || inhibitory < 0 || capacity < 1 {
      throw .invalidParameter(
        "EIMemory: need excitatory >= 1, inhibitory >= 0, capacity >= 1")
    }
    if maxSteps < 1 { throw .invalidParameter("EIMemory: maxSteps must be >= 1") }
    self.excitatory = excitatory
    self.inhibitory = inhibitory
    self.capacity = capacity
    self.coefficients = coefficients
    self.maxSteps = maxSteps
    let ne = excitatory, ni = max(inhibitory, 1)
    wEE = .allocate(capacity: ne * ne)
    wEE.initialize(repeating: 0, count: ne * ne)
    wIE = .allocate(capacity: ni * ne)
    wIE0 = .allocate(capacity: ni * ne)
    wEI = .allocate(capacity: ne * ni)
    wEI.initialize(repeating: 0, count: ne * ni)
    wII = .allocate(capacity: ni * ni)
    wII.initialize(repeating: 0, count: ni * ni)
    rI = .allocate(capacity: ni)
    rI.initialize(repeating: 0, count: ni)
    drive = .allocate(capacity: ni)
    drive.initialize(repeating: 0, count: ni)
    h = .allocate(capacity: ne)
    h.initialize(repeating: 0, count: ne)
    r = .allocate(capacity: ne)
    r.initialize(repeating: 0, count: ne)
    var rng = SeededGenerator(seed: seed)
    for k in 0..<(ni * ne) { wIE0[k] = Float(rng.uniform() * 2 / Double(ne)) }
    wIE.initialize(from: wIE0, count: ni * ne)
  }

  deinit {
    wEE.deallocate(); wIE.deallocate(); wIE0.deallocate(); wEI.deallocate(); wII.deallocate()
    rI.deallocate(); drive.deallocate(); h.deallocate(); r.deallocate()
  }

  /// r_I = [W_IE x − W_II r_I]₊, the lateral I→I term evaluated once from the feed-forward
  /// response (enough for the weak I→I weights the search settles on).
  func inhibitoryResponse(_ x: UnsafePointer<Float>) {
    let ne = excitatory, ni = inhibitory
    if ni == 0 { return }
    Kernels.unsafeGemv(rows: ni, columns: ne, wIE, lda: ne, x, drive)
    for k in 0..<ni { rI[k] = max(drive[k], 0) }
    Kernels.unsafeGemv(rows: ni, columns: ni, alpha: -1, wII, lda: ni, rI, beta: 1, drive)
    for k in 0..<ni { rI[k] = max(drive[k], 0) }
  }

  /// Stores one 0/1 pattern (entries > 1/2 count as active).
  public mutating func store(_ pattern: Span<Float>) throws(HebbianError) {
    try checkShape("EIMemory pattern", excitatory, pattern.count)
    if count == capacity {
      throw .invalidParameter("EIMemory: capacity of \(capacity) patterns reached")
    }
    let ne = excitatory, ni = inhibitory
    for i in 0..<ne { r[i] = pattern[i] > 0.5 ? 1 : 0 }
    inhibitoryResponse(r)
    let c = coefficients
    Kernels.unsafeGer(
      rows: ne, columns: ne, alpha: c.excitatoryToExcitatory / Float(ne), r, r, wEE, lda: ne)
    for i in 0..<ne { wEE[i * ne + i] = 0 }
    project(wEE, ne * ne)
    if ni > 0 {
      Kernels.unsafeGer(
        rows: ni, columns: ne, alpha: c.excitatoryToInhibitory / Float(ne), rI, r, wIE, lda: ne)
      Kernels.unsafeGer(
        rows: ne, columns: ni, alpha: c.inhibitoryToExcitatory / Float(ni), r, rI, wEI, lda: ni)
      Kernels.unsafeGer(
        rows: ni, columns: ni, alpha: c.inhibitoryToInhibitory / Float(ni), rI, rI, wII, lda: ni)
      for k in 0..<ni { wII[k * ni + k] = 0 }
      project(wIE, ni * ne)
      project(wEI, ne * ni)
      project(wII, ni * ni)
    }
    count += 1
  }

  /// Dale's law as a projection: a weight may shrink to zero but never change sign.
  @inline(__always)
  func project(_ w: UnsafeMutablePointer<Float>, _ n: Int) {
    for k in 0..<n where w[k] < 0 { w[k] = 0 }
  }

  public mutating func removeAll() {
    let ne = excitatory, ni = max(inhibitory, 1)
    wEE.update(repeating: 0, count: ne * ne)
    wIE.update(from: wIE0, count: ni * ne)
    wEI.update(repeating: 0, count: ne * ni)
    wII.update(repeating: 0, count: ni * ni)
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
    var steps = 0
    var converged = false
    while steps < maxSteps {
      Kernels.unsafeGemv(rows: ne, columns: ne, wEE, lda: ne, r, h)
      if ni > 0 {
        inhibitoryResponse(r)
        Kernels.unsafeGemv(rows: ne, columns: ni, alpha: -1, wEI, lda: ni, rI, beta: 1, h)
      }
      var changed = 0
      for i in 0..<ne {
        let v: Float = h[i] > theta ? 1 : 0
        if v != r[i] { changed += 1 }
        h[i] = v
      }
      if changed == 0 {
        converged = true
        break
      }
      r.update(from: h, count: ne)
      steps += 1
    }
    for i in 0..<ne { state[i] = r[i] }
    return RecallResult(steps: steps, converged: converged)
  }

  /// A seeded random search over the plasticity coefficients and the threshold that
  /// maximises capacity, scored as the mean fraction of exact retrievals over `patternCounts`
  /// (a smoothed area under the retrieval curve). With `inhibitory == 0` only the threshold
  /// is searched: the excitatory-only baseline, tuned with the same budget. Candidate 0 is
  /// `start`.
  public static func search(
    excitatory: Int, inhibitory: Int, patternCounts: [Int], candidates: Int = 16,
    trials: Int = 1, probes: Int = 5, noise: Double = 0.1, start: Coefficients = Coefficients(),
    seed: UInt64 = 1
  ) throws(HebbianError) -> (coefficients: Coefficients, score: Double, points: [CapacityPoint]) {
    var rng = SeededGenerator(seed: seed)
    var memory = try EIMemory(
      excitatory: excitatory, inhibitory: inhibitory, capacity: patternCounts.max() ?? 1,
      coefficients: start, seed: seed)
    var first = start
    if inhibitory == 0 {
      first.inhibitoryToExcitatory = 0
      first.excitatoryToInhibitory = 0
      first.inhibitoryToInhibitory = 0
    }
    var best = first
    var bestScore = -1.0
    var bestPoints: [CapacityPoint] = []
    let f = start.codingLevel
    for k in 0..<max(candidates, 1) {
      var c = first
      if k > 0 {
        // Thresholds in units of the E→E field (≈ c_EE·f per active input), around f/4.
        c.threshold = Float(f * f * (rng.uniform() * 1.5 - 0.25) * 2)
        if inhibitory > 0 {
          c.inhibitoryToExcitatory = Float(rng.uniform() * 3)
          c.excitatoryToInhibitory = Float(rng.uniform())
          c.inhibitoryToInhibitory = Float(rng.uniform() * 0.5)
        } else {
          c.inhibitoryToExcitatory = 0
          c.excitatoryToInhibitory = 0
          c.inhibitoryToInhibitory = 0
        }
      }
      memory.coefficients = c
      let points = try CapacitySweep.run(
        &memory, patternCounts: patternCounts, trials: trials, probes: probes, noise: noise,
        kind: .sparse(codingLevel: f), seed: seed &+ 17)
      var score = 0.0
      for p in points { score += p.exact }
      score /= Double(points.count)
      if score > bestScore {
        bestScore = score
        best = c
        bestPoints = points
      }
    }
    return (best, bestScore, bestPoints)
  }
}
