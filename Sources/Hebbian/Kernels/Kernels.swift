internal import CHebbian

/// Safe entry points to the dispatched C kernels. Checked variants validate every length
/// against the buffers and throw ``HebbianError/dimensionMismatch(what:expected:got:)``;
/// the `unsafe`-prefixed variants skip the checks for hot loops whose shapes are fixed.
public enum Kernels {
  @inline(__always)
  static func extent(_ n: Int, _ inc: Int) -> Int { n == 0 ? 0 : (n - 1) * inc + 1 }

  @inline(__always)
  static func positive(_ inc: Int, _ what: String) throws(HebbianError) {
    if inc < 1 { throw .invalidParameter("\(what) must be >= 1, got \(inc)") }
  }

  /// Σ x[i·incx] y[i·incy] over n elements.
  public static func dot(
    _ n: Int, _ x: Span<Float>, incx: Int = 1, _ y: Span<Float>, incy: Int = 1
  ) throws(HebbianError) -> Float {
    try positive(incx, "incx")
    try positive(incy, "incy")
    try checkRoom("dot: x elements", extent(n, incx), x.count)
    try checkRoom("dot: y elements", extent(n, incy), y.count)
    return x.withUnsafeBufferPointer { xp in
      y.withUnsafeBufferPointer { yp in
        hb_dot_f32(n, xp.baseAddress, incx, yp.baseAddress, incy)
      }
    }
  }

  /// y += a·x over n elements.
  public static func axpy(
    _ n: Int, _ a: Float, _ x: Span<Float>, incx: Int = 1, _ y: inout MutableSpan<Float>,
    incy: Int = 1
  ) throws(HebbianError) {
    try positive(incx, "incx")
    try positive(incy, "incy")
    try checkRoom("axpy: x elements", extent(n, incx), x.count)
    try checkRoom("axpy: y elements", extent(n, incy), y.count)
    x.withUnsafeBufferPointer { xp in
      y.withUnsafeMutableBufferPointer { yp in
        hb_axpy_f32(n, a, xp.baseAddress, incx, yp.baseAddress, incy)
      }
    }
  }

  /// x *= a over n elements.
  public static func scal(_ n: Int, _ a: Float, _ x: inout MutableSpan<Float>, incx: Int = 1)
    throws(HebbianError)
  {
    try positive(incx, "incx")
    try checkRoom("scal: x elements", extent(n, incx), x.count)
    x.withUnsafeMutableBufferPointer { xp in hb_scal_f32(n, a, xp.baseAddress, incx) }
  }

  /// ‖x‖₂ over n elements.
  public static func nrm2(_ n: Int, _ x: Span<Float>, incx: Int = 1) throws(HebbianError) -> Float {
    try positive(incx, "incx")
    try checkRoom("nrm2: x elements", extent(n, incx), x.count)
    return x.withUnsafeBufferPointer { xp in hb_nrm2_f32(n, xp.baseAddress, incx) }
  }

  /// The checks of a rule step on W (k×d, leading dimension ldw) with input x (d) and
  /// outputs y (k).
  static func ruleShape(
    _ what: String, _ k: Int, _ d: Int, _ ldw: Int, w: Int, x: Int, y: Int
  ) throws(HebbianError) {
    try matrix("\(what): W", k, d, ldw, w)
    try checkRoom("\(what): x elements", d, x)
    try checkRoom("\(what): y elements", k, y)
  }

  /// The base addresses of two read-only spans and a writable one, for one C call.
  @inline(__always)
  static func pointers<R>(
    _ a: Span<Float>, _ b: Span<Float>, _ c: inout MutableSpan<Float>,
    _ body: (UnsafePointer<Float>?, UnsafePointer<Float>?, UnsafeMutablePointer<Float>?) -> R
  ) -> R {
    a.withUnsafeBufferPointer { ap in
      b.withUnsafeBufferPointer { bp in
        c.withUnsafeMutableBufferPointer { cp in
          body(ap.baseAddress, bp.baseAddress, cp.baseAddress)
        }
      }
    }
  }

  /// The base addresses of a read-only span and two writable ones, for one C call.
  @inline(__always)
  static func pointers<R>(
    _ a: Span<Float>, _ b: inout MutableSpan<Float>, _ c: inout MutableSpan<Float>,
    _ body: (UnsafePointer<Float>?, UnsafeMutablePointer<Float>?, UnsafeMutablePointer<Float>?) -> R
  ) -> R {
    a.withUnsafeBufferPointer { ap in
      b.withUnsafeMutableBufferPointer { bp in
        c.withUnsafeMutableBufferPointer { cp in
          body(ap.baseAddress, bp.baseAddress, cp.baseAddress)
        }
      }
    }
  }

