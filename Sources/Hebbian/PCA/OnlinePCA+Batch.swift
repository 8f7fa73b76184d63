internal import CHebbian

/// Mini-batches and blocks of samples.
extension OnlinePCA {
  /// Learns from a mini-batch of b = `batch.count / dimension` samples (row-major, b ≤
  /// ``maxBatch``). Oja, subspace and GHA apply one step with the rank-k kernel
  /// (ΔW = η (Yᵀ X − LT?(Yᵀ Y) W), the sum of the b per-sample steps taken from the same W);
  /// the other rules learn sample by sample.
  public mutating func update(batch: Span<Float>) throws(HebbianError) {
    let d = dimension
    guard batch.count % d == 0 else {
      throw .invalidParameter(
        "OnlinePCA.update(batch:): \(batch.count) values is not a whole number of samples of \(d)")
    }
    let b = batch.count / d
    guard b <= maxBatch else {
      throw .dimensionMismatch(
        what: "OnlinePCA.update(batch:): samples (maxBatch)", expected: maxBatch, got: b)
    }
    if b == 0 { return }
    try batch.withUnsafeBufferPointer { (p) throws(HebbianError) in
      try Self.checkSamples(p.baseAddress!, count: b, dimension: d, what: "batch")
      try unsafeGuardedUpdate(batch: p.baseAddress!, count: b)
    }
  }

  /// ``update(batch:)`` without the checks: `x` holds `count` ≤ ``maxBatch`` rows that keep
  /// the sample contract. Each sample's outputs (W before the step times the centred sample)
  /// go to row s of `outputs` when given.
  package mutating func unsafeUpdate(
    batch x: UnsafePointer<Float>, count b: Int, outputs: UnsafeMutablePointer<Float>? = nil
  ) {
    let d = dimension
    let k = componentCount
    guard rule.isHebbian else {
      unsafeUpdate(block: x, count: b, outputs: outputs)
      return
    }
    let (w, xb, yb, w0, g) = (self.w.base, self.xb.base, self.yb.base, self.w0.base, self.g.base)
    let alpha = learningRate.rate(at: samplesSeen)
    var sumPower: Float = 0
    for s in 0..<b {
      samplesSeen += 1
      let row = xb + s * d
      let xs = prepare(x + s * d, into: row)
      if xs != UnsafePointer(row) { row.update(from: xs, count: d) }
      let p = Kernels.unsafeDot(d, row, row)
      sumPower += p
      inputPower += averagingWeight() * (p - inputPower)
      // Y = X Wᵀ, one row per sample.
      Kernels.unsafeGemv(rows: k, columns: d, w, lda: d, row, yb + s * k)
    }
    // Row rates from the powers before this batch, as a single step would use them.
    let u = self.u.base
    hb_pca_row_rates(k, d, power.base, inputPower, alpha, 1 / sumPower, u)
    if let out = outputs { out.update(from: yb, count: b * k) }
    let power = self.power.base
    for s in 0..<b {
      let beta = hb_pca_power_weight(
        1 / Float(samplesSeen - Int64(b) + Int64(s) + 1), learningRate.floor)
      for i in 0..<k { power[i] += beta * (yb[s * k + i] * yb[s * k + i] - power[i]) }
    }
    y.base.update(from: yb + (b - 1) * k, count: k)
    if sumPower > 0 {
      // One step with the per-sample rates applied to the sum of the b steps; the clip keeps
      // η_i Σ‖x_s‖² ≤ 1 so a batch cannot overshoot either.
      w0.update(from: w, count: k * d)
      // G = Yᵀ Y;  then Y's column i scaled by η_i, so W += diag(η) Yᵀ X in one rank-b update.
      g.update(repeating: 0, count: k * k)
      Kernels.unsafeRankK(
        rows: k, columns: k, batch: b, alpha: 1, yb, ldx: k, yb, ldy: k, g, lda: k)
      for s in 0..<b { for i in 0..<k { yb[s * k + i] *= u[i] } }
      Kernels.unsafeRankK(
        rows: k, columns: d, batch: b, alpha: 1, yb, ldx: k, xb, ldy: d, w, lda: d)
      // W −= diag(η) LT?(G) W₀
      for i in 0..<k {
        let last = rule == .gha ? i + 1 : k
        for j in 0..<last {
          Kernels.unsafeAxpy(d, -u[i] * g[i * k + j], w0 + j * d, w + i * d)
        }
      }
    }
  }
}
