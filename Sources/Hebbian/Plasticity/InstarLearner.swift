internal import CHebbian

/// The instar (heterosynaptic) rule: ΔW_ij = η y_i (x_j − W_ij).
///
/// Hebbian LTP for active inputs of an active unit and heterosynaptic LTD for its silent inputs:
/// the row of unit i is an exponential moving average of the inputs, weighted by y_i, so its
/// fixed point is E[y_i x] / E[y_i], the mean of the inputs that activate the unit. With
/// winner-take-all activity (``updateWinnerTakeAll(_:)``) this is competitive learning.
public struct InstarLearner: ~Copyable {
  /// d and k: W is k×d.
  public var inputs: Int { layer.inputs }
  public var outputs: Int { layer.outputs }
  public var learningRate: Float
  public private(set) var samples = 0
  var layer: RateLayer

  public init(inputs: Int, outputs: Int = 1, learningRate: Float, seed: UInt64 = 1)
    throws(HebbianError)
  {
    try RateRule.shape(inputs: inputs, outputs: outputs)
    try RateRule.rate(learningRate)
    if learningRate > 1 { throw .invalidParameter("instar learning rate must be <= 1") }
    self.learningRate = learningRate
    layer = RateLayer(inputs: inputs, outputs: outputs, seed: seed, scale: 0.1)
  }

  /// One sample with postsynaptic activities y (k entries, in [0, 1] for η y ≤ 1) chosen by
  /// the caller: a gate, a tuning curve, a teacher.
  public mutating func update(_ x: Span<Float>, activity: Span<Float>) throws(HebbianError) {
    try RateRule.sample(x, count: inputs, what: "instar: sample")
    try RateRule.sample(activity, count: outputs, what: "instar: activity")
    layer.save()
    layer.y.copy(activity)
    try step(x)
  }

  /// One instar step with the activities already in y (and W saved by the caller).
  mutating func step(_ x: Span<Float>) throws(HebbianError) {
    let (k, d, eta, w, y) = (outputs, inputs, learningRate, layer.w.base, layer.y.base)
    x.withUnsafeBufferPointer { xp in hb_instar_step_f32(k, d, eta, xp.baseAddress, y, w, d) }
    try layer.keepOrRestore("instar", sample: samples + 1)
    samples += 1
  }

  /// Competitive instar: the unit whose weights are nearest to x (y = 1) learns, the others
  /// (y = 0) do not. Returns the winner.
  @discardableResult
  public mutating func updateWinnerTakeAll(_ x: Span<Float>) throws(HebbianError) -> Int {
    try RateRule.sample(x, count: inputs, what: "instar: sample")
    var best = 0
    var bestDistance = Float.infinity
    for i in 0..<outputs {
      var dist: Float = 0
      for j in 0..<inputs {
        let e = x[j] - layer.w[i, j]
        dist += e * e
      }
      if dist < bestDistance { (best, bestDistance) = (i, dist) }
    }
    layer.save()
    for i in 0..<outputs { layer.y[i] = i == best ? 1 : 0 }
    try step(x)
    return best
  }

  public func weight(row i: Int, column j: Int) -> Float { layer.w[i, j] }
  public func row(_ i: Int) -> [Float] { layer.w.row(i) }
}
