/// The two-layer associative memory of Krotov & Hopfield (2021): N feature neurons v and one
/// memory neuron h_μ per stored pattern, with activations defined by Lagrangians,
///   g_i = ∂L_v/∂v_i,   f_μ = ∂L_h/∂h_μ,
/// and continuous-time dynamics
///   τ_f dv_i/dt = Σ_μ ξ_μi f_μ − v_i,    τ_h dh_μ/dt = Σ_i ξ_μi g_i − h_μ,
/// which descend the energy
///   E = Σ_i v_i g_i − L_v + Σ_μ h_μ f_μ − L_h − Σ_μi f_μ ξ_μi g_i.
/// Only pairwise synapses ξ_μi: the many-body interactions of the one-layer models appear
/// when the memory neurons are fast (τ_h ≪ τ_f) and are integrated out.
/// - L_v = ½ Σ v², L_h = β⁻¹ log Σ exp(β h): f = softmax(β h) and the fixed points are those
///   of the modern Hopfield update v = Xᵀ softmax(β X v) (Ramsauer et al. 2020).
/// - L_v = Σ log cosh(a v)/a (g = tanh(a v)), L_h = Σ (h)₊ⁿ/n (f = (h)₊ⁿ⁻¹): the dense
///   associative memory with F(x) = xⁿ/n, whose saturated fixed points s = sign(v) satisfy
///   s_i = sign Σ_μ ξ_μi (ξ_μ·s)ⁿ⁻¹, the derivative form of its update rule.
/// Integration by the exponential Euler step (exact for the leak with the drive held over
/// the step, so stable at any dt), fixed dt, no allocation.
public struct TwoLayerMemory: ~Copyable, AssociativeMemory {
  public enum FeatureLagrangian: Sendable, Equatable {
    /// L_v = ½ Σ v²: g = v.
    case quadratic
    /// L_v = Σ log cosh(a v)/a: g = tanh(a v).
    case logCosh(gain: Float)
  }

  public enum MemoryLagrangian: Sendable, Equatable {
    /// L_h = β⁻¹ log Σ exp(β h): f = softmax(β h).
    case logSumExp(beta: Float)
    /// L_h = Σ (h)₊ⁿ / n: f = (h)₊ⁿ⁻¹.
    case power(degree: Int)
  }

  /// The stored patterns, one per row.
  var patterns: PatternStore
  public var dimension: Int { patterns.dimension }
  public var capacity: Int { patterns.capacity }
  public var feature: FeatureLagrangian
  public var memory: MemoryLagrangian
  public var tauFeature: Float
  public var tauMemory: Float
  public var dt: Float
  public var maxSteps: Int
  public var tolerance: Float
  public var count: Int { patterns.count }

  /// The feature neurons (v, g, X f) and the memory neurons (h, f, X g).
  var v: NeuronLayer, h: NeuronLayer

  public init(
    dimension: Int, capacity: Int, feature: FeatureLagrangian = .quadratic,
    memory: MemoryLagrangian = .logSumExp(beta: 8), tauFeature: Float = 1,
    tauMemory: Float = 0.1, dt: Float = 0.1, maxSteps: Int = 5000, tolerance: Float = 1e-6
  ) throws(HebbianError) {
    if dimension < 1 || capacity < 1 {
      throw .invalidParameter("TwoLayerMemory: dimension and capacity must be >= 1")
    }
    if !(tauFeature > 0) || !(tauMemory > 0) || !(dt > 0) || maxSteps < 1 {
      throw .invalidParameter("TwoLayerMemory: time constants and dt must be > 0")
    }
    if case .power(let n) = memory, n < 2 {
      throw .invalidParameter("TwoLayerMemory: power degree must be >= 2")
    }
    try MemoryBudget.check(
      "TwoLayerMemory", "dimension \(dimension) with capacity \(capacity)",
      [[capacity, dimension], [3, dimension], [3, capacity]])
    patterns = PatternStore("TwoLayerMemory", dimension: dimension, capacity: capacity)
    self.feature = feature
    self.memory = memory
    self.tauFeature = tauFeature
    self.tauMemory = tauMemory
    self.dt = dt
    self.maxSteps = maxSteps
    self.tolerance = tolerance
    v = NeuronLayer(count: dimension)
    h = NeuronLayer(count: capacity)
  }

  public mutating func store(_ pattern: Span<Float>) throws(HebbianError) {
    try patterns.append(pattern)
  }

  public mutating func removeAll() { patterns.removeAll() }

  /// g = ∂L_v/∂v.
  mutating func featureActivity() {
    switch feature {
    case .quadratic: v.activity.assign(v.state)
    case .logCosh(let a): for i in 0..<dimension { v.activity[i] = Math.tanh(a * v.state[i]) }
    }
  }

