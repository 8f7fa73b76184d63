@testable import Hebbian

/// A seeded Gaussian stream with a known covariance: x = Σ_{i<r} √λ_i g_i v_i + σ n, with
/// orthonormal v_i (random, from the seed) and isotropic noise σ². Its eigenvalues are
/// λ_i + σ² along v_i and σ² elsewhere, so the top-k subspace and its order are known exactly.
struct SpikedStream {
  let dimension: Int
  let lambdas: [Double]
  let sigma: Double
  /// The true eigenvectors as rows (r×d, Float, row-major).
  var basis: [Float]
  var rng: SeededGenerator
  var scratch: [Double]

  init(dimension d: Int, lambdas: [Double], sigma: Double, seed: UInt64) {
    dimension = d
    self.lambdas = lambdas
    self.sigma = sigma
    rng = SeededGenerator(seed: seed)
    var rows = [Double](repeating: 0, count: lambdas.count * d)
    for i in 0..<rows.count { rows[i] = rng.gaussian() }
    basis = Subspace.orthonormalizedDouble(rows, lambdas.count, d).map { Float($0) }
    scratch = [Double](repeating: 0, count: d)
  }

  /// The standard spectrum of the tests: λ_i = 1 + 0.5 (k − i) for the top k (gaps of 0.5,
  /// relative gap ≥ 0.5/(1 + 0.5k)), plus noise σ² = 0.04 in every direction.
  init(dimension d: Int, components k: Int, seed: UInt64) {
    var l: [Double] = []
    for i in 0..<k { l.append(1 + 0.5 * Double(k - i)) }
    self.init(dimension: d, lambdas: l, sigma: 0.2, seed: seed)
  }

  /// The top `k` true eigenvectors (rows).
  func top(_ k: Int) -> [Float] { Array(basis[0..<(k * dimension)]) }

  mutating func next(into x: inout [Float]) {
    let d = dimension
    for j in 0..<d { scratch[j] = sigma * rng.gaussian() }
    for i in 0..<lambdas.count {
      let a = lambdas[i].squareRoot() * rng.gaussian()
      for j in 0..<d { scratch[j] += a * Double(basis[i * d + j]) }
    }
    for j in 0..<d { x[j] = Float(scratch[j]) }
  }
}

/// Streams `n` samples of `stream` through `pca`.
func feed(_ pca: inout OnlinePCA, _ stream: inout SpikedStream, samples n: Int, offset: [Float]? = nil) {
  var x = [Float](repeating: 0, count: stream.dimension)
  for _ in 0..<n {
    stream.next(into: &x)
    if let o = offset { for j in 0..<x.count { x[j] += o[j] } }
    try! pca.update(x.span)
  }
}
