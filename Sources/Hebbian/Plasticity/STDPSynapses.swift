internal import CHebbian

/// A k×d block of plastic synapses from d presynaptic to k postsynaptic neurons, with the pre
/// and post traces of ``STDPRule``. One ``step(pre:post:)`` per dt runs the fused trace kernel:
/// allocation-free, O(k + d) in steps with no spikes, O(k d) otherwise.
public struct STDPSynapses: ~Copyable {
  public let rows: Int
  public let columns: Int
  public let rule: STDPRule
  public let dt: Double
  let w: Matrix
  let preTrace: UnsafeMutablePointer<Float>
  let postTrace: UnsafeMutablePointer<Float>
  var params: hb_stdp_params

  /// Weights start at `initialWeight` (clamped to the rule's bounds).
  public init(
    post rows: Int, pre columns: Int, rule: STDPRule, dt: Double, initialWeight: Float
  ) throws(HebbianError) {
    try RateRule.shape(inputs: columns, outputs: rows)
    try rule.validate()
    if !(dt > 0 && dt.isFinite) { throw .invalidParameter("dt must be finite and > 0 ms") }
    self.rows = rows
    self.columns = columns
    self.rule = rule
    self.dt = dt
    params = rule.params(dt: dt)
    w = Matrix(
      rows: rows, columns: columns, repeating: min(max(initialWeight, rule.wMin), rule.wMax))
    preTrace = .allocate(capacity: columns)
    preTrace.initialize(repeating: 0, count: columns)
    postTrace = .allocate(capacity: rows)
    postTrace.initialize(repeating: 0, count: rows)
  }

  deinit {
    preTrace.deallocate()
    postTrace.deallocate()
  }

  /// Weights drawn uniformly from [lo, hi] (clamped to the bounds).
  public func randomizeWeights(lo: Float, hi: Float, seed: UInt64) {
    var rng = SeededGenerator(seed: seed)
    for i in 0..<w.count {
      let v = lo + (hi - lo) * Float(rng.uniform())
      w.base[i] = min(max(v, rule.wMin), rule.wMax)
    }
  }

  /// One dt with spikes given as 0/1 spans (d pre, k post).
  public mutating func step(preSpikes: Span<Float>, postSpikes: Span<Float>) throws(HebbianError) {
    if preSpikes.count != columns {
      throw .dimensionMismatch(what: "stdp: pre spikes", expected: columns, got: preSpikes.count)
    }
    if postSpikes.count != rows {
      throw .dimensionMismatch(what: "stdp: post spikes", expected: rows, got: postSpikes.count)
    }
    let (k, d, x, y, w) = (rows, columns, preTrace, postTrace, w.base)
    preSpikes.withUnsafeBufferPointer { sp in
      postSpikes.withUnsafeBufferPointer { tp in
        hb_stdp_trace_step_f32(k, d, &params, sp.baseAddress, x, tp.baseAddress, y, w, d)
      }
    }
  }

  /// One dt driven by a Poisson input population (pre) and a LIF population (post).
  public mutating func step(pre: borrowing PoissonInput, post: borrowing LIFPopulation) {
    precondition(pre.count == columns && post.count == rows, "stdp: population sizes")
    hb_stdp_trace_step_f32(
      rows, columns, &params, pre.spikes, preTrace, post.spikes, postTrace, w.base, columns)
  }

  /// Delivers this step's presynaptic spikes as excitatory (or inhibitory) conductance jumps
  /// g_i += w_ij, visiting only the inputs that fired.
  public func deliver(
    _ pre: borrowing PoissonInput, to post: borrowing LIFPopulation, inhibitory: Bool = false
  ) {
    precondition(pre.count == columns && post.count == rows, "stdp: population sizes")
    for s in 0..<pre.fired {
      let j = pre.indices[s]
      for i in 0..<rows {
        let g = w.base[i * columns + j]
        if inhibitory { post.addInhibitory(g, to: i) } else { post.addExcitatory(g, to: i) }
      }
    }
  }

  public func weight(post i: Int, pre j: Int) -> Float { w[i, j] }
  public func row(_ i: Int) -> [Float] { w.row(i) }
  /// Mean weight of the block.
  public var meanWeight: Float {
    var s: Double = 0
    for i in 0..<w.count { s += Double(w.base[i]) }
    return Float(s / Double(w.count))
  }
  public func preTrace(_ j: Int) -> Float { preTrace[j] }
  public func postTrace(_ i: Int) -> Float { postTrace[i] }
}
