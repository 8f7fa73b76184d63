internal import CHebbian

/// Shared checks and helpers of the rate-based plasticity learners.
enum RateRule {
  static func shape(inputs: Int, outputs: Int) throws(HebbianError) {
    if inputs < 1 { throw .invalidParameter("inputs must be >= 1, got \(inputs)") }
    if outputs < 1 { throw .invalidParameter("outputs must be >= 1, got \(outputs)") }
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
  let w: Matrix
  let y: OwnedBuffer<Float>

  init(weights: consuming Matrix) {
    y = OwnedBuffer(count: weights.rows)
    w = weights
  }

  /// Gaussian entries of variance scale²/d: rows start with norm ≈ scale in random directions
  /// (exactly 1 when `normalized`).
  init(inputs: Int, outputs: Int, seed: UInt64, scale: Double = 1, normalized: Bool = false) {
    let w = Matrix(rows: outputs, columns: inputs)
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