  static func matrix(
    _ what: @autoclosure () -> String, _ m: Int, _ n: Int, _ ld: Int, _ count: Int
  ) throws(HebbianError) {
    if ld < n { throw .invalidParameter("\(what()): leading dimension \(ld) < columns \(n)") }
    try checkRoom("\(what()) elements", m == 0 ? 0 : (m - 1) * ld + n, count)
  }

  /// The C signature of both matrix–vector kernels: (m, n, α, A, lda, x, β, y).
  typealias MatrixVectorKernel = @convention(c) (
    Int, Int, Float, UnsafePointer<Float>?, Int, UnsafePointer<Float>?, Float,
    UnsafeMutablePointer<Float>?
  ) -> Void

  /// A matrix–vector product `name` (A m×n, x of `xCount`, y of `yCount` entries): the checks,
  /// then `kernel`. `gemv` and `gemvTransposed` differ only in the kernel and which of m and n
  /// sizes x and y.
  static func matrixVector(
    _ name: String, _ kernel: MatrixVectorKernel, _ m: Int, _ n: Int, _ alpha: Float,
    _ a: Span<Float>, _ lda: Int, _ x: Span<Float>, _ xCount: Int, _ beta: Float,
    _ y: inout MutableSpan<Float>, _ yCount: Int
  ) throws(HebbianError) {
    try matrix("\(name): A", m, n, lda, a.count)
    try checkRoom("\(name): x elements", xCount, x.count)
    try checkRoom("\(name): y elements", yCount, y.count)
    pointers(a, x, &y) { kernel(m, n, alpha, $0, lda, $1, beta, $2) }
  }

  /// y = α A x + β y with A m×n (row-major, leading dimension lda).
  public static func gemv(
    rows m: Int, columns n: Int, alpha: Float = 1, _ a: Span<Float>, lda: Int, _ x: Span<Float>,
    beta: Float = 0, _ y: inout MutableSpan<Float>
  ) throws(HebbianError) {
    try matrixVector("gemv", hb_gemv_f32, m, n, alpha, a, lda, x, n, beta, &y, m)
  }

  /// y = α Aᵀ x + β y with A m×n; x has m entries, y has n.
  public static func gemvTransposed(
    rows m: Int, columns n: Int, alpha: Float = 1, _ a: Span<Float>, lda: Int, _ x: Span<Float>,
    beta: Float = 0, _ y: inout MutableSpan<Float>
  ) throws(HebbianError) {
    try matrixVector("gemv_t", hb_gemv_t_f32, m, n, alpha, a, lda, x, m, beta, &y, n)
  }

  /// A += α x yᵀ with A m×n.
  public static func ger(
    rows m: Int, columns n: Int, alpha: Float, _ x: Span<Float>, _ y: Span<Float>,
    _ a: inout MutableSpan<Float>, lda: Int
  ) throws(HebbianError) {
    try matrix("ger: A", m, n, lda, a.count)
    try checkRoom("ger: x elements", m, x.count)
    try checkRoom("ger: y elements", n, y.count)
    pointers(x, y, &a) { hb_ger_f32(m, n, alpha, $0, $1, $2, lda) }
  }

  /// A += α Xᵀ Y over a mini-batch: X is b×m (ldx), Y is b×n (ldy), A is m×n (lda).
  public static func rankK(
    rows m: Int, columns n: Int, batch b: Int, alpha: Float, _ x: Span<Float>, ldx: Int,
    _ y: Span<Float>, ldy: Int, _ a: inout MutableSpan<Float>, lda: Int
  ) throws(HebbianError) {
    try matrix("rank_k: X", b, m, ldx, x.count)
    try matrix("rank_k: Y", b, n, ldy, y.count)
    try matrix("rank_k: A", m, n, lda, a.count)
    pointers(x, y, &a) { hb_rank_k_f32(m, n, b, alpha, $0, ldx, $1, ldy, $2, lda) }
  }

  // MARK: Fused rule steps

  /// Oja's rule, one neuron: y = w·x, w += η y (x − y w). Returns y.
  public static func ojaStep(eta: Float, _ x: Span<Float>, _ w: inout MutableSpan<Float>)
    throws(HebbianError) -> Float
  {
    try checkRoom("oja: x elements", w.count, x.count)
    return x.withUnsafeBufferPointer { xp in
      w.withUnsafeMutableBufferPointer { wp in
        hb_oja_step_f32(wp.count, eta, xp.baseAddress, wp.baseAddress)
      }
    }
  }

  /// The C signature of the k-neuron rule steps with a rate per row: (k, d, η, x, W, ldw, y).
  typealias RowRateKernel = @convention(c) (
    Int, Int, UnsafePointer<Float>?, UnsafePointer<Float>?, UnsafeMutablePointer<Float>?, Int,
    UnsafeMutablePointer<Float>?
  ) -> Void

