internal import CHebbian

/// Oja, subspace and GHA through the C driver (`hb_pca_hebbian_block_f32`), a sample or a
/// block of samples per call: one definition of their step, with no per-sample call,
/// dispatch or bounds checks inside a block, which at IMU sizes (d = 6…16) cost as much as
/// the step itself.
extension OnlinePCA.Rule {
  /// Oja, subspace and GHA: the rules of the fused step kernels and the block driver.
  var isHebbian: Bool { self == .oja || self == .subspace || self == .gha }
}

extension OnlinePCA {
  /// The driver's state over the learner's buffers, which live as long as the learner and
  /// never move; the counters start at zero.
  static func driverState(
    rule: Rule, k: Int, d: Int, rate: LearningRate, centering: Bool, w: borrowing OwnedBuffer<Float>,
    mean: borrowing OwnedBuffer<Float>, power: borrowing OwnedBuffer<Float>,
    y: borrowing OwnedBuffer<Float>, xc: borrowing OwnedBuffer<Float>,
    eta: borrowing OwnedBuffer<Float>
  ) -> hb_pca_state {
    var s = hb_pca_state()
    s.rule = rule == .oja ? HB_PCA_OJA : (rule == .subspace ? HB_PCA_SUBSPACE : HB_PCA_GHA)
    s.k = k
    s.d = d
    s.W = w.base
    s.ldw = d
    s.mean = mean.base
    s.power = power.base
    s.y = y.base
    s.xc = xc.base
    s.eta = eta.base
    s.centering = centering
    (s.rate_schedule, s.rate_scale, s.rate_offset, s.rate_floor) = rate.parameters
    return s
  }

  /// ``unsafeUpdate(_:)`` on `n` samples (rows of ``dimension`` values that keep the sample
  /// contract, at `x`), one after the other; each sample's outputs, as its step computed
  /// them, to row s of `outputs` (n × ``componentCount``) when given.
  package mutating func unsafeUpdate(
    block x: UnsafePointer<Float>, count n: Int, outputs: UnsafeMutablePointer<Float>? = nil
  ) {
    if n == 0 { return }
    if rule.isHebbian {
      hb_pca_hebbian_block_f32(&core, n, x, dimension, outputs)
      return
    }
    for s in 0..<n {
      unsafeUpdate(x + s * dimension)
      if let out = outputs { (out + s * componentCount).update(from: y.base, count: componentCount) }
    }
  }
}
