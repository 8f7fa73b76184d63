internal import CHebbian

/// Unsupervised feature learning by competing hidden units (Krotov & Hopfield 2019, "Unsupervised
/// learning by competing hidden units").
///
/// K hidden units see a visible vector v through the p-norm weighted current
///
///     I_μ = ⟨W_μ, v⟩ = Σ_i sign(W_μi) |W_μi|^(p−1) v_i
///
/// and compete by rank: the strongest unit gets g = +1, the k-th strongest g = −Δ (anti-Hebbian
/// push that keeps units apart), all others 0. Over a mini-batch the synapses move by
///
///     ΔW_μi = ε Σ_batch g_μ (v_i − I_μ W_μi),
///
/// rescaled so that max |ΔW| = ε (the authors' normalisation), with ε decaying linearly to 0.
/// Because d/dt Σ_i |W_μi|^p = p g I_μ (1 − Σ_i |W_μi|^p), the rows of active units converge to
/// unit p-norm.
public struct CompetingUnits: ~Copyable {
  public let inputs: Int
  public let hidden: Int
  public let p: Float
  /// Rank of the unit that is pushed away (k ≥ 2).
  public let rank: Int
  /// Strength Δ of the anti-Hebbian push.
  public let delta: Float
  public let batchSize: Int

  var w: OwnedBuffer<Float>  // K × d
  var wp: OwnedBuffer<Float>  // sign(W)|W|^(p−1), K × d
  var currents: OwnedBuffer<Float>  // B × K
  var g: OwnedBuffer<Float>  // B × K
  var ds: OwnedBuffer<Float>  // K × d
  var xx: OwnedBuffer<Float>  // K
  /// How many times each unit has been the winner since the start of the current epoch of
  /// ``train(data:count:epochs:initialRate:order:batchScratch:rng:progress:)`` (or since init).
  var wins: OwnedBuffer<Int>

  public init(
    inputs: Int, hidden: Int, p: Float = 3, rank: Int = 2, delta: Float = 0.4,
    batchSize: Int = 100, seed: UInt64
  ) throws(HebbianError) {
    if inputs < 1 || hidden < 2 || batchSize < 1 {
      throw .invalidParameter("competing units: need inputs >= 1, hidden >= 2, batchSize >= 1")
    }
    if rank < 2 || rank > hidden {
      throw .invalidParameter("competing units: rank k must be in 2…\(hidden), got \(rank)")
    }
    if !(p >= 2) { throw .invalidParameter("competing units: p must be >= 2") }
    if !(p >= 2 && p <= 100) { throw .invalidParameter("competing units: p must be in [2, 100]") }
    if !(delta >= 0 && delta.isFinite) {
      throw .invalidParameter("competing units: delta must be finite and >= 0")
    }
    try MemoryBudget.check(
      "competing units", "\(hidden) x \(inputs) weights, batches of \(batchSize)",
      [[3, hidden, inputs], [2, batchSize, hidden], [3, hidden]])
    self.inputs = inputs
    self.hidden = hidden
    self.p = p
    self.rank = rank
    self.delta = delta
    self.batchSize = batchSize
    let kd = hidden * inputs
    w = OwnedBuffer(count: kd)
    wp = OwnedBuffer(count: kd)
    ds = OwnedBuffer(count: kd)
    currents = OwnedBuffer(count: batchSize * hidden)
    g = OwnedBuffer(count: batchSize * hidden)
    xx = OwnedBuffer(count: hidden)
    wins = OwnedBuffer(count: hidden, repeating: 0)
    // The authors start from 𝒩(0, 1) synapses.
    var rng = SeededGenerator(seed: seed)
    for i in 0..<kd { w[i] = Float(rng.gaussian()) }
  }

  /// sign(W)|W|^(p−1), the metric the currents are measured in.
  mutating func refreshMetric() {
    let kd = hidden * inputs
    if p == 2 {
      wp.assign(w)
    } else if p == 3 {
      for i in 0..<kd { wp[i] = w[i] * Swift.abs(w[i]) }
    } else {
      for i in 0..<kd {
        let m = Math.pow(Swift.abs(w[i]), p - 1)
        wp[i] = w[i] < 0 ? -m : m
      }
    }
  }

  /// Largest |W_μi| an update may leave. Rows converge to unit p-norm, so no entry of a
  /// learning layer comes near it; a step that would pass it (a huge rate) is refused.
  public static let weightLimit: Float = 1e4

