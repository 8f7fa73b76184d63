internal import CHebbian

extension Kernels {
  /// Packs the signs of n floats into ⌈n/64⌉ words: bit j set where `x[j]` is negative (its
  /// sign bit), padding bits zero.
  @inline(__always)
  static func unsafePackSigns(
    _ n: Int, _ x: UnsafePointer<Float>, _ bits: UnsafeMutablePointer<UInt64>
  ) { hb_pack_signs_u64(n, x, bits) }

  /// Overlaps m_μ = n − 2·popcount(ξ^μ ⊕ s) of a packed ±1 state with p packed patterns
  /// (row μ at `xi + μ·ldxi` words). Exact integers.
  @inline(__always)
  static func unsafeBitOverlap(
    patterns p: Int, bits n: Int, _ xi: UnsafePointer<UInt64>, ldxi: Int,
    _ s: UnsafePointer<UInt64>, _ m: UnsafeMutablePointer<Float>
  ) { hb_bit_overlap_f32(p, n, xi, ldxi, s, m) }

  /// y = softmax(β x), max-subtracted; returns log Σ exp(β x). `y` may alias `x`.
  @inline(__always)
  static func unsafeSoftmax(
    _ n: Int, beta: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>
  ) -> Float { hb_softmax_f32(n, beta, x, y) }

  /// y = softmax(β x) (stable: the largest term is exactly 1 before normalisation). Returns
  /// the log-partition log Σ_i exp(β x_i).
  public static func softmax(beta: Float, _ x: Span<Float>, _ y: inout MutableSpan<Float>)
    throws(HebbianError) -> Float
  {
    if x.count < 1 { throw .invalidParameter("softmax: needs at least one entry") }
    try checkRoom("softmax: y elements", x.count, y.count)
    return x.withUnsafeBufferPointer { xp in
      y.withUnsafeMutableBufferPointer { yp in
        hb_softmax_f32(xp.count, beta, xp.baseAddress!, yp.baseAddress!)
      }
    }
  }
}
