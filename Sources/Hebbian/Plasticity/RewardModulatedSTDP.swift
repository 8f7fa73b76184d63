internal import CHebbian

/// Three-factor STDP (Izhikevich 2007, "Solving the distal reward problem through linkage of
/// STDP and dopamine signaling"): spike pairings do not change a weight directly but tag the
/// synapse with an eligibility trace c, and a global neuromodulator d (dopamine) turns the tags
/// into weight changes:
///
///     dc_ij/dt = −c_ij/τ_c + STDP(Δt) δ(t − t_pre/post),     dd/dt = −d/τ_d + reward(t),
///     dw_ij/dt = η c_ij (d + d₀),   w ∈ [wMin, wMax].
///
/// Because c decays slowly (τ_c ≈ 1 s) a reward that arrives up to a second after the pairing
/// that earned it still finds that synapse tagged, while the tags of the other synapses have
/// random sign at that moment and average out over many rewards: credit goes to the synapse
/// whose pairings predict reward (the distal reward problem). The tags are exactly pair STDP:
/// a block of ``STDPSynapses`` with no bounds whose weights are the k×d eligibility matrix C;
/// the weight step is `W ← clamp(W + η dt (d + d₀) C)`. Everything is allocated at init.
public struct RewardModulatedSTDP: ~Copyable {
  public struct Parameters: Sendable, Equatable {
    /// Pair window of the tags: A₊ e^(−Δt/τ₊) for pre before post, −A₋ e^(Δt/τ₋) after.
    public var aPlus: Float = 1
    public var aMinus: Float = 1.5
    public var tauPlus: Double = 20
    public var tauMinus: Double = 20
    /// τ_c of the eligibility trace (ms).
    public var eligibilityTimeConstant: Double = 1000
    /// τ_d of the dopamine concentration (ms).
    public var dopamineTimeConstant: Double = 200
    /// Tonic dopamine d₀ added to the phasic level.
    public var tonicDopamine: Float = 0.01
    /// η: weight change per unit of tag × dopamine × second.
    public var learningRate: Float = 1
    public var wMin: Float = 0
    public var wMax: Float = 1
    public init() {}

    /// Izhikevich (2007): A₊ = 1, A₋ = 1.5, τ± = 20 ms, τ_c = 1 s, τ_d = 0.2 s, d₀ = 0.01.
    public static let izhikevich2007 = Parameters()

    func validate() throws(HebbianError) {
      if !(aPlus >= 0 && aMinus >= 0 && tauPlus > 0 && tauMinus > 0) {
        throw .invalidParameter("reward STDP: amplitudes must be >= 0 and time constants > 0")
      }
      if !(eligibilityTimeConstant > 0 && dopamineTimeConstant > 0) {
        throw .invalidParameter("reward STDP: eligibility and dopamine time constants must be > 0")
      }
      if !(learningRate >= 0 && learningRate.isFinite && tonicDopamine.isFinite) {
        throw .invalidParameter("reward STDP: learning rate must be finite and >= 0")
      }
      if !(wMin <= wMax && wMin.isFinite && wMax.isFinite) {
        throw .invalidParameter("reward STDP: need finite wMin <= wMax")
      }
    }
  }

  public let rows: Int
  public let columns: Int
  public let parameters: Parameters
  public let dt: Double
  /// Dopamine concentration d (phasic part).
  public private(set) var dopamine: Float = 0
  var w: Matrix
  /// The eligibility tags C: unbounded pair STDP, starting at 0.
  var tags: STDPSynapses
  let decayC: Float
  let decayD: Float

  public init(
    post rows: Int, pre columns: Int, parameters: Parameters = .izhikevich2007, dt: Double,
    initialWeight: Float
  ) throws(HebbianError) {
    try RateRule.shape(inputs: columns, outputs: rows)
    try parameters.validate()
    // The tags: STDPRule.classic without bounds. Building them checks dt, the last check.
    let rule = STDPRule.classic(
      aPlus: parameters.aPlus, aMinus: parameters.aMinus, tauPlus: parameters.tauPlus,
      tauMinus: parameters.tauMinus, wMin: -.infinity, wMax: .infinity)
    tags = try STDPSynapses(post: rows, pre: columns, rule: rule, dt: dt, initialWeight: 0)
    self.rows = rows
    self.columns = columns
    self.parameters = parameters
    self.dt = dt
    decayC = Float(Math.exp(-dt / parameters.eligibilityTimeConstant))
    decayD = Float(Math.exp(-dt / parameters.dopamineTimeConstant))
    w = Matrix(
      rows: rows, columns: columns,
      repeating: min(max(initialWeight, parameters.wMin), parameters.wMax))
  }

  /// Adds a phasic dopamine pulse (e.g. 0.5 in Izhikevich's units) at the current step.
  public mutating func reward(_ amount: Float) { dopamine += amount }

  /// One dt with spikes given as 0/1 spans (d pre, k post).
  public mutating func step(preSpikes: Span<Float>, postSpikes: Span<Float>) throws(HebbianError) {
    try tags.traces.check(preSpikes, postSpikes, "reward stdp")
    advance(preSpikes, postSpikes)
  }

  /// One dt driven by a Poisson input population (pre) and a LIF population (post).
  public mutating func step(pre: borrowing PoissonInput, post: borrowing LIFPopulation) {
    tags.traces.check(pre, post, "reward stdp")
    advance(pre.spikes.span, post.spikes.span)
  }

  mutating func advance(_ pre: Span<Float>, _ post: Span<Float>) {
    let n = rows * columns
    // c ← c e^(−dt/τ_c), then the pairings of this step tag their synapses.
    hb_scal_f32(n, decayC, tags.w.base, 1)
    tags.advance(pre, post)
    // w += η (d + d₀) c dt (dt in seconds), clipped to the bounds.
    let gain = parameters.learningRate * (dopamine + parameters.tonicDopamine) * Float(dt / 1000)
    if gain != 0 {
      hb_axpy_f32(n, gain, tags.w.base, 1, w.base, 1)
      let (lo, hi) = (parameters.wMin, parameters.wMax)
      for i in 0..<n { w.elements[i] = Swift.min(Swift.max(w.elements[i], lo), hi) }
    }
    dopamine *= decayD
  }

  public func weight(post i: Int, pre j: Int) -> Float { w[i, j] }
  public func eligibility(post i: Int, pre j: Int) -> Float { tags.weight(post: i, pre: j) }
  public func row(_ i: Int) -> [Float] { w.row(i) }
  /// Delivers this step's presynaptic spikes as excitatory conductance jumps g_i += w_ij.
  public func deliver(_ pre: borrowing PoissonInput, to post: inout LIFPopulation) {
    tags.traces.check(pre, post, "reward stdp")
    post.receive(pre, through: w, inhibitory: false)
  }
}