  /// f = ∂L_h/∂h; returns L_h.
  @discardableResult
  mutating func memoryActivity() -> Float {
    switch memory {
    case .logSumExp(let beta):
      return Kernels.unsafeSoftmax(count, beta: beta, h.state.base, h.activity.base) / beta
    case .power(let n):
      var lh: Float = 0
      for mu in 0..<count {
        let p = max(h.state[mu], 0)
        var q: Float = 1
        for _ in 0..<(n - 1) { q *= p }
        h.activity[mu] = q
        lh += q * p / Float(n)
      }
      return lh
    }
  }

  /// Integrates from v = cue, h = X g(cue) until both layers stop moving; writes g (the
  /// feature neurons' activity: v itself for the quadratic Lagrangian).
  public mutating func recall(_ cue: Span<Float>, into state: inout MutableSpan<Float>)
    throws(HebbianError) -> RecallResult
  {
    try checkRecall("TwoLayerMemory", dimension, cue: cue.count, state: state.count)
    if count == 0 { throw .invalidParameter("TwoLayerMemory: no stored patterns") }
    try checkFiniteCue(cue)
    let n = dimension, p = count
    v.state.copy(cue)
    featureActivity()
    Kernels.unsafeGemv(
      rows: p, columns: n, patterns.rows.base, lda: n, v.activity.base, h.state.base)
    // Exponential Euler: y ← y + (1 − e^(−dt/τ))(drive − y).
    let af = 1 - Math.exp(-dt / tauFeature)
    let ah = 1 - Math.exp(-dt / tauMemory)
    var steps = 0
    var converged = false
    while steps < maxSteps {
      memoryActivity()
      Kernels.unsafeGemvTransposed(
        rows: p, columns: n, patterns.rows.base, lda: n, h.activity.base, v.drive.base)
      Kernels.unsafeGemv(
        rows: p, columns: n, patterns.rows.base, lda: n, v.activity.base, h.drive.base)
      let vRests = v.relax(af, count: n, tolerance: tolerance)
      let hRests = h.relax(ah, count: p, tolerance: tolerance)
      featureActivity()
      steps += 1
      if vRests && hRests {
        converged = true
        break
      }
    }
    try checkFiniteState("TwoLayerMemory", v.activity, n)
    for i in 0..<n { state[i] = v.activity[i] }
    return RecallResult(steps: steps, converged: converged)
  }

  /// The energy of the current (last recalled) state:
  /// E = Σ v g − L_v + Σ h f − L_h − fᵀ X g.
  public var energy: Float {
    mutating get { currentEnergy() }
  }

  mutating func currentEnergy() -> Float {
    let n = dimension, p = count
    var e: Float = 0
    switch feature {
    case .quadratic:
      for i in 0..<n { e += 0.5 * v.state[i] * v.state[i] }
    case .logCosh(let a):
      for i in 0..<n {
        // log cosh(z) = |z| + log(1 + e^(−2|z|)) − log 2, without overflow.
        let z = abs(a * v.state[i])
        e += v.state[i] * v.activity[i] - (z + Math.log(1 + Math.exp(-2 * z)) - 0.6931472) / a
      }
    }
    let lh = memoryActivity()
    for mu in 0..<p { e += h.state[mu] * h.activity[mu] }
    e -= lh
    Kernels.unsafeGemv(
      rows: p, columns: n, patterns.rows.base, lda: n, v.activity.base, h.drive.base)
    for mu in 0..<p { e -= h.activity[mu] * h.drive[mu] }
    return e
  }
}

/// One layer of the two-layer memory: the neurons' state (v or h), their activity (g or f)
/// and the drive of their leak equation (X f or X g).
struct NeuronLayer: ~Copyable {
  var state: OwnedBuffer<Float>
  var activity: OwnedBuffer<Float>
  var drive: OwnedBuffer<Float>

  init(count: Int) {
    state = OwnedBuffer(count: count)
    activity = OwnedBuffer(count: count)
    drive = OwnedBuffer(count: count)
  }

  /// One exponential-Euler step y ← y + a (drive − y) of the first `count` neurons. True
  /// when no neuron moved more than `tolerance` · (1 + max|y|): the layer is at rest.
  @inline(__always)
  mutating func relax(_ a: Float, count: Int, tolerance: Float) -> Bool {
    var move: Float = 0, size: Float = 0
    for i in 0..<count {
      let d = a * (drive[i] - state[i])
      state[i] += d
      move = max(move, abs(d))
      size = max(size, abs(state[i]))
    }
    return move <= tolerance * (1 + size)
  }
}
