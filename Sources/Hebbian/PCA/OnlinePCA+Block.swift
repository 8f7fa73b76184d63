internal import CHebbian

/// Blocks of samples for Oja, subspace and GHA through the C driver
/// (`hb_pca_hebbian_block_f32`): the same per-sample arithmetic as ``unsafeUpdate(_:)``, bit
/// for bit (`PCABlockDriverTests`), with no per-sample call, dispatch or bounds checks, which
/// at IMU sizes (d = 6…16) cost as much as the step itself.
extension OnlinePCA.Rule {
  /// Oja, subspace and GHA: the rules of the fused step kernels and the block driver.
  var isHebbian: Bool { self == .oja || self == .subspace || self == .gha }
}

extension OnlinePCA {
  /// ``unsafeUpdate(_:)`` on `n` samples (rows of ``dimension`` finite values at `x`), one
  /// after the other. Oja, subspace and GHA run in the C driver; the other rules sample by
  /// sample.
  package mutating func unsafeUpdate(block x: UnsafePointer<Float>, count n: Int) {
    guard rule.isHebbian else {
      for s in 0..<n { unsafeUpdate(x + s * dimension) }
      return
    }
    if n == 0 { return }
    var s = hb_pca_state()
    s.rule = rule == .oja ? HB_PCA_OJA : (rule == .subspace ? HB_PCA_SUBSPACE : HB_PCA_GHA)
    s.k = componentCount
    s.d = dimension
    s.W = w.base
    s.ldw = dimension
    s.mean = mean.base
    s.power = power.base
    s.y = y.base
    s.xc = xc.base
    s.eta = u.base
    s.input_power = inputPower
    s.samples_seen = samplesSeen
    s.centering = centering
    switch learningRate {
    case .constant(let a):
      s.rate_constant = true
      s.rate_scale = a
      s.rate_floor = a
    case .inverse(let scale, let offset, let floor):
      s.rate_constant = false
      s.rate_scale = scale
      s.rate_offset = offset
      s.rate_floor = floor
    }
    hb_pca_hebbian_block_f32(&s, n, x, dimension, nil)
    inputPower = s.input_power
    samplesSeen = s.samples_seen
  }
}
