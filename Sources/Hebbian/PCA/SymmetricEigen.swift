/// Eigendecomposition of a small real symmetric matrix by the cyclic Jacobi method, in
/// Double. Off the hot path: it is the independent check the tests compare the online rules
/// against, and the last step of ``Subspace/merge(_:components:dimension:)``.
///
/// Each rotation zeroes one off-diagonal pair; a sweep over all pairs reduces the off-diagonal
/// mass quadratically once it is small, so a handful of sweeps reach machine precision for
/// the sizes used here (n up to a few hundred).
public struct SymmetricEigen {
  /// Eigenvalues, largest first.
  public let values: [Double]
  /// Eigenvectors as rows (n×n, row-major), row i belonging to `values[i]`; unit length.
  public let vectors: [Double]
  public let size: Int

  /// `matrix` is n×n row-major and must be symmetric (only the upper triangle is read).
  public init(matrix: [Double], size n: Int) throws(HebbianError) {
    guard n >= 1, matrix.count == n * n else {
      throw .dimensionMismatch(what: "SymmetricEigen: matrix entries", expected: n * n, got: matrix.count)
    }
    var a = matrix
    for i in 0..<n { for j in 0..<i { a[i * n + j] = a[j * n + i] } }
    for v in a where !v.isFinite { throw .nonFinite(index: 0) }
    // v accumulates the rotations: columns are eigenvectors.
    var v = [Double](repeating: 0, count: n * n)
    for i in 0..<n { v[i * n + i] = 1 }
    var scale = 0.0
    for x in a { scale = Swift.max(scale, Swift.abs(x)) }
    if scale > 0 {
      for _ in 0..<100 {
        var off = 0.0
        for p in 0..<n { for q in (p + 1)..<n { off += a[p * n + q] * a[p * n + q] } }
        if off <= (1e-30 * scale * scale) { break }
        for p in 0..<n - 1 {
          for q in (p + 1)..<n {
            let apq = a[p * n + q]
            if apq == 0 { continue }
            // Rotation angle from cot 2θ = (a_qq - a_pp) / (2 a_pq); the smaller root keeps
            // the rotation below π/4, which is what makes the cyclic sweep converge.
            let theta = (a[q * n + q] - a[p * n + p]) / (2 * apq)
            let t = (theta >= 0 ? 1.0 : -1.0) / (Swift.abs(theta) + (theta * theta + 1).squareRoot())
            let c = 1 / (t * t + 1).squareRoot()
            let s = t * c
            for k in 0..<n {
              let akp = a[k * n + p]
              let akq = a[k * n + q]
              a[k * n + p] = c * akp - s * akq
              a[k * n + q] = s * akp + c * akq
            }
            for k in 0..<n {
              let apk = a[p * n + k]
              let aqk = a[q * n + k]
              a[p * n + k] = c * apk - s * aqk
              a[q * n + k] = s * apk + c * aqk
            }
            for k in 0..<n {
              let vkp = v[k * n + p]
              let vkq = v[k * n + q]
              v[k * n + p] = c * vkp - s * vkq
              v[k * n + q] = s * vkp + c * vkq
            }
          }
        }
      }
    }
    var order = Array(0..<n)
    order.sort { a[$0 * n + $0] > a[$1 * n + $1] }
    var values = [Double](repeating: 0, count: n)
    var vectors = [Double](repeating: 0, count: n * n)
    for (r, i) in order.enumerated() {
      values[r] = a[i * n + i]
      for k in 0..<n { vectors[r * n + k] = v[k * n + i] }
    }
    self.values = values
    self.vectors = vectors
    self.size = n
  }

  /// Row i of ``vectors``.
  public func vector(_ i: Int) -> [Double] { Array(vectors[(i * size)..<((i + 1) * size)]) }
}
