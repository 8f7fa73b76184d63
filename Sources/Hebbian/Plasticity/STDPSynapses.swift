internal import CHebbian

/// A k×d block of plastic synapses from d presynaptic to k postsynaptic neurons, with the pre
/// and post traces of ``STDPRule``. One ``step(pre:post:)`` per dt runs the fused trace kernel:
/// allocation-free, O(k + d) in steps with no spikes, O(k d) otherwise.
public struct STDPSynapses: ~Copyable {
  public let rows: Int
  public let columns: Int
  public let rule: STDPRule
  public let dt: Double
  var w: Matrix
  var traces: STDPTraces
  var params: hb_stdp_params

  /// Weights start at `initialWeight` (clamped to the rule's bounds).
  public init(
    post rows: Int, pre columns: Int, rule: STDPRule, dt: Double, initialWeight: Float
  ) throws(HebbianError) {
    try RateRule.shape(inputs: columns, outputs: rows)
    try rule.validate()
    try checkTimeStep(dt)
    self.rows = rows
    self.columns = columns
    self.rule = rule
    self.dt = dt
    params = rule.params(dt: dt)
    w = Matrix(
      rows: rows, columns: columns, repeating: min(max(initialWeight, rule.wMin), rule.wMax))
    traces = STDPTraces(post: rows, pre: columns)
  }

  /// Weights drawn uniformly from [lo, hi] (clamped to the bounds).
  public mutating func randomizeWeights(lo: Float, hi: Float, seed: UInt64) {
    var rng = SeededGenerator(seed: seed)
    for i in 0..<w.count {
      let v = lo + (hi - lo) * Float(rng.uniform())
      w.elements[i] = min(max(v, rule.wMin), rule.wMax)
    }
  }

  /// One dt with spikes given as 0/1 spans (d pre, k post).
  public mutating func step(preSpikes: Span<Float>, postSpikes: Span<Float>) throws(HebbianError) {
    try traces.check(preSpikes, postSpikes, "stdp")
    advance(preSpikes, postSpikes)
  }

  /// One dt driven by a Poisson input population (pre) and a LIF population (post).
  public mutating func step(pre: borrowing PoissonInput, post: borrowing LIFPopulation) {
    traces.check(pre, post, "stdp")
    advance(pre.spikes.span, post.spikes.span)
  }

  /// One dt of the trace kernel, the sizes checked; the eligibility tags of
  /// ``RewardModulatedSTDP`` step through it too.
  mutating func advance(_ pre: Span<Float>, _ post: Span<Float>) {
    traces.step(&params, pre, post, w)
  }

  /// Delivers this step's presynaptic spikes as excitatory (or inhibitory) conductance jumps
  /// g_i += w_ij, visiting only the inputs that fired.
  public func deliver(
    _ pre: borrowing PoissonInput, to post: inout LIFPopulation, inhibitory: Bool = false
  ) {
    traces.check(pre, post, "stdp")
    post.receive(pre, through: w, inhibitory: inhibitory)
  }

  public func weight(post i: Int, pre j: Int) -> Float { w[i, j] }
  public func row(_ i: Int) -> [Float] { w.row(i) }
  /// Mean weight of the block.
  public var meanWeight: Float {
    var s: Double = 0
    for i in 0..<w.count { s += Double(w.elements[i]) }
    return Float(s / Double(w.count))
  }
  public func preTrace(_ j: Int) -> Float { traces.pre[j] }
  public func postTrace(_ i: Int) -> Float { traces.post[i] }
}

/// The pre (d) and post (k) traces of a k×d block of trace-STDP synapses: the state that
/// ``STDPSynapses`` and the eligibility tags of ``RewardModulatedSTDP`` share.
struct STDPTraces: ~Copyable {
  var pre: OwnedBuffer<Float>
  var post: OwnedBuffer<Float>

  init(post rows: Int, pre columns: Int) {
    pre = OwnedBuffer(count: columns)
    post = OwnedBuffer(count: rows)
  }

  func check(_ preSpikes: Span<Float>, _ postSpikes: Span<Float>, _ what: String)
    throws(HebbianError)
  {
    if preSpikes.count != pre.count {
      throw .dimensionMismatch(
        what: "\(what): pre spikes", expected: pre.count, got: preSpikes.count)
    }
    if postSpikes.count != post.count {
      throw .dimensionMismatch(
        what: "\(what): post spikes", expected: post.count, got: postSpikes.count)
    }
  }

  func check(_ pre: borrowing PoissonInput, _ post: borrowing LIFPopulation, _ what: String) {
    precondition(
      pre.count == self.pre.count && post.count == self.post.count, "\(what): population sizes")
  }

  /// One dt of the fused trace kernel on `w` with 0/1 spikes (d pre, k post).
  func step(
    _ params: inout hb_stdp_params, _ preSpikes: Span<Float>, _ postSpikes: Span<Float>,
    _ w: borrowing Matrix
  ) {
    let (k, d) = (post.count, pre.count)
    preSpikes.withUnsafeBufferPointer { sp in
      postSpikes.withUnsafeBufferPointer { tp in
        hb_stdp_trace_step_f32(
          k, d, &params, sp.baseAddress, pre.base, tp.baseAddress, post.base, w.base, d)
      }
    }
  }
}

extension LIFPopulation {
  /// The conductance jumps g_i += w_ij of this step's presynaptic spikes, visiting only the
  /// inputs that fired.
  mutating func receive(_ pre: borrowing PoissonInput, through w: borrowing Matrix, inhibitory: Bool) {
    for s in 0..<pre.fired {
      let j = pre.spikeIndex(s)
      for i in 0..<w.rows {
        let g = w[i, j]
        if inhibitory { addInhibitory(g, to: i) } else { addExcitatory(g, to: i) }
      }
    }
  }
}
