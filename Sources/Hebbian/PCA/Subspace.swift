/// Diagnostics and operations on k-dimensional subspaces of R^d given by k basis vectors
/// stored as rows (k×d, row-major). Computed in Double: these are the yardsticks the learners
/// are measured with, so they must be more accurate than the learners.
public enum Subspace {
  /// Modified Gram–Schmidt on the rows, in order (row i keeps the direction of row i minus its
  /// projection on rows 0..<i, so an ordered basis stays ordered). A row that is (numerically)
  /// in the span of the earlier ones becomes zero rather than noise.
  public static func orthonormalized(_ rows: [Float], components k: Int, dimension d: Int)
    throws(HebbianError) -> [Float]
  {
    try check(rows, k, d)
    let q = orthonormalizedDouble(rows.map { Double($0) }, k, d)
    return q.map { Float($0) }
  }

  static func orthonormalizedDouble(_ rows: [Double], _ k: Int, _ d: Int) -> [Double] {
    var q = rows
    for i in 0..<k {
      var norm0 = 0.0
      for c in 0..<d { norm0 += q[i * d + c] * q[i * d + c] }
      // Two passes of projection ("twice is enough", Kahan–Parlett) keep the rows orthogonal
      // to working precision even when the input is nearly rank deficient.
      for _ in 0..<2 {
        for j in 0..<i {
          var dot = 0.0
          for c in 0..<d { dot += q[i * d + c] * q[j * d + c] }
          for c in 0..<d { q[i * d + c] -= dot * q[j * d + c] }
        }
      }
      var norm = 0.0
      for c in 0..<d { norm += q[i * d + c] * q[i * d + c] }
      norm = norm.squareRoot()
      let keep = norm > 1e-10 * norm0.squareRoot() && norm > 0
      for c in 0..<d { q[i * d + c] = keep ? q[i * d + c] / norm : 0 }
    }
    return q
  }

  /// ‖UUᵀ − VVᵀ‖²_F / ‖VVᵀ‖²_F, with U and V the orthonormalised bases of `learned` (ku×d)
  /// and `reference` (kv×d). 0 for the same subspace, 2 for orthogonal ones of equal size.
  /// Uses ‖UUᵀ − VVᵀ‖²_F = ku + kv − 2‖UVᵀ‖²_F, so it costs O(ku·kv·d), never d².
  public static func error(
    _ learned: [Float], components ku: Int, reference: [Float], components kv: Int, dimension d: Int
  ) throws(HebbianError) -> Double {
    try check(learned, ku, d)
    try check(reference, kv, d)
    return errorDouble(learned.map { Double($0) }, ku, reference.map { Double($0) }, kv, d)
  }

  static func errorDouble(_ u0: [Double], _ ku: Int, _ v0: [Double], _ kv: Int, _ d: Int) -> Double {
    let u = orthonormalizedDouble(u0, ku, d)
    let v = orthonormalizedDouble(v0, kv, d)
    var ru = 0.0
    var rv = 0.0
    for i in 0..<ku { for c in 0..<d { ru += u[i * d + c] * u[i * d + c] } }
    for i in 0..<kv { for c in 0..<d { rv += v[i * d + c] * v[i * d + c] } }
    var cross = 0.0
    for i in 0..<ku {
      for j in 0..<kv {
        var dot = 0.0
        for c in 0..<d { dot += u[i * d + c] * v[j * d + c] }
        cross += dot * dot
      }
    }
    guard rv > 0 else { return 0 }
    return Swift.max(0, ru + rv - 2 * cross) / rv
  }

  /// ‖WWᵀ − I‖_F of the rows as given (not orthonormalised): 0 when they are orthonormal.
  public static func orthonormalityError(_ rows: [Float], components k: Int, dimension d: Int)
    throws(HebbianError) -> Double
  {
    try check(rows, k, d)
    return rows.withUnsafeBufferPointer { orthonormalityError($0.baseAddress!, k, d) }
  }

  static func orthonormalityError(_ w: UnsafePointer<Float>, _ k: Int, _ d: Int) -> Double {
    var sum = 0.0
    for i in 0..<k {
      for j in i..<k {
        var dot = 0.0
        for c in 0..<d { dot += Double(w[i * d + c]) * Double(w[j * d + c]) }
        let e = dot - (i == j ? 1 : 0)
        sum += i == j ? e * e : 2 * e * e
      }
    }
    return sum.squareRoot()
  }

  /// Merges the subspaces learned on several devices: the average of their projection
  /// operators P̄ = (1/n) Σ UᵢᵀUᵢ is symmetric with eigenvalues in [0, 1], and its top-k
  /// eigenvectors are the subspace closest to all of them in the mean squared Frobenius sense
  /// (the "average of projections" estimator). Returns k orthonormal rows, ordered by P̄'s
  /// eigenvalues (agreement between the inputs). Costs O(n·k·d² + d³): meant for d up to a
  /// few hundred, once per merge.
  public static func merge(_ bases: [[Float]], components k: Int, dimension d: Int)
    throws(HebbianError) -> [Float]
  {
    guard !bases.isEmpty else { throw .invalidParameter("Subspace.merge: no bases given") }
    guard k >= 1, k <= d else {
      throw .invalidParameter("Subspace.merge: components must be in 1...\(d), got \(k)")
    }
    var p = [Double](repeating: 0, count: d * d)
    for b in bases {
      try check(b, k, d)
      let u = orthonormalizedDouble(b.map { Double($0) }, k, d)
      for i in 0..<k {
        for r in 0..<d {
          let ur = u[i * d + r]
          if ur == 0 { continue }
          for c in r..<d { p[r * d + c] += ur * u[i * d + c] }
        }
      }
    }
    let scale = 1 / Double(bases.count)
    for i in 0..<(d * d) { p[i] *= scale }
    let eig = try SymmetricEigen(matrix: p, size: d)
    var out = [Float](repeating: 0, count: k * d)
    for i in 0..<k { for c in 0..<d { out[i * d + c] = Float(eig.vectors[i * d + c]) } }
    return out
  }

  static func check(_ rows: [Float], _ k: Int, _ d: Int) throws(HebbianError) {
    guard k >= 0, d >= 1 else { throw .invalidParameter("Subspace: need components >= 0, dimension >= 1") }
    guard rows.count == k * d else {
      throw .dimensionMismatch(what: "Subspace: basis entries (k×d)", expected: k * d, got: rows.count)
    }
  }
}
