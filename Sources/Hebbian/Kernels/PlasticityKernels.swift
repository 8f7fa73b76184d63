internal import CHebbian

/// The spike-timing rule applied by ``Kernels/stdpTraceStep(rows:columns:rule:dt:preSpikes:preTrace:postSpikes:postTrace:_:ldw:)``:
/// exponential pre/post traces and the weight change they drive, with bounds.
///
/// On a presynaptic spike `Δw = preAmplitude · y_post + preOffset`; on a postsynaptic spike
/// `Δw = postAmplitude · x_pre + postOffset`. Classic pair STDP is ``classic(aPlus:aMinus:tauPlus:tauMinus:wMin:wMax:pairing:bounds:)``,
/// Vogels et al. (2011) inhibitory STDP is ``vogels(eta:targetRate:tau:wMax:)``.
public struct STDPRule: Sendable, Equatable {
  public enum Pairing: Sendable, Equatable {
    /// Every pre/post pair contributes (traces add up: x += 1 per spike).
    case allToAll
    /// Only the nearest spike counts (traces reset to 1 per spike).
    case nearest
  }
  public enum Bounds: Sendable, Equatable {
    /// w ← clamp(w + Δw, wMin, wMax).
    case hard
    /// Multiplicative: potentiation scaled by (wMax − w), depression by (w − wMin).
    case soft
  }

  /// Time constant of the presynaptic trace x (ms): the LTP side of the window.
  public var tauPre: Double
  /// Time constant of the postsynaptic trace y (ms): the LTD side of the window.
  public var tauPost: Double
  public var preAmplitude: Float
  public var preOffset: Float
  public var postAmplitude: Float
  public var postOffset: Float
  public var wMin: Float
  public var wMax: Float
  public var pairing: Pairing
  public var bounds: Bounds

  public init(
    tauPre: Double, tauPost: Double, preAmplitude: Float, preOffset: Float = 0,
    postAmplitude: Float, postOffset: Float = 0, wMin: Float, wMax: Float,
    pairing: Pairing = .allToAll, bounds: Bounds = .hard
  ) {
    self.tauPre = tauPre
    self.tauPost = tauPost
    self.preAmplitude = preAmplitude
    self.preOffset = preOffset
    self.postAmplitude = postAmplitude
    self.postOffset = postOffset
    self.wMin = wMin
    self.wMax = wMax
    self.pairing = pairing
    self.bounds = bounds
  }

  /// Pair STDP (Song, Miller & Abbott 2000): Δw = A₊ e^(−Δt/τ₊) for Δt = t_post − t_pre > 0,
  /// Δw = −A₋ e^(Δt/τ₋) for Δt < 0. Amplitudes are absolute weight changes (hard bounds) or
  /// fractions of the distance to the bound (soft bounds).
  public static func classic(
    aPlus: Float = 0.005, aMinus: Float = 0.00525, tauPlus: Double = 20, tauMinus: Double = 20,
    wMin: Float = 0, wMax: Float = 1, pairing: Pairing = .allToAll, bounds: Bounds = .hard
  ) -> STDPRule {
    STDPRule(
      tauPre: tauPlus, tauPost: tauMinus, preAmplitude: -aMinus, postAmplitude: aPlus,
      wMin: wMin, wMax: wMax, pairing: pairing, bounds: bounds)
  }

  /// Vogels et al. (2011) inhibitory STDP: on a presynaptic spike Δw = η (y_post − α), on a
  /// postsynaptic spike Δw = η x_pre, with α = 2 ρ₀ τ (ρ₀ in Hz, τ in ms). A symmetric window
  /// plus a constant depression per presynaptic spike: the fixed point is a postsynaptic rate of ρ₀.
  public static func vogels(eta: Float, targetRate: Double, tau: Double = 20, wMax: Float)
    -> STDPRule
  {
    let alpha = Float(2 * targetRate * tau / 1000)
    return STDPRule(
      tauPre: tau, tauPost: tau, preAmplitude: eta, preOffset: -eta * alpha, postAmplitude: eta,
      wMin: 0, wMax: wMax, pairing: .allToAll, bounds: .hard)
  }

