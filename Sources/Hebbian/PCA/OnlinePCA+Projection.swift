/// What a learner gives back: projections, filters and diagnostics.
extension OnlinePCA {
  // MARK: Using the learned components

  /// The learner's own outputs for one sample: y = F (x − mean), F the effective filters
  /// as they stand (``components(orthonormalized:)`` without orthonormalising: W's raw rows
  /// for Oja, subspace and GHA). These equal the deployed scores only once the filters are
  /// orthonormal; the scores `hebbian apply` prints, and the residual, come from
  /// ``basis`` (``PCABasis/score(_:into:)``). Never allocates.
  public mutating func project(_ x: Span<Float>, into out: inout MutableSpan<Float>) throws(HebbianError) {
    try checkShape("OnlinePCA.project: sample values", dimension, x.count)
    try checkRoom("OnlinePCA.project: output values", componentCount, out.count)
    try x.withUnsafeBufferPointer { (xp) throws(HebbianError) in
      for j in 0..<dimension where !xp[j].isFinite { throw .nonFinite(index: j) }
      out.withUnsafeMutableBufferPointer { op in
        unsafeProject(xp.baseAddress!, into: op.baseAddress!)
      }
    }
  }

  /// ``project(_:into:)`` without the checks.
  package mutating func unsafeProject(_ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>) {
    let k = componentCount
    let d = dimension
    let (w, m, u, z, xc) = (self.w.base, self.m.base, self.u.base, self.z.base, self.xc.base)
    var xp = x
    if centering {
      for j in 0..<d { xc[j] = x[j] - mean[j] }
      xp = UnsafePointer(xc)
    }
    switch rule {
    case .oja, .subspace, .gha:
      Kernels.unsafeGemv(rows: k, columns: d, w, lda: d, xp, out)
    case .similarityMatching:
      Kernels.unsafeGemv(rows: k, columns: d, w, lda: d, xp, u)
      // (I + M) is factored afresh: M changes every step.
      lateral.factor(identityPlus: self.m)
      lateral.solve(self.u, into: &self.z)
      out.update(from: z, count: k)
    case .fastSimilarityMatching:
      Kernels.unsafeGemv(rows: k, columns: d, w, lda: d, xp, u)
      Kernels.unsafeGemv(rows: k, columns: k, m, lda: k, u, out)
    case .ccipca:
      Kernels.unsafeGemv(rows: k, columns: d, w, lda: d, xp, out)
      for i in 0..<k {
        let n = Kernels.unsafeDot(d, w + i * d, w + i * d).squareRoot()
        out[i] = n > 0 ? out[i] / n : 0
      }
    }
  }

  /// The effective filters F (k×d, row-major) with y = F x: W for Oja, subspace and GHA;
  /// (I+M)⁻¹W for similarity matching; M⁻¹W for fast similarity matching; the unit v_i for
  /// CCIPCA. With `orthonormalized`, a modified Gram–Schmidt copy (rows kept in order).
  /// Allocates the result.
  public func components(orthonormalized: Bool = false) -> [Float] {
    let k = componentCount
    let d = dimension
    let w = self.w.base
    var f = [Float](repeating: 0, count: k * d)
    f.withUnsafeMutableBufferPointer { fp in
      let out = fp.baseAddress!
      switch rule {
      case .oja, .subspace, .gha:
        out.update(from: w, count: k * d)
      case .similarityMatching:
        // Factors of its own: reading the components leaves the learner's solver untouched.
        var lu = LUSolver(size: k)
        lu.factor(identityPlus: m)
        var col = OwnedBuffer<Float>(count: k)
        var res = OwnedBuffer<Float>(count: k)
        for c in 0..<d {
          for i in 0..<k { col[i] = w[i * d + c] }
          lu.solve(col, into: &res)
          for i in 0..<k { out[i * d + c] = res[i] }
        }
      case .fastSimilarityMatching:
        for i in 0..<k {
          for j in 0..<k { Kernels.unsafeAxpy(d, m[i * k + j], w + j * d, out + i * d) }
        }
      case .ccipca:
        out.update(from: w, count: k * d)
        for i in 0..<k {
          let n = Kernels.unsafeDot(d, w + i * d, w + i * d).squareRoot()
          if n > 0 { for c in 0..<d { out[i * d + c] /= n } }
        }
      }
    }
    if orthonormalized {
      return Subspace.orthonormalizedDouble(f.map { Double($0) }, k, d).map { Float($0) }
    }
    return f
  }

  /// The outputs of the last update.
  public var lastOutput: [Float] { y.toArray() }

  // MARK: Diagnostics

  /// ‖FFᵀ − I‖_F of the effective filters: 0 when they are orthonormal, which every rule here
  /// reaches at convergence.
  public func orthonormalityError() -> Double {
    let f = components()
    return f.withUnsafeBufferPointer {
      Subspace.orthonormalityError($0.baseAddress!, componentCount, dimension)
    }
  }

  /// Subspace error ‖UUᵀ − VVᵀ‖²_F / ‖VVᵀ‖²_F against a reference basis (rows, kv×d).
  public func subspaceError(reference: [Float], components kv: Int) throws(HebbianError) -> Double {
    try Subspace.error(
      components(), components: componentCount, reference: reference, components: kv,
      dimension: dimension)
  }

  /// A running estimate of the fraction of the input variance the k outputs carry:
  /// Σ⟨y_i²⟩ / ⟨‖x − mean‖²⟩ over the averaging window. The outputs were computed by filters
  /// that were still moving towards each sample, so it can exceed what any fixed subspace
  /// holds; the saved basis' actual share is ``PCABasis/Statistics/explainedVariance``.
  public var explainedVariance: Double {
    guard inputPower > 0 else { return 0 }
    var s = 0.0
    for i in 0..<componentCount { s += Double(power[i]) }
    return Swift.min(1, s / Double(inputPower))
  }

}
