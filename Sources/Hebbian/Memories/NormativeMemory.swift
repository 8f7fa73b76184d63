/// A normative excitatory/inhibitory memory: the weights are *derived* by minimising how far
/// the stored patterns are from being fixed points of the network.
///
/// Dynamics τ dy/dt = φ(W D y) − y with D = diag(+1 for the N_E excitatory, −1 for the N_I
/// inhibitory neurons) and φ the identity or a saturating φ(u) = clamp(g·u, −1, 1).
/// Learning minimises E = ½‖W D F − F‖²_F (F = stored patterns as columns) by gradient
/// descent with the exact step
///   ΔW = −η ∂E/∂W = η (F − W D F) Fᵀ D.
/// The seed article prints ΔW = F Fᵀ D − W F Fᵀ; expanding the exact step gives
/// F Fᵀ D − W D F Fᵀ D, which equals the printed form only when D F Fᵀ D = F Fᵀ, e.g. D = I
/// (no inhibitory neurons). Dale's law is kept by default, by projecting onto W ≥ 0 after
/// each step: the sign of every synapse is then carried by D alone, and the split into
/// excitatory and inhibitory neurons matters. Without the projection it does not: W D is
/// then unconstrained and the learned W D (the projector below) and the dynamics, which see
/// only W D, are the same for every D.
///
/// The seed's §8 "extended" rule ΔW = η y_post y_preᵀ D with y_pre = F and the recurrently
/// driven y_post = F + W D F is available as ``LearningRule/extendedHebbian``. It is the exact
/// step with the sign of the recurrent term flipped (the exact step is y_post = F − W D F,
/// an error-correcting postsynaptic term): from W = 0 it gives W D = (I + η F Fᵀ)^t − I,
/// which grows geometrically along the patterns' span, so E grows instead of falling and
/// the learned network favours the dominant directions of F Fᵀ.
///
/// From W = 0 the iterates stay of the form M (DF)ᵀ, and the limit is W D = F (FᵀF)⁻¹ Fᵀ, the
/// projector onto the span of the patterns: every pattern is a fixed point, the linear
/// dynamics remove the part of a cue outside that span, and a saturating φ with g > 1 then
/// drives the state to the nearest ±1 corner.
public struct NormativeMemory: ~Copyable, AssociativeMemory {
  public enum Activation: Sendable, Equatable {
    case linear
    /// φ(u) = clamp(gain·u, −1, 1); ±1 patterns stay fixed points for any gain ≥ 1.
    case saturating(gain: Float)
  }

  /// Which weight update `learn` applies.
  public enum LearningRule: Sendable, Equatable {
    /// ΔW = η (F − W D F) Fᵀ D = −η ∂E/∂W.
    case exactGradient
    /// ΔW = η (F + W D F) Fᵀ D, the seed article's §8 extended Hebbian/anti-Hebbian rule.
    case extendedHebbian
  }

  public let excitatory: Int
  public let inhibitory: Int
  /// F, the stored patterns, one per row.
  var patterns: PatternStore
  public var capacity: Int { patterns.capacity }
  public var dimension: Int { excitatory + inhibitory }
  public var activation: Activation
  /// Keep W ≥ 0 (Dale's law with the sign in D). On by default.
  public var dale: Bool
  public var rule: LearningRule
  /// Gradient steps per `store` (learning stops earlier once E ≤ `tolerance`).
  public var iterations: Int
  public var tolerance: Float
  /// Step size; nil picks 1/λ_max(FᵀF), the largest stable choice up to a factor 2.
  public var learningRate: Float?
  /// Integration of the recall ODE: time constant, fixed step, number of steps.
  public var tau: Float
  public var dt: Float
  public var maxSteps: Int
  public var count: Int { patterns.count }

  var w: OwnedBuffer<Float>
  var df: OwnedBuffer<Float>  // D f, rows
  var e: OwnedBuffer<Float>  // residuals f − W D f, rows
  var y: OwnedBuffer<Float>  // the recall state
  var u: OwnedBuffer<Float>  // D y
  var ode: RungeKutta4
  var gram: OwnedBuffer<Double>
  var v1: OwnedBuffer<Double>
  var v2: OwnedBuffer<Double>