  /// One mini-batch update with learning rate ε (finite, >= 0). `batch` holds `count` ≤
  /// batchSize samples of `inputs` finite values each, row-major. A step that would overflow
  /// the currents or move a weight past ``weightLimit`` throws ``HebbianError/diverged(_:)``
  /// and leaves the weights as they were.
  public mutating func update(batch: Span<Float>, count: Int, learningRate eps: Float)
    throws(HebbianError)
  {
    if count < 1 || count > batchSize {
      throw .invalidParameter("competing units: batch of \(count), expected 1…\(batchSize)")
    }
    if batch.count < count * inputs {
      throw .dimensionMismatch(what: "batch values", expected: count * inputs, got: batch.count)
    }
    if !(eps >= 0 && eps.isFinite) {
      throw .invalidParameter("competing units: learning rate must be finite and >= 0")
    }
    for i in 0..<(count * inputs) where !batch[i].isFinite { throw .nonFinite(index: i) }
    try step(batch, count, eps)
  }

  mutating func step(_ v: Span<Float>, _ count: Int, _ eps: Float) throws(HebbianError) {
    let k = hidden
    let d = inputs
    refreshMetric()
    g.fill(0, 0..<count * k)
    for b in 0..<count {
      v.extracting(b * d..<(b + 1) * d).withUnsafeBufferPointer { vb in
        hb_gemv_f32(k, d, 1, wp.base, d, vb.baseAddress, 0, currents.at(b * k))
      }
      for m in 0..<k where !currents[b * k + m].isFinite {
        throw .diverged(
          "competing units: the currents overflowed float32 (weights or sample too large for p = \(p))"
        )
      }
      let (top, kth) = Self.ranks(currents.span.extracting(b * k..<(b + 1) * k), rank)
      g[b * k + top] = 1
      g[b * k + kth] = -delta
    }
    // xx_μ = Σ_b g_bμ I_bμ : the decay coefficient of row μ.
    for m in 0..<k {
      var s: Float = 0
      for b in 0..<count { s += g[b * k + m] * currents[b * k + m] }
      xx[m] = s
    }
    // ds = gᵀ V − diag(xx) W
    ds.fill(0)
    v.withUnsafeBufferPointer {
      hb_rank_k_f32(k, d, count, 1, g.base, k, $0.baseAddress, d, ds.base, d)
    }
    var largest: Float = 0
    for m in 0..<k {
      let row = m * d
      let c = xx[m]
      for i in 0..<d {
        let value = ds[row + i] - c * w[row + i]
        ds[row + i] = value
        largest = Swift.max(largest, Swift.abs(value))
      }
    }
    // The authors divide by max|ds| (floored at 1e-30) so ε is the largest step any synapse takes.
    let scale = eps / Swift.max(largest, 1e-30)
    // Checked before W moves, so a refused step leaves it (and the win counts) unchanged.
    for i in 0..<(k * d) {
      let next = w[i] + scale * ds[i]
      if !(Swift.abs(next) <= Self.weightLimit) {
        throw .diverged(
          "competing units: a step of this rate would move a weight past \(Int(Self.weightLimit)); lower the rate"
        )
      }
    }
    hb_axpy_f32(k * d, scale, ds.base, 1, w.base, 1)
    for b in 0..<count {
      for m in 0..<k where g[b * k + m] == 1 { wins[m] += 1 }
    }
  }

  /// Indices of the strongest and the k-th strongest entries (ties: lower index first).
  static func ranks(_ c: Span<Float>, _ k: Int) -> (Int, Int) {
    let n = c.count
    // Partial selection: k is small (2 in the paper), so k passes over n beat a sort.
    var top = 0
    for i in 1..<n where c[i] > c[top] { top = i }
    var previous = top
    var previousValue = c[top]
    for _ in 1..<Swift.min(k, n) {
      var best = -1
      for i in 0..<n {
        let beyond = c[i] < previousValue || (c[i] == previousValue && i > previous)
        if beyond && (best < 0 || c[i] > c[best] || (c[i] == c[best] && i < best)) { best = i }
      }
      // Only unordered values (NaN) leave no candidate; the checked API never passes them.
      if best < 0 { break }
      previous = best
      previousValue = c[best]
    }
    return (top, previous)
  }