  func params(dt: Double) -> hb_stdp_params {
    hb_stdp_params(
      decay_pre: Float(Math.exp(-dt / tauPre)), decay_post: Float(Math.exp(-dt / tauPost)),
      a_pre: preAmplitude, c_pre: preOffset, a_post: postAmplitude, c_post: postOffset,
      w_min: wMin, w_max: wMax, bounds: bounds == .soft ? HB_STDP_SOFT : HB_STDP_HARD,
      pairing: pairing == .nearest ? HB_STDP_NEAREST : HB_STDP_ALL_TO_ALL)
  }

  func validate() throws(HebbianError) {
    if !(tauPre > 0 && tauPost > 0) {
      throw .invalidParameter("STDP time constants must be > 0")
    }
    if !(wMin <= wMax) { throw .invalidParameter("STDP bounds: wMin must be <= wMax") }
  }
}

extension Kernels {
  /// Plain Hebb with decay on W (k×d, ldw): W ← (1 − λ) W + η y xᵀ.
  public static func hebbDecayStep(
    rows k: Int, columns d: Int, eta: Float, decay lambda: Float, _ x: Span<Float>,
    _ y: Span<Float>, _ w: inout MutableSpan<Float>, ldw: Int
  ) throws(HebbianError) {
    try ruleShape("hebb", k, d, ldw, w: w.count, x: x.count, y: y.count)
    pointers(x, y, &w) { hb_hebb_decay_step_f32(k, d, eta, lambda, $0, $1, $2, ldw) }
  }

  /// Instar on W (k×d, ldw): W_ij += η y_i (x_j − W_ij).
  public static func instarStep(
    rows k: Int, columns d: Int, eta: Float, _ x: Span<Float>, _ y: Span<Float>,
    _ w: inout MutableSpan<Float>, ldw: Int
  ) throws(HebbianError) {
    try ruleShape("instar", k, d, ldw, w: w.count, x: x.count, y: y.count)
    pointers(x, y, &w) { hb_instar_step_f32(k, d, eta, $0, $1, $2, ldw) }
  }

  /// BCM on W (k×d, ldw): W_ij += η x_j y_i (y_i − θ_i).
  public static func bcmStep(
    rows k: Int, columns d: Int, eta: Float, _ x: Span<Float>, _ y: Span<Float>,
    threshold theta: Span<Float>, _ w: inout MutableSpan<Float>, ldw: Int
  ) throws(HebbianError) {
    try ruleShape("bcm", k, d, ldw, w: w.count, x: x.count, y: y.count)
    try checkRoom("bcm: theta elements", k, theta.count)
    theta.withUnsafeBufferPointer { tp in
      pointers(x, y, &w) { hb_bcm_step_f32(k, d, eta, $0, $1, tp.baseAddress, $2, ldw) }
    }
  }

  /// One time step `dt` (ms) of pair STDP on W (k×d, ldw): traces decay, spikes (0/1) drive
  /// bounded weight changes, then the traces jump.
  public static func stdpTraceStep(
    rows k: Int, columns d: Int, rule: STDPRule, dt: Double, preSpikes: Span<Float>,
    preTrace: inout MutableSpan<Float>, postSpikes: Span<Float>,
    postTrace: inout MutableSpan<Float>, _ w: inout MutableSpan<Float>, ldw: Int
  ) throws(HebbianError) {
    try rule.validate()
    try matrix("stdp: W", k, d, ldw, w.count)
    try checkRoom("stdp: pre spikes", d, preSpikes.count)
    try checkRoom("stdp: pre trace", d, preTrace.count)
    try checkRoom("stdp: post spikes", k, postSpikes.count)
    try checkRoom("stdp: post trace", k, postTrace.count)
    var p = rule.params(dt: dt)
    preSpikes.withUnsafeBufferPointer { sp in
      preTrace.withUnsafeMutableBufferPointer { xp in
        postSpikes.withUnsafeBufferPointer { tp in
          postTrace.withUnsafeMutableBufferPointer { yp in
            w.withUnsafeMutableBufferPointer { wp in
              hb_stdp_trace_step_f32(
                k, d, &p, sp.baseAddress, xp.baseAddress, tp.baseAddress, yp.baseAddress,
                wp.baseAddress, ldw)
            }
          }
        }
      }
    }
  }
}
