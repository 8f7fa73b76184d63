internal import CHebbian

/// A recurrent network with differentiable Hebbian plasticity (Miconi, Clune & Stanley 2018).
///
/// Each connection i → j carries a fixed weight `w_ij` and a plastic part `α_ij Hebb_ij`:
///
///     x(t) = tanh((w + α ⊙ Hebb(t))ᵀ x(t−1) + u(t))
///     Hebb(t+1) = (1 − η) Hebb(t) + η x(t−1) x(t)ᵀ            (decay rule)
///     Hebb_ij(t+1) = Hebb_ij(t) + η x_j(t) (x_i(t−1) − Hebb_ij(t) x_j(t))   (Oja's rule)
///
/// with matrices stored pre × post (row i is the presynaptic unit), so `Hebb` is the paper's
/// `x(t−1)ᵀ x(t)` in its row-vector convention. `w`, `α` and `η` are learned by
/// backpropagation through time written by hand (the adjoint of every step is the fused C
/// kernel `hb_plastic_backward_step_f32`), with Adam and gradient-norm clipping. Every buffer
/// — parameters, Adam moments, and the per-step states and traces that BPTT replays — is
/// allocated in `init` for episodes of up to `maxSteps` steps; an episode allocates nothing.
public struct PlasticNetwork: ~Copyable {
  /// How the Hebbian trace evolves.
  public enum TraceRule: Int32, Sendable {
    /// Hebb ← (1 − η) Hebb + η x(t−1) x(t)ᵀ: an exponential average of co-activity.
    case decay = 0
    /// Hebb_ij ← Hebb_ij + η x_j (x_i − Hebb_ij x_j): Oja's normalised form.
    case oja = 1

    /// The kernels' constant for this rule.
    var c: hb_trace_rule { self == .oja ? HB_TRACE_OJA : HB_TRACE_DECAY }
  }

  /// Number of units N.
  public let size: Int
  /// Longest episode the BPTT buffers hold.
  public let maxSteps: Int
  public let rule: TraceRule
  /// False for the non-plastic baseline: α stays 0 and η is not trained.
  public let isPlastic: Bool
  /// The plasticity rate η (one per network, as in the paper).
  public private(set) var eta: Float

  /// w and α, each with its gradient and Adam moments; η's are the scalars below.
  var w: AdamParameter
  var alpha: AdamParameter
  var geta: Float = 0
  var meta: Float = 0, veta: Float = 0
  var adamSteps = 0
  // BPTT replay: states x(0…T) ((T+1)×N) and traces Hebb(0…T−1) (T×N²).
  var xs: OwnedBuffer<Float>
  var hs: OwnedBuffer<Float>
  var gH: OwnedBuffer<Float>
  // The adjoint of the state, in and out of each backward step (they swap every step).
  var gy: OwnedBuffer<Float>
  var gx: OwnedBuffer<Float>
  var lastSteps = 0

  /// `w` and `α` start as 𝒩(0, initScale²), η at `eta`. The baseline (`plastic: false`)
  /// draws the same `w` from the same seed.
  public init(
    size: Int, maxSteps: Int, rule: TraceRule = .decay, plastic: Bool = true,
    initScale: Float = 0.01, eta: Float = 0.01, seed: UInt64
  ) throws(HebbianError) {
    if size < 1 { throw .invalidParameter("plastic network: size must be >= 1, got \(size)") }
    if maxSteps < 1 {
      throw .invalidParameter("plastic network: maxSteps must be >= 1, got \(maxSteps)")
    }
    if !(eta >= 0 && eta <= 1) { throw .invalidParameter("plastic network: eta must be in [0, 1]") }
    // Adam keeps three copies of w and of alpha; the forward pass keeps every step's trace.
    try MemoryBudget.check(
      "plastic network", "N = \(size), \(maxSteps) steps",
      [[6, size, size], [maxSteps, size, size], [maxSteps, size], [3, size]])
    self.size = size
    self.maxSteps = maxSteps
    self.rule = rule
    self.isPlastic = plastic
    self.eta = eta
    let nn = size * size
    w = AdamParameter(count: nn)
    alpha = AdamParameter(count: nn)
    xs = OwnedBuffer(count: (maxSteps + 1) * size)
    hs = OwnedBuffer(count: maxSteps * nn)
    gH = OwnedBuffer(count: nn)
    gy = OwnedBuffer(count: size)
    gx = OwnedBuffer(count: size)
    var rng = SeededGenerator(seed: seed)
    for i in 0..<nn { w.value[i] = initScale * Float(rng.gaussian()) }
    for i in 0..<nn {
      let a = initScale * Float(rng.gaussian())
      if plastic { alpha.value[i] = a }
    }
  }