  public init(
    excitatory: Int, inhibitory: Int, capacity: Int, activation: Activation = .linear,
    dale: Bool = true, rule: LearningRule = .exactGradient, iterations: Int = 2000,
    tolerance: Float = 1e-7,
    tau: Float = 1, dt: Float = 0.1, maxSteps: Int = 200
  ) throws(HebbianError) {
    if excitatory > 1 << 24 || inhibitory > 1 << 24 {
      throw .invalidParameter("NormativeMemory: at most \(1 << 24) neurons of each kind")
    }
    if excitatory < 0 || inhibitory < 0 || excitatory + inhibitory < 1 || capacity < 1 {
      throw .invalidParameter("NormativeMemory: need N_E + N_I >= 1 neurons and capacity >= 1")
    }
    if !(tau > 0) || !(dt > 0) || maxSteps < 1 || iterations < 0 {
      throw .invalidParameter("NormativeMemory: tau, dt > 0, maxSteps >= 1, iterations >= 0")
    }
    let neurons = excitatory.addingReportingOverflow(inhibitory)
    try MemoryBudget.check(
      "NormativeMemory", "\(excitatory) + \(inhibitory) neurons with capacity \(capacity)",
      neurons.overflow
        ? [[Int.max, 2]]
        : [
          [neurons.partialValue, neurons.partialValue], [3, capacity, neurons.partialValue],
          [capacity, capacity], [10, neurons.partialValue],
        ])
    self.excitatory = excitatory
    self.inhibitory = inhibitory
    self.activation = activation
    self.dale = dale
    self.rule = rule
    self.iterations = iterations
    self.tolerance = tolerance
    self.tau = tau
    self.dt = dt
    self.maxSteps = maxSteps
    let n = excitatory + inhibitory
    w = OwnedBuffer(count: n * n)
    patterns = PatternStore("NormativeMemory", dimension: n, capacity: capacity)
    df = OwnedBuffer(count: capacity * n)
    e = OwnedBuffer(count: capacity * n)
    y = OwnedBuffer(count: n)
    u = OwnedBuffer(count: n)
    ode = RungeKutta4(count: n)
    gram = OwnedBuffer(count: capacity * capacity, repeating: 0)
    v1 = OwnedBuffer(count: capacity, repeating: 0)
    v2 = OwnedBuffer(count: capacity, repeating: 0)
  }

  @inline(__always) func sign(_ i: Int) -> Float { i < excitatory ? 1 : -1 }

  /// W_ij.
  public func weight(_ i: Int, _ j: Int) -> Float {
    precondition(i >= 0 && i < dimension && j >= 0 && j < dimension, "weight index")
    return w[i * dimension + j]
  }

  /// Appends the pattern and runs up to `iterations` gradient steps on all stored patterns.
  public mutating func store(_ pattern: Span<Float>) throws(HebbianError) {
    let row = try patterns.append(pattern)
    for j in 0..<dimension { df[row + j] = sign(j) * pattern[j] }
    _ = learn(iterations: iterations)
  }

  public mutating func removeAll() {
    w.fill(0)
    patterns.removeAll()
  }

  /// E = ½ Σ_μ ‖W D f^μ − f^μ‖², leaving the residuals f^μ − W D f^μ in `e`, or with
  /// `extended` the extended rule's postsynaptic terms f^μ + W D f^μ.
  mutating func residuals(extended: Bool = false) -> Float {
    let n = dimension
    var energy: Float = 0
    for mu in 0..<count {
      let row = mu * n
      e.copy(n, from: patterns.rows, at: row, to: row)
      Kernels.unsafeGemv(
        rows: n, columns: n, alpha: -1, w.base, lda: n, df.at(row), beta: 1, e.at(row))
      energy += 0.5 * Kernels.unsafeDot(n, e.at(row), e.at(row))
      // f − W D f → f + W D f = 2f − (f − W D f).
      if extended { for j in row..<row + n { e[j] = 2 * patterns.rows[j] - e[j] } }
    }
    return energy
  }

  /// The objective E = ½‖W D F − F‖²_F.
  public var error: Float { mutating get { residuals() } }

