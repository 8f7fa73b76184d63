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

  var wEE: OwnedBuffer<Float>
  var wIE: OwnedBuffer<Float>
  var wIE0: OwnedBuffer<Float>
  var wEI: OwnedBuffer<Float>
  var wII: OwnedBuffer<Float>
  var rI: OwnedBuffer<Float>
  var drive: OwnedBuffer<Float>
  var h: OwnedBuffer<Float>
  var r: OwnedBuffer<Float>
  var previous: OwnedBuffer<Float>
  var centred: OwnedBuffer<Float>

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
        [9, excitatory + Swift.max(inhibitory, 1)],
      ])
    try checkCodingLevel("EIMemory", coefficients.codingLevel)
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
    previous = OwnedBuffer(count: ne)
    centred = OwnedBuffer(count: ne)
    var rng = SeededGenerator(seed: seed)
    for k in 0..<(ni * ne) { wIE0[k] = Float(rng.uniform() * 2 / Double(ne)) }
    wIE.assign(wIE0)
    resetInhibition()
  }

  /// W_EI back to its fixed part γ/N_I (zero without inhibitory neurons).
  mutating func resetInhibition() {
    let ni = inhibitory
    if ni == 0 { return }
    let g = max(coefficients.inhibitoryGain, 0) / Float(ni)
    wEI.fill(g)
  }

  /// r_I = [W_IE r − W_II r_I]₊ for the excitatory rates r, the lateral I→I term evaluated
  /// once from the feed-forward response.
  mutating func inhibitoryResponse() {
    let ne = excitatory, ni = inhibitory
    if ni == 0 { return }
    Kernels.unsafeGemv(rows: ni, columns: ne, wIE.base, lda: ne, r.base, drive.base)
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
    inhibitoryResponse()
    let c = coefficients
    Self.update(
      wEE.base, rows: ne, columns: ne, alpha: c.excitatoryToExcitatory / Float(ne), r.base,
      r.base, zeroDiagonal: true)
    if ni > 0 {
      Self.update(
        wIE.base, rows: ni, columns: ne, alpha: c.excitatoryToInhibitory / Float(ne), rI.base,
        centred.base, zeroDiagonal: false)
      Self.update(
        wEI.base, rows: ne, columns: ni, alpha: c.inhibitoryToExcitatory / Float(ni), r.base,
        rI.base, zeroDiagonal: false)
      Self.update(
        wII.base, rows: ni, columns: ni, alpha: c.inhibitoryToInhibitory / Float(ni), rI.base,
        rI.base, zeroDiagonal: true)
    }
    count += 1
  }

  /// A += α x yᵀ (rows × columns, row-major), then Dale's law as a projection (a weight may
  /// shrink to zero but never change sign) and, with `zeroDiagonal`, no self-connections.
  /// Row i moves by (α x_i) y, so a row whose α x_i is 0 gains only zeros: no weight is ever
  /// −0 (each starts at +0 or above, and the projection writes +0), so adding them changes no
  /// bit, and the projection has nothing to do on a row that did not move. Only the other rows
  /// are updated, each by the same kernel: the weights are those of the full update bit for
  /// bit, and an E→E or I→E update costs f N_E rows instead of N_E.
  static func update(
    _ a: UnsafeMutablePointer<Float>, rows: Int, columns: Int, alpha: Float,
    _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, zeroDiagonal: Bool
  ) {
    for i in 0..<rows where alpha * x[i] != 0 {
      let row = a + i * columns
      Kernels.unsafeGer(rows: 1, columns: columns, alpha: alpha, x + i, y, row, lda: columns)
      if zeroDiagonal { row[i] = 0 }
      for j in 0..<columns where row[j] < 0 { row[j] = 0 }
    }
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
    try checkRecall("EIMemory", excitatory, cue: cue.count, state: state.count)
    let ne = excitatory, ni = inhibitory
    for i in 0..<ne { r[i] = cue[i] > 0.5 ? 1 : 0 }
    let theta = coefficients.threshold
    let result = iterateSynchronous(
      maxSteps: maxSteps, count: ne, state: r.base, next: h.base, previous: previous.base
    ) {
      Kernels.unsafeGemv(rows: ne, columns: ne, wEE.base, lda: ne, r.base, h.base)
      if ni > 0 {
        inhibitoryResponse()
        Kernels.unsafeGemv(
          rows: ne, columns: ni, alpha: -1, wEI.base, lda: ni, rI.base, beta: 1, h.base)
      }
      thresholdStep(fields: &h, ne, above: theta)
    }
    for i in 0..<ne { state[i] = r[i] }
    return result
  }
}