  /// A k-neuron rule step `name` (W k×d with leading dimension ldw, a rate per row): the
  /// checks, then `kernel`. The subspace rule and GHA differ only in the kernel.
  static func rowRateStep(
    _ name: String, _ kernel: RowRateKernel, _ k: Int, _ d: Int, _ eta: Span<Float>,
    _ x: Span<Float>, _ w: inout MutableSpan<Float>, _ ldw: Int, _ y: inout MutableSpan<Float>
  ) throws(HebbianError) {
    try ruleShape(name, k, d, ldw, w: w.count, x: x.count, y: y.count)
    try checkRoom("\(name): rates", k, eta.count)
    eta.withUnsafeBufferPointer { e in
      pointers(x, &w, &y) { kernel(k, d, e.baseAddress, $0, $1, ldw, $2) }
    }
  }

  /// Oja's subspace rule on W (k×d, leading dimension ldw), row i at rate eta[i]; writes
  /// y = W x (old W).
  public static func subspaceStep(
    components k: Int, dimension d: Int, eta: Span<Float>, _ x: Span<Float>,
    _ w: inout MutableSpan<Float>, ldw: Int, _ y: inout MutableSpan<Float>
  ) throws(HebbianError) {
    try rowRateStep("subspace", hb_subspace_step_f32, k, d, eta, x, &w, ldw, &y)
  }

  /// Sanger's GHA on W (k×d, leading dimension ldw), row i at rate eta[i]; writes y = W x
  /// (old W).
  public static func ghaStep(
    components k: Int, dimension d: Int, eta: Span<Float>, _ x: Span<Float>,
    _ w: inout MutableSpan<Float>, ldw: Int, _ y: inout MutableSpan<Float>
  ) throws(HebbianError) {
    try rowRateStep("gha", hb_gha_step_f32, k, d, eta, x, &w, ldw, &y)
  }

  // MARK: Unchecked entry points for hot loops with fixed shapes

  @inline(__always)
  static func unsafeDot(
    _ n: Int, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>
  ) -> Float { hb_dot_f32(n, x, 1, y, 1) }

  @inline(__always)
  static func unsafeAxpy(
    _ n: Int, _ a: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>
  ) { hb_axpy_f32(n, a, x, 1, y, 1) }

  @inline(__always)
  static func unsafeGemv(
    rows m: Int, columns n: Int, alpha: Float = 1, _ a: UnsafePointer<Float>, lda: Int,
    _ x: UnsafePointer<Float>, beta: Float = 0, _ y: UnsafeMutablePointer<Float>
  ) { hb_gemv_f32(m, n, alpha, a, lda, x, beta, y) }

  @inline(__always)
  static func unsafeGemvTransposed(
    rows m: Int, columns n: Int, alpha: Float = 1, _ a: UnsafePointer<Float>, lda: Int,
    _ x: UnsafePointer<Float>, beta: Float = 0, _ y: UnsafeMutablePointer<Float>
  ) { hb_gemv_t_f32(m, n, alpha, a, lda, x, beta, y) }

  @inline(__always)
  static func unsafeGer(
    rows m: Int, columns n: Int, alpha: Float, _ x: UnsafePointer<Float>,
    _ y: UnsafePointer<Float>, _ a: UnsafeMutablePointer<Float>, lda: Int
  ) { hb_ger_f32(m, n, alpha, x, y, a, lda) }

  @inline(__always)
  static func unsafeRankK(
    rows m: Int, columns n: Int, batch b: Int, alpha: Float, _ x: UnsafePointer<Float>,
    ldx: Int, _ y: UnsafePointer<Float>, ldy: Int, _ a: UnsafeMutablePointer<Float>, lda: Int
  ) { hb_rank_k_f32(m, n, b, alpha, x, ldx, y, ldy, a, lda) }

  @inline(__always)
  static func unsafeOjaStep(
    dimension d: Int, eta: Float, _ x: UnsafePointer<Float>, _ w: UnsafeMutablePointer<Float>
  ) -> Float { hb_oja_step_f32(d, eta, x, w) }

  @inline(__always)
  static func unsafeSubspaceStep(
    components k: Int, dimension d: Int, eta: UnsafePointer<Float>, _ x: UnsafePointer<Float>,
    _ w: UnsafeMutablePointer<Float>, ldw: Int, _ y: UnsafeMutablePointer<Float>
  ) { hb_subspace_step_f32(k, d, eta, x, w, ldw, y) }

  @inline(__always)
  static func unsafeGhaStep(
    components k: Int, dimension d: Int, eta: UnsafePointer<Float>, _ x: UnsafePointer<Float>,
    _ w: UnsafeMutablePointer<Float>, ldw: Int, _ y: UnsafeMutablePointer<Float>
  ) { hb_gha_step_f32(k, d, eta, x, w, ldw, y) }
}