  /// Trains for `epochs` passes over `data` (`count` samples) in mini-batches of `batchSize`, in
  /// a seeded shuffled order, with ε decaying linearly from `initialRate` to 0 across epochs.
  /// `batchScratch` must hold batchSize × inputs floats; nothing is allocated.
  public mutating func train(
    data: Span<Float>, count: Int, epochs: Int, initialRate: Float,
    order: inout MutableSpan<Int>, batchScratch: inout MutableSpan<Float>,
    rng: inout SeededGenerator, progress: (Int, Float) -> Void = { _, _ in }
  ) throws(HebbianError) {
    let d = inputs
    if data.count < count * d {
      throw .dimensionMismatch(what: "data values", expected: count * d, got: data.count)
    }
    if order.count < count {
      throw .dimensionMismatch(what: "order", expected: count, got: order.count)
    }
    if batchScratch.count < batchSize * d {
      throw .dimensionMismatch(
        what: "batch scratch", expected: batchSize * d, got: batchScratch.count)
    }
    for i in 0..<count { order[i] = i }
    for epoch in 0..<epochs {
      wins.fill(0)
      let eps = initialRate * (1 - Float(epoch) / Float(epochs))
      shuffle(&order, count: count, &rng)
      var start = 0
      while start < count {
        let n = Swift.min(batchSize, count - start)
        for r in 0..<n {
          let src = order[start + r] * d
          for i in 0..<d { batchScratch[r * d + i] = data[src + i] }
        }
        let scratch = batchScratch.span
        try update(batch: scratch, count: n, learningRate: eps)
        start += n
      }
      progress(epoch + 1, eps)
    }
  }

  /// Hidden features for the readout: h_μ = max(⟨W_μ, v⟩, 0)^n with the plain dot product
  /// (the paper's readout layer, n = `power`).
  public func features(_ v: Span<Float>, power: Int = 3, into h: inout MutableSpan<Float>)
    throws(HebbianError)
  {
    if v.count < inputs { throw .dimensionMismatch(what: "input", expected: inputs, got: v.count) }
    if h.count < hidden {
      throw .dimensionMismatch(what: "features", expected: hidden, got: h.count)
    }
    if power < 1 || power > 64 {
      throw .invalidParameter("competing units: feature power must be in 1…64, got \(power)")
    }
    for i in 0..<inputs where !v[i].isFinite { throw .nonFinite(index: i) }
    v.withUnsafeBufferPointer { vp in
      h.withUnsafeMutableBufferPointer { hp in
        hb_gemv_f32(hidden, inputs, 1, w.base, inputs, vp.baseAddress, 0, hp.baseAddress)
        for m in 0..<hidden {
          let r = Swift.max(hp[m], 0)
          var x: Float = 1
          for _ in 0..<power { x *= r }
          hp[m] = x
        }
      }
    }
    for m in 0..<hidden where !h[m].isFinite {
      throw .invalidParameter(
        "competing units: feature \(m) overflowed float32 (power \(power)); lower the power or rescale the input"
      )
    }
  }

  /// ‖W_μ‖_p = (Σ_i |W_μi|^p)^(1/p) of every row.
  public var rowNorms: [Float] {
    var out = [Float](repeating: 0, count: hidden)
    for m in 0..<hidden {
      var s: Double = 0
      for i in 0..<inputs { s += Math.pow(Double(Swift.abs(w[m * inputs + i])), Double(p)) }
      out[m] = Float(Math.pow(s, 1 / Double(p)))
    }
    return out
  }

  /// Units that won at least half of a fair share (presentations / 2K) of the `presentations`
  /// counted by ``winCounts`` (after ``train(data:count:epochs:initialRate:order:batchScratch:rng:progress:)``:
  /// the last epoch's samples), and the largest |‖W_μ‖_p − 1| among them.
  public func convergenceSummary(presentations: Int) -> (units: Int, maxDeviation: Float) {
    let norms = rowNorms
    var units = 0
    var worst: Float = 0
    for m in 0..<hidden where 2 * hidden * wins[m] >= presentations {
      units += 1
      worst = Swift.max(worst, Swift.abs(norms[m] - 1))
    }
    return (units, worst)
  }

  /// How often each unit has been the winner in the last epoch (or since init).
  public var winCounts: [Int] { wins.toArray() }

  /// A copy of W, K × d row-major.
  public var weights: [Float] { w.toArray() }
}
