/// Similarity matching (Pehlevan & Chklovskii) and its fast Sherman–Morrison form
/// (Giovannucci et al. 2018).
extension OnlinePCA {
  /// Pehlevan–Chklovskii: y = (I+M)⁻¹ W x; per neuron η_i = α/Ŷ_i with Ŷ_i the running ⟨y_i²⟩
  /// (with α = 1/t this is exactly their 1/Σ_t y_i²), clipped to 1/‖x‖²;
  ///   W_i += η_i y_i (x − W_i y_i),   M_ij += η_i y_i (y_j − M_ij y_i)  (i ≠ j).
  @inline(__always)
  mutating func similarityStep(_ x: UnsafePointer<Float>, _ p: Float, _ alpha: Float, _ beta: Float)
  {
    let k = componentCount
    let d = dimension
    Kernels.unsafeGemv(rows: k, columns: d, w.base, lda: d, x, u.base)
    lateral.factor(identityPlus: m)
    lateral.solve(u, into: &y)
    guard p >= Float(Self.squaredNormRange.lowerBound) else { return }
    let (power, y, m) = (self.power.base, self.y.base, self.m.base)
    for i in 0..<k { power[i] += beta * (y[i] * y[i] - power[i]) }
    for i in 0..<k {
      let yi = y[i]
      if yi == 0 || power[i] <= 0 { continue }
      let eta = Swift.min(alpha / power[i], 1 / p)
      let row = w.at(i * d)
      // W_i ← (1 − η y_i²) W_i + η y_i x
      Self.scale(d, 1 - eta * yi * yi, row)
      Kernels.unsafeAxpy(d, eta * yi, x, row)
      for j in 0..<k where j != i {
        m[i * k + j] += eta * yi * (y[j] - m[i * k + j] * yi)
      }
    }
  }

  /// Fast similarity matching: y = M⁻¹ W x;  W ← (1−ρ) W + ρ y xᵀ;  M ← (1−s) M + s y yᵀ with
  /// s = ρ/(2τ), applied to M⁻¹ by Sherman–Morrison:
  ///   M⁻¹ ← A − (s/(1 + s yᵀAy)) (Ay)(Ay)ᵀ,  A = M⁻¹/(1 − s).
  /// W and M are running averages of y xᵀ and y yᵀ, scale-equivariant by construction, so the
  /// schedule's α is used directly as the averaging weight ρ (clamped to ½).
  @inline(__always)
  mutating func fastSimilarityStep(_ x: UnsafePointer<Float>, _ alpha: Float) {
    let k = componentCount
    let d = dimension
    Kernels.unsafeGemv(rows: k, columns: d, w.base, lda: d, x, u.base)
    Kernels.unsafeGemv(rows: k, columns: k, m.base, lda: k, u.base, y.base)
    let rho = Swift.min(alpha, 0.5)
    let s = Swift.min(rho / (2 * lateralTimeScale), 0.5)
    Self.scale(k * d, 1 - rho, w.base)
    Kernels.unsafeGer(rows: k, columns: d, alpha: rho, y.base, x, w.base, lda: d)
    let a = 1 / (1 - s)
    Self.scale(k * k, a, m.base)
    Kernels.unsafeGemv(rows: k, columns: k, m.base, lda: k, y.base, z.base)
    let c = s / (1 + s * Kernels.unsafeDot(k, z.base, y.base))
    Kernels.unsafeGer(rows: k, columns: k, alpha: -c, z.base, z.base, m.base, lda: k)
    // M⁻¹ is symmetric in exact arithmetic, but rounding in the rank-1 updates is not, and the
    // antisymmetric part is not damped by the updates (they only act along z): mirror it away.
    let m = self.m.base
    for i in 0..<k {
      for j in (i + 1)..<k {
        let v = 0.5 * (m[i * k + j] + m[j * k + i])
        m[i * k + j] = v
        m[j * k + i] = v
      }
    }
  }

}
