internal import CHebbian

/// The covariance rule (Sejnowski 1977): ΔW = η (y − ȳ)(x − x̄)ᵀ − λ W with running means
/// x̄ ← x̄ + β (x − x̄), ȳ ← ȳ + β (y − ȳ), and y = W x.
///
/// Where plain Hebb follows the second moment E[x xᵀ] (and so the mean direction when the
/// inputs are not centred), the covariance rule follows Cov(x): LTP for correlated
/// fluctuations, LTD for anti-correlated ones. It is the Hebb kernel applied to centred vectors.
public struct CovarianceLearner: ~Copyable {
  /// d and k: W is k×d.
  public var inputs: Int { layer.inputs }
  public var outputs: Int { layer.outputs }
  public var learningRate: Float
  public var decay: Float
  /// Rate β of the running means (1/β samples of memory).
  public var meanRate: Float
  public var normalizesRows: Bool
  public private(set) var samples = 0
  var layer: RateLayer
  var xMean: OwnedBuffer<Float>
  var yMean: OwnedBuffer<Float>
  var xc: OwnedBuffer<Float>
  var yc: OwnedBuffer<Float>
  /// The running means before the update in progress.
  var meanBackup: OwnedBuffer<Float>

  public init(
    inputs: Int, outputs: Int = 1, learningRate: Float, meanRate: Float = 0.01,
    decay: Float = 0, normalizesRows: Bool = true, seed: UInt64 = 1
  ) throws(HebbianError) {
    try RateRule.shape(inputs: inputs, outputs: outputs)
    try RateRule.rate(learningRate)
    if !(meanRate > 0 && meanRate <= 1) { throw .invalidParameter("mean rate must be in (0, 1]") }
    try RateRule.decay(decay)
    self.learningRate = learningRate
    self.meanRate = meanRate
    self.decay = decay
    self.normalizesRows = normalizesRows
    layer = RateLayer(inputs: inputs, outputs: outputs, seed: seed, normalized: normalizesRows)
    yMean = OwnedBuffer(count: outputs)
    yc = OwnedBuffer(count: outputs)
    xMean = OwnedBuffer(count: inputs)
    xc = OwnedBuffer(count: inputs)
    meanBackup = OwnedBuffer(count: inputs + outputs)
  }

  public mutating func update(_ x: Span<Float>) throws(HebbianError) {
    try RateRule.sample(x, count: inputs, what: "covariance: sample")
    let (k, d) = (outputs, inputs)
    // The first sample seeds the means, so the rule starts without a transient.
    let beta: Float = samples == 0 ? 1 : meanRate
    layer.save()
    meanBackup.base.update(from: xMean.base, count: d)
    (meanBackup.base + d).update(from: yMean.base, count: k)
    layer.respond(x)
    for j in 0..<d {
      xMean[j] += beta * (x[j] - xMean[j])
      xc[j] = x[j] - xMean[j]
    }
    for i in 0..<k {
      yMean[i] += beta * (layer.y[i] - yMean[i])
      yc[i] = layer.y[i] - yMean[i]
    }
    hb_hebb_decay_step_f32(k, d, learningRate, decay, xc.base, yc.base, layer.w.base, d)
    if normalizesRows { layer.normalizeRows() }
    var overflow: String? = nil
    for j in 0..<d where !xMean[j].isFinite {
      overflow = "the running mean overflowed"
      break
    }
    do throws(HebbianError) {
      try layer.keepOrRestore("covariance", sample: samples + 1, stateFault: overflow)
    } catch {
      xMean.base.update(from: meanBackup.base, count: d)
      yMean.base.update(from: meanBackup.base + d, count: k)
      throw error
    }
    samples += 1
  }

  public func output(_ i: Int) -> Float { layer.output(i) }
  public func weight(row i: Int, column j: Int) -> Float { layer.w[i, j] }
  public func row(_ i: Int) -> [Float] { layer.w.row(i) }
  public func rowNorm(_ i: Int) -> Float { layer.rowNorm(i) }
}