  /// Sets the parameters (row-major N×N `w` and `α`). For a baseline network `α` must be 0.
  public mutating func setParameters(w newW: [Float], alpha newAlpha: [Float], eta newEta: Float)
    throws(HebbianError)
  {
    let nn = size * size
    if newW.count != nn {
      throw .dimensionMismatch(what: "w entries", expected: nn, got: newW.count)
    }
    if newAlpha.count != nn {
      throw .dimensionMismatch(what: "alpha entries", expected: nn, got: newAlpha.count)
    }
    for i in 0..<nn {
      if !newW[i].isFinite { throw .nonFinite(index: i) }
      if !newAlpha[i].isFinite { throw .nonFinite(index: nn + i) }
      if !isPlastic && newAlpha[i] != 0 {
        throw .invalidParameter("a non-plastic network has alpha = 0")
      }
    }
    if !(newEta >= 0 && newEta <= 1) { throw .invalidParameter("eta must be in [0, 1]") }
    for i in 0..<nn {
      w.value[i] = newW[i]
      alpha.value[i] = newAlpha[i]
    }
    eta = newEta
  }

  /// Copies of the parameters, row-major N×N.
  public var weights: [Float] { w.value.toArray() }
  public var plasticityCoefficients: [Float] { alpha.value.toArray() }
  /// Gradients of the last ``lossAndGradient(inputs:steps:target:)``.
  public var gradientW: [Float] { w.gradient.toArray() }
  public var gradientAlpha: [Float] { alpha.gradient.toArray() }
  public var gradientEta: Float { geta }

  /// Checks an episode and runs it forward; `what` names the span that must hold N values
  /// (the output or the target).
  mutating func run(_ inputs: Span<Float>, _ steps: Int, _ what: String, room: Int)
    throws(HebbianError)
  {
    if steps < 1 || steps > maxSteps {
      throw .invalidParameter("episode of \(steps) steps; this network holds 1…\(maxSteps)")
    }
    if inputs.count < steps * size {
      throw .dimensionMismatch(what: "episode inputs", expected: steps * size, got: inputs.count)
    }
    if room < size { throw .dimensionMismatch(what: what, expected: size, got: room) }
    forward(inputs, steps)
  }

  /// Runs an episode from x(0) = 0, Hebb(0) = 0 on `inputs` (steps × N, row t = u(t+1)) and
  /// writes the final state x(T) into `output` (N entries).
  public mutating func run(inputs: Span<Float>, steps: Int, output: inout MutableSpan<Float>)
    throws(HebbianError)
  {
    try run(inputs, steps, "output", room: output.count)
    for j in 0..<size { output[j] = xs[steps * size + j] }
  }

  /// Forward pass keeping every state and trace for the backward pass.
  mutating func forward(_ u: Span<Float>, _ steps: Int) {
    let n = size
    let nn = n * n
    xs.fill(0, 0..<n)
    hs.fill(0, 0..<nn)
    for t in 0..<steps {
      let (xPrev, x, h) = (t * n, (t + 1) * n, t * nn)
      xs.copy(u.extracting(t * n..<(t + 1) * n), to: x)
      hb_plastic_current_f32(
        n, n, w.value.base, alpha.value.base, hs.at(h), n, xs.at(xPrev), xs.at(x))
      for j in x..<x + n { xs[j] = Math.tanh(xs[j]) }
      // The trace after the last step never reaches the loss.
      if t + 1 < steps {
        hs.copy(nn, from: h, to: h + nn)
        hb_hebb_trace_step_f32(rule.c, n, n, eta, xs.at(xPrev), xs.at(x), hs.at(h + nn), n)
      }
    }
    lastSteps = steps
  }

  /// Loss of one episode without the backward pass.
  public mutating func loss(inputs: Span<Float>, steps: Int, target: Span<Float>)
    throws(HebbianError) -> Float
  {
    try run(inputs, steps, "target", room: target.count)
    var l: Float = 0
    for j in 0..<size {
      let e = xs[steps * size + j] - target[j]
      l += e * e
    }
    return l / Float(size)
  }

  /// Loss L = (1/N) Σ_j (x_j(T) − target_j)² of one episode, and its gradient with respect to
  /// w, α and η by backpropagation through time (stored for ``adamStep(learningRate:clipNorm:)``).
  @discardableResult
  public mutating func lossAndGradient(inputs: Span<Float>, steps: Int, target: Span<Float>)
    throws(HebbianError) -> Float
  {
    try run(inputs, steps, "target", room: target.count)
    return backward(target, steps)
  }

