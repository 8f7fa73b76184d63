/// Candid covariance-free incremental PCA (Weng, Zhang & Hwang 2003).
extension OnlinePCA {
  /// CCIPCA (Weng, Zhang & Hwang 2003), for i = 1…k with u₁ = x:
  ///   v_i ← (1−ρ) v_i + ρ (u_i·v̂_i) u_i,   ρ = max((1+l)/t, floor),
  ///   u_{i+1} = u_i − (u_i·v̂_i) v̂_i,
  /// with l the amnesic parameter; ‖v_i‖ estimates λ_i. u is deflated in the xc scratch.
  @inline(__always)
  mutating func ccipcaStep(_ x: UnsafePointer<Float>) {
    let k = componentCount
    let d = dimension
    let t = Float(samplesSeen)
    // Weng et al. start v_i from the i-th sample; starting from a random orthonormal v_i
    // instead, ρ ≤ ½ keeps half of it through the first samples, so the deflated residual of
    // sample 1 (zero along v₁) cannot wipe out v₂…v_k.
    let rho = Swift.min(Swift.max((1 + amnesia) / t, learningRate.floor), 0.5)
    let xc = self.xc.base
    if x != UnsafePointer(xc) { xc.update(from: x, count: d) }
    for i in 0..<k {
      let v = w.at(i * d)
      let n0 = Kernels.unsafeDot(d, v, v).squareRoot()
      if n0 == 0 {
        // Lost (e.g. restored from a zero state): restart from the residual, as Weng et al. do.
        v.update(from: xc, count: d)
        y[i] = 0
        continue
      }
      let proj = Kernels.unsafeDot(d, xc, v) / n0
      y[i] = proj
      Self.scale(d, 1 - rho, v)
      Kernels.unsafeAxpy(d, rho * proj, xc, v)
      let n1 = Kernels.unsafeDot(d, v, v).squareRoot()
      if n1 == 0 { continue }
      let q = Kernels.unsafeDot(d, xc, v) / n1
      Kernels.unsafeAxpy(d, -q / n1, v, xc)
    }
  }
}
