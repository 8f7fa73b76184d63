internal import CHebbian

/// Bienenstock–Cooper–Munro (1982) in the Intrator–Cooper form: y = [W x]₊,
/// ΔW_ij = η x_j y_i (y_i − θ_i), with the sliding threshold θ_i ← θ_i + (y_i² − θ_i)/τ_θ,
/// a running average of y² over τ_θ samples.
///
/// Responses above θ potentiate the active inputs (LTP), responses between 0 and θ depress
/// them (LTD). Because θ grows faster than y (as ⟨y²⟩), the only stable fixed points respond
/// to a single pattern: with n equiprobable patterns the unit answers the preferred one with
/// y = n and the others with 0 (θ = ⟨y²⟩ = n²/n = n). The threshold must track faster than the
/// weights move (τ_θ η ≪ 1/⟨x²⟩), or the rule oscillates.
public struct BCMLearner: ~Copyable {
  /// d and k: W is k×d.
  public var inputs: Int { layer.inputs }
  public var outputs: Int { layer.outputs }
  public var learningRate: Float
  /// τ_θ in samples.
  public var thresholdTimeConstant: Float
  public private(set) var samples = 0
  var layer: RateLayer
  var theta: OwnedBuffer<Float>
  var thetaBackup: OwnedBuffer<Float>

  public init(
    inputs: Int, outputs: Int = 1, learningRate: Float, thresholdTimeConstant: Float = 10,
    initialThreshold: Float = 0, seed: UInt64 = 1
  ) throws(HebbianError) {
    try RateRule.shape(inputs: inputs, outputs: outputs)
    try RateRule.rate(learningRate)
    if !(thresholdTimeConstant >= 1 && thresholdTimeConstant.isFinite) {
      throw .invalidParameter("threshold time constant must be >= 1 sample")
    }
    if !initialThreshold.isFinite { throw .invalidParameter("initial threshold must be finite") }
    self.learningRate = learningRate
    self.thresholdTimeConstant = thresholdTimeConstant
    var w = Matrix(rows: outputs, columns: inputs)
    // Small positive weights: the unit starts unselective, answering every pattern a little.
    var rng = SeededGenerator(seed: seed)
    for i in 0..<w.count { w.elements[i] = Float(0.1 + 0.1 * rng.uniform()) }
    layer = RateLayer(weights: w)
    theta = OwnedBuffer(count: outputs, repeating: initialThreshold)
    thetaBackup = OwnedBuffer(count: outputs)
  }

  public mutating func update(_ x: Span<Float>) throws(HebbianError) {
    try RateRule.sample(x, count: inputs, what: "bcm: sample")
    let (k, d) = (outputs, inputs)
    let rate = 1 / thresholdTimeConstant
    layer.save()
    thetaBackup.base.update(from: theta.base, count: k)
    layer.respond(x)
    for i in 0..<k {
      let yi = max(layer.y[i], 0)
      layer.y[i] = yi
      theta[i] += rate * (yi * yi - theta[i])
    }
    x.withUnsafeBufferPointer { xp in
      hb_bcm_step_f32(k, d, learningRate, xp.baseAddress, layer.y.base, theta.base, layer.w.base, d)
    }
    var overflow: String? = nil
    for i in 0..<k where !theta[i].isFinite {
      overflow = "threshold \(i + 1) overflowed"
      break
    }
    do throws(HebbianError) {
      try layer.keepOrRestore("bcm", sample: samples + 1, stateFault: overflow)
    } catch {
      theta.base.update(from: thetaBackup.base, count: k)
      throw error
    }
    samples += 1
  }

  /// [w_i · x]₊ without learning.
  public func response(_ x: Span<Float>, unit i: Int) throws(HebbianError) -> Float {
    if x.count != inputs {
      throw .dimensionMismatch(what: "bcm: sample", expected: inputs, got: x.count)
    }
    precondition(i >= 0 && i < outputs, "unit index")
    let row = layer.w.elements.at(i * inputs)
    let v = x.withUnsafeBufferPointer { xp in hb_dot_f32(inputs, row, 1, xp.baseAddress, 1) }
    return max(v, 0)
  }

  /// The sliding threshold θ_i.
  public func threshold(_ i: Int) -> Float {
    precondition(i >= 0 && i < outputs, "unit index")
    return theta[i]
  }
  public func output(_ i: Int) -> Float { layer.output(i) }
  public func weight(row i: Int, column j: Int) -> Float { layer.w[i, j] }
  public func row(_ i: Int) -> [Float] { layer.w.row(i) }
}
