/// The learned state, for checkpoints and restores.
extension OnlinePCA {
  // MARK: State for checkpoints

  /// Everything an update reads besides the configuration (``rule``, ``dimension``,
  /// ``components``, ``learningRate``, ``centering``, ``amnesia``, ``lateralTimeScale``,
  /// which are public constants): a checkpoint is the configuration plus this.
  public struct State: Sendable, Equatable {
    public var samplesSeen: Int64
    /// Running ⟨‖x − mean‖²⟩.
    public var inputPower: Float
    /// W (k×d, row-major); for CCIPCA the unnormalised v_i.
    public var weights: [Float]
    /// k×k: similarity matching's M (zero diagonal), fast similarity matching's M⁻¹; zeros
    /// for the other rules.
    public var lateral: [Float]
    /// Running ⟨y_i²⟩ (k): Ŷ of similarity matching, the rate normaliser of the others.
    public var outputPower: [Float]
    /// The running mean (d), zeros without centring.
    public var mean: [Float]

    public init(
      samplesSeen: Int64, inputPower: Float, weights: [Float], lateral: [Float],
      outputPower: [Float], mean: [Float]
    ) {
      self.samplesSeen = samplesSeen
      self.inputPower = inputPower
      self.weights = weights
      self.lateral = lateral
      self.outputPower = outputPower
      self.mean = mean
    }
  }

  /// A copy of the learned state.
  public var state: State {
    State(
      samplesSeen: samplesSeen, inputPower: inputPower,
      weights: w.toArray(), lateral: m.toArray(), outputPower: power.toArray(),
      mean: mean.toArray())
  }

  /// Replaces the learned state (e.g. from a checkpoint). Throws on a shape mismatch or a
  /// non-finite value, leaving the learner unchanged.
  public mutating func restore(_ s: State) throws(HebbianError) {
    try Self.validate(s, components: componentCount, dimension: dimension)
    assign(s)
  }

  /// The checks of ``restore(_:)``: shapes, finiteness, counters in range.
  static func validate(_ s: State, components k: Int, dimension d: Int) throws(HebbianError) {
    func need(_ what: String, _ a: [Float], _ n: Int) throws(HebbianError) {
      guard a.count == n else {
        throw .dimensionMismatch(what: "OnlinePCA.restore: \(what)", expected: n, got: a.count)
      }
      for (i, v) in a.enumerated() where !v.isFinite { throw .nonFinite(index: i) }
    }
    try need("weights", s.weights, k * d)
    try need("lateral", s.lateral, k * k)
    try need("outputPower", s.outputPower, k)
    try need("mean", s.mean, d)
    guard s.samplesSeen >= 0, s.inputPower >= 0, s.inputPower.isFinite else {
      throw .invalidParameter("OnlinePCA.restore: negative sample count or invalid input power")
    }
  }

  /// Copies a validated state in.
  mutating func assign(_ s: State) {
    let k = componentCount
    let d = dimension
    samplesSeen = s.samplesSeen
    inputPower = s.inputPower
    precondition(s.weights.count == k * d && s.lateral.count == k * k)
    precondition(s.outputPower.count == k && s.mean.count == d)
    w.assign(s.weights)
    m.assign(s.lateral)
    power.assign(s.outputPower)
    mean.assign(s.mean)
  }

  /// Running ⟨y_i²⟩ per output: the variance along each component (eigenvalue estimates for
  /// the ordered rules).
  public var outputPower: [Float] { power.toArray() }
}
