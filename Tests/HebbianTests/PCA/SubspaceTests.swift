import Testing

@testable import Hebbian

@Suite struct SubspaceTests {
  /// A = Qᵀ diag(λ) Q with a seeded random orthogonal Q: the eigensolver must return λ in
  /// decreasing order and Q's rows (up to sign). Jacobi in Double is accurate to ~1e-14·‖A‖;
  /// 1e-10 leaves room for n = 12.
  @Test func jacobiRecoversAKnownSpectrum() throws {
    let n = 12
    var rng = SeededGenerator(seed: 21)
    var g = [Double](repeating: 0, count: n * n)
    for i in 0..<g.count { g[i] = rng.gaussian() }
    let q = Subspace.orthonormalizedDouble(g, n, n)
    let lambdas: [Double] = (0..<n).map { 10 - 0.75 * Double($0) }  // 10 … 1.75, distinct
    var a = [Double](repeating: 0, count: n * n)
    for r in 0..<n {
      for c in 0..<n {
        var s = 0.0
        for i in 0..<n { s += q[i * n + r] * lambdas[i] * q[i * n + c] }
        a[r * n + c] = s
      }
    }
    let eig = try SymmetricEigen(matrix: a, size: n)
    for i in 0..<n {
      #expect(abs(eig.values[i] - lambdas[i]) < 1e-10)
      var dot = 0.0
      for c in 0..<n { dot += eig.vectors[i * n + c] * q[i * n + c] }
      #expect(abs(abs(dot) - 1) < 1e-10)
    }
    #expect(throws: HebbianError.self) { try SymmetricEigen(matrix: [1, 2, 3], size: 2) }
  }

  @Test func subspaceErrorAndOrthonormalityHaveTheirDefinedValues() throws {
    // e1,e2 vs e1,e3 in R^3: UUᵀ − VVᵀ = diag(0, 1, −1): ‖·‖² = 2, ‖VVᵀ‖² = 2 → 1.
    let u: [Float] = [1, 0, 0, 0, 1, 0]
    let v: [Float] = [1, 0, 0, 0, 0, 1]
    #expect(abs(try Subspace.error(u, components: 2, reference: v, components: 2, dimension: 3) - 1) < 1e-12)
    // The same plane given by another (non-orthonormal) basis: error 0 to rounding.
    let w: [Float] = [2, 1, 0, 1, -3, 0]
    #expect(try Subspace.error(w, components: 2, reference: u, components: 2, dimension: 3) < 1e-12)
    // ‖WWᵀ − I‖_F of rows (2,0,0) and (0,1,0): |4 − 1| = 3.
    #expect(abs(try Subspace.orthonormalityError([2, 0, 0, 0, 1, 0], components: 2, dimension: 3) - 3) < 1e-12)
    let q = try Subspace.orthonormalized(w, components: 2, dimension: 3)
    #expect(try Subspace.orthonormalityError(q, components: 2, dimension: 3) < 1e-6)
    // Gram–Schmidt keeps the first row's direction.
    #expect(abs(q[0] - 2 / Float(5).squareRoot()) < 1e-6)
  }

  /// Three boards learn noisy copies of the same 3-dimensional subspace of R^20; merging their
  /// projection operators lands closer to the truth than the average board.
  @Test func mergingBoardsAveragesProjections() throws {
    let d = 20
    let k = 3
    var rng = SeededGenerator(seed: 77)
    var g = [Double](repeating: 0, count: k * d)
    for i in 0..<g.count { g[i] = rng.gaussian() }
    let truth = Subspace.orthonormalizedDouble(g, k, d).map { Float($0) }
    var boards: [[Float]] = []
    var meanError = 0.0
    for _ in 0..<3 {
      var b = truth
      for i in 0..<b.count { b[i] += Float(0.05 * rng.gaussian()) }
      meanError += try Subspace.error(b, components: k, reference: truth, components: k, dimension: d) / 3
      boards.append(b)
    }
    let merged = try Subspace.merge(boards, components: k, dimension: d)
    let e = try Subspace.error(merged, components: k, reference: truth, components: k, dimension: d)
    // Independent perturbations average out: ~1/3 of the boards' error in expectation; 0.6
    // allows for the three-sample spread.
    #expect(e < 0.6 * meanError, "merged \(e) vs boards \(meanError)")
    #expect(try Subspace.orthonormalityError(merged, components: k, dimension: d) < 1e-5)
    // Merging identical bases returns that subspace.
    let same = try Subspace.merge([truth, truth], components: k, dimension: d)
    #expect(try Subspace.error(same, components: k, reference: truth, components: k, dimension: d) < 1e-10)
    #expect(throws: HebbianError.self) { try Subspace.merge([], components: k, dimension: d) }
  }
}