  /// λ_max of the Gram matrix FᵀF (the curvature of E along W's rows), by power iteration.
  mutating func largestCurvature() -> Double {
    let n = dimension, p = count
    for a in 0..<p {
      for b in 0...a {
        let g = Double(Kernels.unsafeDot(n, patterns.rows.at(a * n), patterns.rows.at(b * n)))
        gram[a * p + b] = g
        gram[b * p + a] = g
      }
      v1[a] = 1
    }
    var lambda = 0.0
    for _ in 0..<50 {
      var norm = 0.0
      for a in 0..<p {
        var s = 0.0
        for b in 0..<p { s += gram[a * p + b] * v1[b] }
        v2[a] = s
        norm += s * s
      }
      norm = norm.squareRoot()
      if norm == 0 { return 0 }
      var dot = 0.0
      for a in 0..<p {
        dot += v1[a] * v2[a]
        v1[a] = v2[a] / norm
      }
      lambda = norm
      _ = dot
    }
    return lambda
  }

  /// Full-batch learning at most `iterations` steps, no allocation. The exact gradient
  /// ΔW = η Σ_μ (f^μ − W D f^μ)(D f^μ)ᵀ stops once E ≤ `tolerance`; the extended rule
  /// ΔW = η Σ_μ (f^μ + W D f^μ)(D f^μ)ᵀ runs every step unless E overflows past 1e30 (it
  /// grows geometrically). Returns the final E.
  @discardableResult
  public mutating func learn(iterations: Int) -> Float {
    let n = dimension
    if count == 0 { return 0 }
    let eta = learningRate ?? Float(1 / max(largestCurvature(), 1e-12))
    let exact = rule == .exactGradient
    var energy = residuals(extended: !exact)
    var k = 0
    while k < iterations && (exact ? energy > tolerance : energy.isFinite && energy < 1e30) {
      Kernels.unsafeRankK(
        rows: n, columns: n, batch: count, alpha: eta, e.base, ldx: n, df.base, ldy: n, w.base,
        lda: n)
      if dale {
        for q in 0..<(n * n) where w[q] < 0 { w[q] = 0 }
      }
      energy = residuals(extended: !exact)
      k += 1
    }
    return energy
  }

  /// dy/dt = (φ(W D y) − y)/τ into `out`, with D y left in `u`. Static, so that the
  /// integrator can hold the state and its stages while this reads W and writes only `u`.
  @inline(__always)
  static func derivative(
    _ state: borrowing OwnedBuffer<Float>, _ out: inout OwnedBuffer<Float>,
    w: borrowing OwnedBuffer<Float>, u: inout OwnedBuffer<Float>, excitatory: Int, tau: Float,
    activation: Activation
  ) {
    let n = state.count
    for j in 0..<n { u[j] = (j < excitatory ? 1 : -1) * state[j] }
    Kernels.unsafeGemv(rows: n, columns: n, w.base, lda: n, u.base, out.base)
    let inv = 1 / tau
    switch activation {
    case .linear:
      for i in 0..<n { out[i] = (out[i] - state[i]) * inv }
    case .saturating(let g):
      for i in 0..<n { out[i] = (min(max(g * out[i], -1), 1) - state[i]) * inv }
    }
  }

  /// Integrates the ODE from the cue with classical RK4 at the fixed step `dt` until
  /// max|dy/dt| ≤ 1e-5 or `maxSteps` steps; writes y.
  public mutating func recall(_ cue: Span<Float>, into state: inout MutableSpan<Float>)
    throws(HebbianError) -> RecallResult
  {
    try checkRecall("NormativeMemory", dimension, cue: cue.count, state: state.count)
    try checkFiniteCue(cue)
    y.copy(cue)
    var steps = 0
    var converged = false
    while steps < maxSteps {
      let stepped = ode.step(&y, by: dt, settledBelow: 1e-5) { state, out in
        Self.derivative(
          state, &out, w: w, u: &u, excitatory: excitatory, tau: tau, activation: activation)
      }
      if stepped {
        converged = true
        break
      }
      steps += 1
    }
    try checkFiniteState("NormativeMemory", y, dimension)
    for i in 0..<dimension { state[i] = y[i] }
    return RecallResult(steps: steps, converged: converged)
  }
}