  mutating func backward(_ target: Span<Float>, _ steps: Int) -> Float {
    let n = size
    let nn = n * n
    var loss: Float = 0
    let scale = 1 / Float(n)
    for j in 0..<n {
      let e = xs[steps * n + j] - target[j]
      loss += e * e
      gy[j] = 2 * e * scale
    }
    w.gradient.fill(0)
    alpha.gradient.fill(0)
    gH.fill(0)
    var ge: Float = 0
    for t in stride(from: steps - 1, through: 0, by: -1) {
      // The adjoint comes in through gy on the last step and alternates with gx after that.
      let (gIn, gOut) = (steps - 1 - t) % 2 == 0 ? (gy.base, gx.base) : (gx.base, gy.base)
      gOut.update(repeating: 0, count: n)
      ge += hb_plastic_backward_step_f32(
        rule.c, n, n, eta, w.value.base, alpha.value.base, hs.at(t * nn), n, xs.at(t * n),
        xs.at((t + 1) * n), gIn, gH.base, gOut, w.gradient.base, alpha.gradient.base)
    }
    if isPlastic {
      geta = ge
    } else {
      alpha.gradient.fill(0)
      geta = 0
    }
    return loss * scale
  }

  /// One Adam step (β₁ = 0.9, β₂ = 0.999, ε = 1e-8) on the stored gradient after scaling it to
  /// a global L2 norm of at most `clipNorm`. η is projected back onto [0, 1]. Returns the
  /// gradient norm before clipping.
  @discardableResult
  public mutating func adamStep(learningRate: Float, clipNorm: Float = 10) -> Float {
    let nn = size * size
    var sq: Float = geta * geta
    for i in 0..<nn { sq += w.gradient[i] * w.gradient[i] + alpha.gradient[i] * alpha.gradient[i] }
    let norm = sq.squareRoot()
    let clip: Float = norm > clipNorm && norm > 0 ? clipNorm / norm : 1
    adamSteps += 1
    let (b1, b2) = (AdamParameter.b1, AdamParameter.b2)
    let c1 = 1 - Math.pow(b1, Float(adamSteps))
    let c2 = 1 - Math.pow(b2, Float(adamSteps))
    let lr = learningRate * c2.squareRoot() / c1
    let eps = AdamParameter.eps
    w.step(clip: clip, rate: lr)
    if isPlastic {
      alpha.step(clip: clip, rate: lr)
      let ge = geta * clip
      meta = b1 * meta + (1 - b1) * ge
      veta = b2 * veta + (1 - b2) * ge * ge
      eta -= lr * meta / (veta.squareRoot() + eps)
      eta = Swift.min(Swift.max(eta, 0), 1)
    }
    return norm
  }

  /// Forward, backward and one Adam step on one episode; returns the episode's loss.
  @discardableResult
  public mutating func train(
    inputs: Span<Float>, steps: Int, target: Span<Float>, learningRate: Float,
    clipNorm: Float = 10
  ) throws(HebbianError) -> Float {
    // Adam moves each parameter by about the rate per step: past 1 a step leaves the range
    // tanh answers in, and a non-finite rate or input would reach every weight.
    if !(learningRate > 0 && learningRate <= 1 && clipNorm > 0 && clipNorm.isFinite) {
      throw .invalidParameter(
        "plastic network: learning rate must be in (0, 1] and clipNorm finite and > 0")
    }
    for i in 0..<inputs.count where !inputs[i].isFinite {
      throw .nonFinite(index: i)
    }
    for i in 0..<target.count where !target[i].isFinite {
      throw .nonFinite(index: i)
    }
    let loss = try lossAndGradient(inputs: inputs, steps: steps, target: target)
    adamStep(learningRate: learningRate, clipNorm: clipNorm)
    return loss
  }
}

/// A trained parameter tensor with what Adam (Kingma & Ba 2015) keeps for it: the gradient
/// of the current episode and the running first and second moments.
struct AdamParameter: ~Copyable {
  static let b1: Float = 0.9
  static let b2: Float = 0.999
  static let eps: Float = 1e-8
  var value: OwnedBuffer<Float>, gradient: OwnedBuffer<Float>
  /// Adam's running first and second moments of the gradient.
  var m: OwnedBuffer<Float>, v: OwnedBuffer<Float>

  init(count: Int) {
    value = OwnedBuffer(count: count)
    gradient = OwnedBuffer(count: count)
    m = OwnedBuffer(count: count)
    v = OwnedBuffer(count: count)
  }

  /// One Adam step on `gradient` scaled by `clip`, at the bias-corrected `rate`.
  @inline(__always)
  mutating func step(clip: Float, rate: Float) {
    let (b1, b2) = (Self.b1, Self.b2)
    for i in 0..<value.count {
      let gi = gradient[i] * clip
      m[i] = b1 * m[i] + (1 - b1) * gi
      v[i] = b2 * v[i] + (1 - b2) * gi * gi
      value[i] -= rate * m[i] / (v[i].squareRoot() + Self.eps)
    }
  }
}
