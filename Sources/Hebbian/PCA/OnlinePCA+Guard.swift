/// The divergence guard: updates that refuse a step which would make the state unusable.
extension OnlinePCA {
  // MARK: Divergence guard

  /// Largest weight-row norm the guard accepts, in units of the rule's natural scale.
  ///
  /// Oja, subspace, GHA and similarity matching start from unit rows and converge to unit
  /// rows, and their clipped steps move a row by a bounded fraction; fast similarity matching
  /// and CCIPCA rows are running averages of y xᵀ whose norms approach eigenvalues, bounded by
  /// the input power. A row 10⁴ times past that scale can only come from a step whose
  /// (1 − η y²) factor has gone below −1, which then grows geometrically: 10⁴ is far beyond
  /// any transient of a converging run, and still ~10³⁴ short of float overflow, so the state
  /// before the step is a usable one.
  public static let divergenceLimit: Float = 1e4

  /// Throws ``HebbianError/diverged(_:)`` if any of the state is NaN or infinite, or a
  /// weight row is longer than ``divergenceLimit`` times the rule's scale.
  public func checkHealth() throws(HebbianError) {
    let k = componentCount
    let d = dimension
    let n = samplesSeen
    guard inputPower.isFinite else {
      throw .diverged(
        "learning diverged at sample \(n): the input power overflowed (samples too large for float32?)"
      )
    }
    var scale: Float = 1
    if rule == .fastSimilarityMatching || rule == .ccipca { scale = Swift.max(1, inputPower) }
    let limit = Self.divergenceLimit * scale
    for i in 0..<k {
      let r = Kernels.unsafeDot(d, w.at(i * d), w.at(i * d))
      guard r.isFinite else {
        throw .diverged("learning diverged at sample \(n): weight row \(i + 1) is not finite")
      }
      if r > limit * limit {
        throw .diverged(
          "learning diverged at sample \(n): weight row \(i + 1) is over 1e4 times its natural norm"
        )
      }
    }
    for i in 0..<(k * k) where !m[i].isFinite {
      throw .diverged("learning diverged at sample \(n): the lateral weights are not finite")
    }
    for i in 0..<k where !power[i].isFinite {
      throw .diverged("learning diverged at sample \(n): output power \(i + 1) is not finite")
    }
    for j in 0..<d where !mean[j].isFinite {
      throw .diverged("learning diverged at sample \(n): the running mean is not finite")
    }
  }

  /// ``unsafeUpdate(_:)`` that refuses a diverging step: the state is copied first (into
  /// scratch allocated at init, so this does not allocate either), and if ``checkHealth()``
  /// fails afterwards it is put back and the error thrown. Costs a copy and a norm pass of W
  /// on top of the update.
  package mutating func unsafeGuardedUpdate(_ x: UnsafePointer<Float>) throws(HebbianError) {
    let saved = saveBackup()
    unsafeUpdate(x)
    try keepOrRollBack(saved)
  }

  /// ``unsafeUpdate(batch:count:)`` with the same guard as ``unsafeGuardedUpdate(_:)``.
  package mutating func unsafeGuardedUpdate(
    batch x: UnsafePointer<Float>, count b: Int, outputs: UnsafeMutablePointer<Float>? = nil
  ) throws(HebbianError) {
    let saved = saveBackup()
    unsafeUpdate(batch: x, count: b, outputs: outputs)
    try keepOrRollBack(saved)
  }

  private func saveBackup() -> (samples: Int64, inputPower: Float) {
    let k = componentCount
    let d = dimension
    let backup = self.backup.base
    backup.update(from: w.base, count: k * d)
    (backup + k * d).update(from: m.base, count: k * k)
    (backup + k * d + k * k).update(from: power.base, count: k)
    (backup + k * d + k * k + k).update(from: mean.base, count: d)
    return (samplesSeen, inputPower)
  }

  /// Learns `count` samples in steps of `batch` (single-sample steps when `batch` is 1) with
  /// the guard of ``unsafeGuardedUpdate(_:)`` at the cost of one copy and one health check per
  /// block instead of per step. Only when the check at the end of the block fails is the block
  /// replayed from the saved state with the per-step guard, which refuses exactly the offending
  /// step and keeps the state just before it: the result, and the error, are those of guarding
  /// every step. Each sample's outputs, as its step computed them, go to row s of `outputs`
  /// (count × ``componentCount``) when given.
  package mutating func unsafeGuardedUpdate(
    block x: UnsafePointer<Float>, count n: Int, batch: Int,
    outputs: UnsafeMutablePointer<Float>? = nil
  ) throws(HebbianError) {
    let b = Swift.max(batch, 1)
    let (d, k) = (dimension, componentCount)
    func learn(_ pca: inout OnlinePCA, guarded: Bool) throws(HebbianError) {
      if b == 1 && !guarded {
        pca.unsafeUpdate(block: x, count: n, outputs: outputs)
        return
      }
      var s = 0
      while s < n {
        let c = Swift.min(b, n - s)
        let out = outputs.map { $0 + s * k }
        switch (c == 1, guarded) {
        case (true, false): pca.unsafeUpdate(block: x + s * d, count: 1, outputs: out)
        case (false, false): pca.unsafeUpdate(batch: x + s * d, count: c, outputs: out)
        case (true, true):
          try pca.unsafeGuardedUpdate(x + s * d)
          out?.update(from: pca.y.base, count: k)
        case (false, true):
          try pca.unsafeGuardedUpdate(batch: x + s * d, count: c, outputs: out)
        }
        s += c
      }
    }
    let saved = saveBackup()
    try learn(&self, guarded: false)
    do throws(HebbianError) {
      try checkHealth()
    } catch {
      restoreBackup(saved)
      try learn(&self, guarded: true)
    }
  }

  private mutating func keepOrRollBack(_ saved: (samples: Int64, inputPower: Float))
    throws(HebbianError)
  {
    do throws(HebbianError) {
      try checkHealth()
    } catch {
      restoreBackup(saved)
      throw error
    }
  }

  private mutating func restoreBackup(_ saved: (samples: Int64, inputPower: Float)) {
    let k = componentCount
    let d = dimension
    let backup = self.backup.base
    w.base.update(from: backup, count: k * d)
    m.base.update(from: backup + k * d, count: k * k)
    power.base.update(from: backup + k * d + k * k, count: k)
    mean.base.update(from: backup + k * d + k * k + k, count: d)
    samplesSeen = saved.samples
    inputPower = saved.inputPower
  }
}
