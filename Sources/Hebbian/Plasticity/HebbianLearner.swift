internal import CHebbian

/// Plain Hebb, k linear units: y = W x, ΔW = η y xᵀ − λ W, optionally followed by scaling
/// every row of W to unit norm.
///
/// Without decay or normalisation the rule is dW/dt = η W C (C = E[x xᵀ]): every row grows like
/// e^(η λ₁ t) along the top eigenvector of C, without bound. Isotropic decay λ shifts all
/// growth rates by −λ, so the direction still converges to the top eigenvector and the norm
/// stays bounded once λ ≥ η λ₁. Row normalisation keeps ‖w‖ = 1 exactly (the limit Oja's rule
/// approximates) and converges to ±e₁ for any λ.
///
/// An update that would leave a row longer than 10¹⁸ (or any output not finite) is refused
/// with ``HebbianError/diverged(_:)`` and leaves the weights as they were: the unbounded
/// growth of plain Hebb ends in an error, never in NaN.
public struct HebbianLearner: ~Copyable {
  /// d and k: W is k×d.
  public var inputs: Int { layer.inputs }
  public var outputs: Int { layer.outputs }
  public var learningRate: Float
  public var decay: Float
  public var normalizesRows: Bool
  public private(set) var samples = 0
  var layer: RateLayer

  public init(
    inputs: Int, outputs: Int = 1, learningRate: Float, decay: Float = 0,
    normalizesRows: Bool = false, seed: UInt64 = 1
  ) throws(HebbianError) {
    try RateRule.shape(inputs: inputs, outputs: outputs)
    try RateRule.rate(learningRate)
    try RateRule.decay(decay)
    self.learningRate = learningRate
    self.decay = decay
    self.normalizesRows = normalizesRows
    layer = RateLayer(inputs: inputs, outputs: outputs, seed: seed, normalized: normalizesRows)
  }

  /// One sample: y = W x (kept in ``output(_:)``), then the fused decay-and-grow step.
  public mutating func update(_ x: Span<Float>) throws(HebbianError) {
    try RateRule.sample(x, count: inputs, what: "hebb: sample")
    let (k, d, w, y) = (outputs, inputs, layer.w.base, layer.y.base)
    layer.save()
    layer.respond(x)
    x.withUnsafeBufferPointer { xp in
      hb_hebb_decay_step_f32(k, d, learningRate, decay, xp.baseAddress, y, w, d)
    }
    if normalizesRows { layer.normalizeRows() }
    try layer.keepOrRestore("hebb", sample: samples + 1)
    samples += 1
  }

  /// y_i of the last update.
  public func output(_ i: Int) -> Float { layer.output(i) }

  public func weight(row i: Int, column j: Int) -> Float { layer.w[i, j] }
  public func row(_ i: Int) -> [Float] { layer.w.row(i) }
  public func rowNorm(_ i: Int) -> Float { layer.rowNorm(i) }
}
