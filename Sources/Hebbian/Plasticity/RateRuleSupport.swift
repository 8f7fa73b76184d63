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

  /// The sample must have `count` finite entries; checked before any state moves.
  static func sample(_ x: Span<Float>, count: Int, what: String) throws(HebbianError) {
    if x.count != count { throw .dimensionMismatch(what: what, expected: count, got: x.count) }
    for i in 0..<x.count where !x[i].isFinite { throw .nonFinite(index: i) }
  }

  /// Gaussian entries of variance 1/d: rows start with norm ≈ 1 in random directions.
  static func randomize(_ w: borrowing Matrix, seed: UInt64, scale: Double = 1) {
    var rng = SeededGenerator(seed: seed)
    let s = scale / Double(w.columns).squareRoot()
    for i in 0..<w.count { w.base[i] = Float(rng.gaussian() * s) }
  }

  /// Scales every row of W (k×d, contiguous) to unit Euclidean norm; zero rows stay zero.
  static func normalizeRows(_ w: UnsafeMutablePointer<Float>, rows k: Int, columns d: Int) {
    for i in 0..<k {
      let row = w + i * d
      let n = hb_nrm2_f32(d, row, 1)
      if n > 0 { hb_scal_f32(d, 1 / n, row, 1) }
    }
  }
}

/// Read access shared by the rate learners: copies for inspection, never used on hot paths.
extension Matrix {
  func rowNorm(_ i: Int) -> Float {
    precondition(i >= 0 && i < rows, "row index")
    return hb_nrm2_f32(columns, base + i * columns, 1)
  }
}
