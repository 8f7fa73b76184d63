internal import CHebbian

/// Shared checks and helpers of the rate-based plasticity learners.
enum RateRule {
  static func shape(inputs: Int, outputs: Int) throws(HebbianError) {
    if inputs < 1 { throw .invalidParameter("inputs must be >= 1, got \(inputs)") }
    if outputs < 1 { throw .invalidParameter("outputs must be >= 1, got \(outputs)") }
    // W, its backup for the divergence guard, and the per-input buffers.
    try MemoryBudget.check(
      "rate rule", "\(outputs) x \(inputs) weights", [[2, outputs, inputs], [4, inputs]])
  }

  static func rate(_ eta: Float, _ name: String = "learning rate") throws(HebbianError) {
    if !(eta > 0 && eta.isFinite) { throw .invalidParameter("\(name) must be finite and > 0") }
  }

  static func decay(_ lambda: Float) throws(HebbianError) {
    if !(lambda >= 0 && lambda < 1) { throw .invalidParameter("decay must be in [0, 1)") }
  }

  /// The sample must have `count` finite entries; checked before any state moves.
  static func sample(_ x: Span<Float>, count: Int, what: String) throws(HebbianError) {
    if x.count != count { throw .dimensionMismatch(what: what, expected: count, got: x.count) }
    for i in 0..<x.count where !x[i].isFinite { throw .nonFinite(index: i) }
  }
}

/// The weights W (k×d) and the last outputs y (k) of a rate learner, with the read access
/// every rate learner offers.
struct RateLayer: ~Copyable {
  var w: Matrix
  var y: OwnedBuffer<Float>
  /// W and y before the update in progress, put back when the update is refused.
  var backup: OwnedBuffer<Float>

  /// Largest weight-row norm an update may leave: with ‖w‖ ≤ 10¹⁸ and a sample of norm up to
  /// 10¹⁸ the response w·x stays below float32's 3.4·10³⁸. Rules that converge keep their rows
  /// many decades below it; a row that gets there is growing without bound (plain Hebb).
  static let rowNormLimit: Float = 1e18

  init(weights: consuming Matrix) {
    y = OwnedBuffer(count: weights.rows)
    backup = OwnedBuffer(count: weights.rows * (weights.columns + 1))
    w = weights
  }

  /// Copies W and y aside before an update.
  func save() {
    let kd = outputs * inputs
    backup.base.update(from: w.base, count: kd)
    (backup.base + kd).update(from: y.base, count: outputs)
  }

  /// Puts W and y back as ``save()`` found them.
  func restore() {
    let kd = outputs * inputs
    w.base.update(from: backup.base, count: kd)
    y.base.update(from: backup.base + kd, count: outputs)
  }

  /// Throws ``HebbianError/diverged(_:)`` (after ``restore()``) when an output or a weight
  /// row is not finite or a row is longer than ``rowNormLimit``; `sample` is the update's
  /// 1-based number, for the message. A learner with state of its own (a threshold, running
  /// means) names what went wrong with it as `stateFault`, which is reported first; it puts
  /// that state back itself when this throws.
  func keepOrRestore(_ rule: String, sample: Int, stateFault: String? = nil)
    throws(HebbianError)
  {
    guard let bad = stateFault ?? fault() else { return }
    restore()
    throw .diverged("\(rule): learning diverged at sample \(sample): \(bad)")
  }

  /// What is wrong with y and W after an update, if anything.
  private func fault() -> String? {
    for i in 0..<outputs where !y[i].isFinite { return "the output of unit \(i + 1) is not finite" }
    for i in 0..<outputs {
      let n = hb_nrm2_f32(inputs, w.elements.at(i * inputs), 1)
      if !(n <= Self.rowNormLimit) { return "weight row \(i + 1) grew past 1e18" }
    }
    return nil
  }

  /// Gaussian entries of variance scale²/d: rows start with norm ≈ scale in random directions
  /// (exactly 1 when `normalized`).
  init(inputs: Int, outputs: Int, seed: UInt64, scale: Double = 1, normalized: Bool = false) {
    var w = Matrix(rows: outputs, columns: inputs)
    var rng = SeededGenerator(seed: seed)
    let s = scale / Double(inputs).squareRoot()
    for i in 0..<w.count { w.elements[i] = Float(rng.gaussian() * s) }
    self.init(weights: w)
    if normalized { normalizeRows() }
  }

  var inputs: Int { w.columns }
  var outputs: Int { w.rows }

  /// y = W x.
  func respond(_ x: Span<Float>) {
    x.withUnsafeBufferPointer {
      hb_gemv_f32(outputs, inputs, 1, w.base, inputs, $0.baseAddress, 0, y.base)
    }
  }

  /// Scales every row of W to unit Euclidean norm; zero rows stay zero.
  func normalizeRows() {
    let d = inputs
    for i in 0..<outputs {
      let row = w.elements.at(i * d)
      let n = hb_nrm2_f32(d, row, 1)
      if n > 0 { hb_scal_f32(d, 1 / n, row, 1) }
    }
  }

  func output(_ i: Int) -> Float {
    precondition(i >= 0 && i < outputs, "output index")
    return y[i]
  }

  func rowNorm(_ i: Int) -> Float {
    precondition(i >= 0 && i < outputs, "row index")
    return hb_nrm2_f32(inputs, w.elements.at(i * inputs), 1)
  }
}
