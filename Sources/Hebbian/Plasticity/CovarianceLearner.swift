internal import CHebbian

/// The covariance rule (Sejnowski 1977): ΔW = η (y − ȳ)(x − x̄)ᵀ − λ W with running means
/// x̄ ← x̄ + β (x − x̄), ȳ ← ȳ + β (y − ȳ), and y = W x.
///
/// Where plain Hebb follows the second moment E[x xᵀ] (and so the mean direction when the
/// inputs are not centred), the covariance rule follows Cov(x): LTP for correlated
/// fluctuations, LTD for anti-correlated ones. It is the Hebb kernel applied to centred vectors.
public struct CovarianceLearner: ~Copyable {
  public let inputs: Int
  public let outputs: Int
  public var learningRate: Float
  public var decay: Float
  /// Rate β of the running means (1/β samples of memory).
  public var meanRate: Float
  public var normalizesRows: Bool
  public private(set) var samples = 0
  let w: Matrix
  let y: UnsafeMutablePointer<Float>
  let xMean: UnsafeMutablePointer<Float>
  let yMean: UnsafeMutablePointer<Float>
  let xc: UnsafeMutablePointer<Float>
  let yc: UnsafeMutablePointer<Float>

  public init(
    inputs: Int, outputs: Int = 1, learningRate: Float, meanRate: Float = 0.01,
    decay: Float = 0, normalizesRows: Bool = true, seed: UInt64 = 1
  ) throws(HebbianError) {
    try RateRule.shape(inputs: inputs, outputs: outputs)
    try RateRule.rate(learningRate)
    if !(meanRate > 0 && meanRate <= 1) { throw .invalidParameter("mean rate must be in (0, 1]") }
    if !(decay >= 0 && decay < 1) { throw .invalidParameter("decay must be in [0, 1)") }
    self.inputs = inputs
    self.outputs = outputs
    self.learningRate = learningRate
    self.meanRate = meanRate
    self.decay = decay
    self.normalizesRows = normalizesRows
    w = Matrix(rows: outputs, columns: inputs)
    RateRule.randomize(w, seed: seed)
    if normalizesRows { RateRule.normalizeRows(w.base, rows: outputs, columns: inputs) }
    y = .allocate(capacity: outputs)
    yMean = .allocate(capacity: outputs)
    yc = .allocate(capacity: outputs)
    xMean = .allocate(capacity: inputs)
    xc = .allocate(capacity: inputs)
    for p in [y, yMean, yc] { p.initialize(repeating: 0, count: outputs) }
    for p in [xMean, xc] { p.initialize(repeating: 0, count: inputs) }
  }

  deinit {
    for p in [y, yMean, yc, xMean, xc] { p.deallocate() }
  }

  public mutating func update(_ x: Span<Float>) throws(HebbianError) {
    try RateRule.sample(x, count: inputs, what: "covariance: sample")
    let (k, d, w) = (outputs, inputs, w.base)
    // The first sample seeds the means, so the rule starts without a transient.
    let beta: Float = samples == 0 ? 1 : meanRate
    x.withUnsafeBufferPointer { xp in
      hb_gemv_f32(k, d, 1, w, d, xp.baseAddress, 0, y)
      for j in 0..<d {
        xMean[j] += beta * (xp[j] - xMean[j])
        xc[j] = xp[j] - xMean[j]
      }
    }
    for i in 0..<k {
      yMean[i] += beta * (y[i] - yMean[i])
      yc[i] = y[i] - yMean[i]
    }
    hb_hebb_decay_step_f32(k, d, learningRate, decay, xc, yc, w, d)
    if normalizesRows { RateRule.normalizeRows(w, rows: k, columns: d) }
    samples += 1
  }

  public func output(_ i: Int) -> Float {
    precondition(i >= 0 && i < outputs, "output index")
    return y[i]
  }
  public func weight(row i: Int, column j: Int) -> Float { w[i, j] }
  public func row(_ i: Int) -> [Float] { w.row(i) }
  public func rowNorm(_ i: Int) -> Float { w.rowNorm(i) }
}
