/// Online principal component / principal subspace analysis of a stream, one sample (or one
/// mini-batch) at a time, with a fixed memory footprint.
///
/// ```swift
/// var pca = try OnlinePCA(dimension: 6, components: 2, rule: .gha)
/// for x in samples { try pca.update(x.span) }
/// let w = pca.components(orthonormalized: true)   // 2×6, row-major
/// ```
///
/// All buffers are allocated in `init`; ``update(_:)``, ``update(batch:)`` and
/// ``project(_:into:)`` never allocate. Not thread-safe: `project` uses the learner's scratch.
public struct OnlinePCA: ~Copyable {
  /// The learning rule.
  public enum Rule: Int, Sendable, Equatable, CaseIterable {
    /// Oja (1982): one neuron, y = w·x, Δw = η y (x − y w). Requires `components == 1`.
    case oja = 0
    /// Oja's subspace rule (1989): ΔW = η (y xᵀ − y yᵀ W). Spans the top-k subspace, rows in
    /// no particular order.
    case subspace = 1
    /// Sanger's generalised Hebbian algorithm (1989): ΔW = η (y xᵀ − LT(y yᵀ) W). Ordered
    /// eigenvectors.
    case gha = 2
    /// Pehlevan & Chklovskii similarity matching: Hebbian W, anti-Hebbian lateral M (zero
    /// diagonal), y = (I+M)⁻¹ W x.
    case similarityMatching = 3
    /// Fast similarity matching (Giovannucci et al. 2018): M⁻¹ kept by Sherman–Morrison
    /// updates, O(kd + k²) per sample.
    case fastSimilarityMatching = 4
    /// Candid covariance-free incremental PCA (Weng, Zhang & Hwang 2003): the non-Hebbian
    /// baseline. Ordered eigenvectors and eigenvalue estimates.
    case ccipca = 5

    /// The name used on the command line.
    public var name: String {
      switch self {
      case .oja: return "oja"
      case .subspace: return "subspace"
      case .gha: return "gha"
      case .similarityMatching: return "similarity"
      case .fastSimilarityMatching: return "fsm"
      case .ccipca: return "ccipca"
      }
    }

    public init?(name: String) {
      // Bytes, not String ==: canonical equivalence would link the Unicode tables.
      for r in Rule.allCases where r.name.utf8.elementsEqual(name.utf8) {
        self = r
        return
      }
      return nil
    }

    /// Whether the learned components come out ordered by decreasing variance.
    public var isOrdered: Bool { self == .oja || self == .gha || self == .ccipca }
  }

  public let dimension: Int
  public let components: Int
  public let rule: Rule
  public let learningRate: LearningRate
  /// Subtract a running mean from each sample before learning.
  public let centering: Bool
  public let seed: UInt64
  /// Largest mini-batch ``update(batch:)`` accepts (its scratch is sized at init).
  public let maxBatch: Int
  /// CCIPCA's amnesic parameter l (Weng et al. suggest 2–4): weights recent samples more.
  public let amnesia: Float
  /// Fast similarity matching: M learns at rate α/τ (τ = ½ in Giovannucci et al.).
  public let lateralTimeScale: Float

  /// Samples learned from so far: 64 bits on every platform, so a 1 kHz stream on a 32-bit
  /// board counts for 292 million years.
  public internal(set) var samplesSeen: Int64 = 0
  /// Running mean of ‖x − mean‖²: the input power.
  public internal(set) var inputPower: Float = 0

  // Learned state, row-major. w: W (k×d) — for CCIPCA the unnormalised v_i whose norms are the
  // eigenvalue estimates. m: similarity matching's M (zero diagonal), fast similarity
  // matching's M⁻¹ (symmetric), unused otherwise (k×k). power: running ⟨y_i²⟩ (k). mean (d).
  let w: UnsafeMutablePointer<Float>
  let m: UnsafeMutablePointer<Float>
  let power: UnsafeMutablePointer<Float>
  let mean: UnsafeMutablePointer<Float>
  // Scratch.
  let xc: UnsafeMutablePointer<Float>  // d: centred sample
  let y: UnsafeMutablePointer<Float>  // k: outputs
  let u: UnsafeMutablePointer<Float>  // k: W x before the lateral solve
  let z: UnsafeMutablePointer<Float>  // k: Sherman–Morrison vector, norms
  let lu: UnsafeMutablePointer<Float>  // k×k: LU factors of I + M
  let pivot: UnsafeMutablePointer<Int>  // k
  let xb: UnsafeMutablePointer<Float>  // maxBatch×d: centred batch
  let yb: UnsafeMutablePointer<Float>  // maxBatch×k: batch outputs
  let w0: UnsafeMutablePointer<Float>  // k×d: W before a batch step
  let g: UnsafeMutablePointer<Float>  // k×k: Yᵀ Y of a batch
  let backup: UnsafeMutablePointer<Float>  // k×d + k×k + k + d: state before a guarded update

  /// Creates a learner with W initialised to k random orthonormal rows drawn from `seed`.
  public init(
    dimension: Int, components: Int, rule: Rule, learningRate: LearningRate = .standard,
    centering: Bool = false, seed: UInt64 = 0x5EED_0F_0A1A, maxBatch: Int = 64,
    amnesia: Float = 2, lateralTimeScale: Float = 0.5
  ) throws(HebbianError) {
    guard dimension >= 1, dimension <= Self.maxDimension else {
      throw .invalidParameter(
        "OnlinePCA: dimension must be in 1...\(Self.maxDimension), got \(dimension)")
    }
    guard components >= 1, components <= dimension else {
      throw .invalidParameter(
        "OnlinePCA: components must be in 1...\(dimension) (the dimension), got \(components)")
    }
    if rule == .oja && components != 1 {
      throw .invalidParameter(
        "OnlinePCA: the oja rule learns one component; use gha or subspace for \(components)")
    }
    guard maxBatch >= 1 else { throw .invalidParameter("OnlinePCA: maxBatch must be >= 1") }
    guard
      let bytes = Self.bytesNeeded(
        dimension: dimension, components: components, maxBatch: maxBatch),
      bytes <= Int64(Self.memoryBudget)
    else {
      throw .invalidParameter(
        "OnlinePCA: \(components) components of dimension \(dimension) with maxBatch \(maxBatch) need "
          + Self.describe(
            Self.bytesNeeded(dimension: dimension, components: components, maxBatch: maxBatch))
          + ", above the memory budget of \(Self.memoryBudget >> 20) MiB")
    }
    guard amnesia >= 0, amnesia.isFinite else {
      throw .invalidParameter("OnlinePCA: amnesia must be >= 0")
    }
    guard lateralTimeScale > 0, lateralTimeScale.isFinite else {
      throw .invalidParameter("OnlinePCA: lateralTimeScale must be > 0")
    }
    try learningRate.validate()
    let d = dimension
    let k = components
    self.dimension = d
    self.components = k
    self.rule = rule
    self.learningRate = learningRate
    self.centering = centering
    self.seed = seed
    self.maxBatch = maxBatch
    self.amnesia = amnesia
    self.lateralTimeScale = lateralTimeScale
    func zeros(_ n: Int) -> UnsafeMutablePointer<Float> {
      let p = UnsafeMutablePointer<Float>.allocate(capacity: Swift.max(n, 1))
      p.initialize(repeating: 0, count: Swift.max(n, 1))
      return p
    }
    w = zeros(k * d)
    m = zeros(k * k)
    power = zeros(k)
    mean = zeros(d)
    xc = zeros(d)
    y = zeros(k)
    u = zeros(k)
    z = zeros(k)
    lu = zeros(k * k)
    pivot = .allocate(capacity: k)
    pivot.initialize(repeating: 0, count: k)
    xb = zeros(maxBatch * d)
    yb = zeros(maxBatch * k)
    w0 = zeros(k * d)
    g = zeros(k * k)
    backup = zeros(k * d + k * k + k + d)
    OnlinePCA.randomOrthonormalRows(w, k, d, seed: seed)
    resetLateral()
  }

  deinit {
    for p in [w, m, power, mean, xc, y, u, z, lu, xb, yb, w0, g, backup] { p.deallocate() }
    pivot.deallocate()
  }

  func resetLateral() {
    let k = components
    m.update(repeating: 0, count: k * k)
    // Fast similarity matching starts from M = I (so M⁻¹ = I); similarity matching from M = 0.
    if rule == .fastSimilarityMatching { for i in 0..<k { m[i * k + i] = 1 } }
  }

  /// k random orthonormal rows from `seed` (Gaussian rows, then Gram–Schmidt): a uniformly
  /// random starting subspace, reproducible on every platform.
  static func randomOrthonormalRows(
    _ w: UnsafeMutablePointer<Float>, _ k: Int, _ d: Int, seed: UInt64
  ) {
    var rng = SeededGenerator(seed: seed)
    var rows = [Double](repeating: 0, count: k * d)
    for i in 0..<(k * d) { rows[i] = rng.gaussian() }
    let q = Subspace.orthonormalizedDouble(rows, k, d)
    for i in 0..<(k * d) { w[i] = Float(q[i]) }
  }

  // MARK: Learning

  /// Learns from one sample of ``dimension`` values. Throws on a wrong length or a non-finite
  /// value; the learner is then unchanged.
  public mutating func update(_ x: Span<Float>) throws(HebbianError) {
    guard x.count == dimension else {
      throw .dimensionMismatch(
        what: "OnlinePCA.update: sample values", expected: dimension, got: x.count)
    }
    try x.withUnsafeBufferPointer { (p) throws(HebbianError) in
      try Self.checkSample(p.baseAddress!, count: dimension)
      try unsafeGuardedUpdate(p.baseAddress!)
    }
  }

  /// Learns from a mini-batch of b = `batch.count / dimension` samples (row-major, b ≤
  /// ``maxBatch``). Oja, subspace and GHA apply one step with the rank-k kernel
  /// (ΔW = η (Yᵀ X − LT?(Yᵀ Y) W), the sum of the b per-sample steps taken from the same W);
  /// the other rules learn sample by sample.
  public mutating func update(batch: Span<Float>) throws(HebbianError) {
    let d = dimension
    guard batch.count % d == 0 else {
      throw .invalidParameter(
        "OnlinePCA.update(batch:): \(batch.count) values is not a whole number of samples of \(d)")
    }
    let b = batch.count / d
    guard b <= maxBatch else {
      throw .dimensionMismatch(
        what: "OnlinePCA.update(batch:): samples (maxBatch)", expected: maxBatch, got: b)
    }
    if b == 0 { return }
    try batch.withUnsafeBufferPointer { (p) throws(HebbianError) in
      for s in 0..<b {
        do throws(HebbianError) {
          try Self.checkSample(p.baseAddress! + s * d, count: d)
        } catch {
          if case .nonFinite(let j) = error { throw .nonFinite(index: s * d + j) }
          throw .invalidParameter("sample \(s + 1) of the batch: " + error.message)
        }
      }
      try unsafeGuardedUpdate(batch: p.baseAddress!, count: b)
    }
  }

  /// Largest ``dimension`` a learner accepts.
  public static let maxDimension = 1 << 24

  /// Largest number of bytes a learner may allocate: the library's ``MemoryBudget``.
  public static var memoryBudget: Int { MemoryBudget.bytes }

  /// Bytes a learner of this shape allocates (W, its copy before a batch step and its backup
  /// for the guard; the k×k lateral, LU, Gram and backup; the batch scratch), or nil if the
  /// count overflows `Int`.
  public static func bytesNeeded(dimension d: Int, components k: Int, maxBatch b: Int) -> Int64? {
    MemoryBudget.bytesNeeded([[3, k, d], [4, k, k], [b, d], [b, k], [6, k], [3, d]])
  }

  static func describe(_ bytes: Int64?) -> String {
    guard let b = bytes else { return "more than 2^63 bytes" }
    return b >= 1 << 30 ? "\(b >> 30) GiB" : "\(b >> 20) MiB"
  }

  /// Range of ‖x‖² a non-zero sample may have. Every quantity a rule computes scales like
  /// ‖x‖² or its inverse (the step is clipped to η‖x‖² ≤ 1), so samples inside this range
  /// keep 8 orders of magnitude between the state and float32's limits, on every ISA.
  public static let squaredNormRange: ClosedRange<Double> = 1e-30...1e30

  /// Throws unless `x` (``dimension`` values) is finite with ‖x‖² zero or inside
  /// ``squaredNormRange``: the contract of the checked updates, also used by the CLI on each
  /// sample before its block is learned. The norm is summed in Double, so the decision is the
  /// same on every ISA.
  public static func checkSample(_ x: UnsafePointer<Float>, count: Int) throws(HebbianError) {
    var s = 0.0
    for j in 0..<count {
      guard x[j].isFinite else { throw .nonFinite(index: j) }
      s += Double(x[j]) * Double(x[j])
    }
    if s != 0 && !squaredNormRange.contains(s) {
      throw .invalidParameter(
        "the sample's squared norm \(shortScientific(s)) is outside [1e-30, 1e30]: rescale the input (float32 cannot hold its updates)"
      )
    }
  }

  static func shortScientific(_ v: Double) -> String {
    var e = 0
    var m = v
    while m >= 10 {
      m /= 10
      e += 1
    }
    while m < 1 && m > 0 {
      m *= 10
      e -= 1
    }
    let tenths = Int((m * 10).rounded())
    return "\(tenths / 10).\(tenths % 10)e\(e)"
  }

  /// ``update(_:)`` without the checks: `x` must hold ``dimension`` finite values.
  public mutating func unsafeUpdate(_ x: UnsafePointer<Float>) {
    samplesSeen += 1
    let x = prepare(x, into: xc)
    let p = Kernels.unsafeDot(dimension, x, x)
    let beta = averagingWeight()
    inputPower += beta * (p - inputPower)
    let alpha = learningRate.rate(at: samplesSeen - 1)
    switch rule {
    case .oja, .subspace, .gha: hebbianStep(x, p, alpha)
    case .similarityMatching: similarityStep(x, p, alpha, beta)
    case .fastSimilarityMatching: fastSimilarityStep(x, alpha)
    case .ccipca: ccipcaStep(x)
    }
    if rule != .similarityMatching {
      for i in 0..<components { power[i] += beta * (y[i] * y[i] - power[i]) }
    }
  }

  /// ``update(batch:)`` without the checks: `x` holds `count` ≤ ``maxBatch`` rows of finite
  /// values.
  public mutating func unsafeUpdate(batch x: UnsafePointer<Float>, count b: Int) {
    let d = dimension
    let k = components
    guard rule == .oja || rule == .subspace || rule == .gha else {
      for s in 0..<b { unsafeUpdate(x + s * d) }
      return
    }
    let alpha = learningRate.rate(at: samplesSeen)
    var sumPower: Float = 0
    for s in 0..<b {
      samplesSeen += 1
      let row = xb + s * d
      let xs = prepare(x + s * d, into: row)
      if xs != UnsafePointer(row) { row.update(from: xs, count: d) }
      let p = Kernels.unsafeDot(d, row, row)
      sumPower += p
      inputPower += averagingWeight() * (p - inputPower)
      // Y = X Wᵀ, one row per sample.
      Kernels.unsafeGemv(rows: k, columns: d, w, lda: d, row, yb + s * k)
    }
    if sumPower > 0 {
      // One step with the per-sample rate applied to the sum of the b steps; the clip keeps
      // η Σ‖x_s‖² ≤ 1 so a batch cannot overshoot either.
      let eta = Swift.min(alpha / outputScale(), 1 / sumPower)
      w0.update(from: w, count: k * d)
      // W += η Yᵀ X
      Kernels.unsafeRankK(
        rows: k, columns: d, batch: b, alpha: eta, yb, ldx: k, xb, ldy: d, w, lda: d)
      // G = Yᵀ Y;  W −= η LT?(G) W₀
      g.update(repeating: 0, count: k * k)
      Kernels.unsafeRankK(
        rows: k, columns: k, batch: b, alpha: 1, yb, ldx: k, yb, ldy: k, g, lda: k)
      for i in 0..<k {
        let last = rule == .gha ? i + 1 : k
        for j in 0..<last { Kernels.unsafeAxpy(d, -eta * g[i * k + j], w0 + j * d, w + i * d) }
      }
    }
    for s in 0..<b {
      let beta = Swift.max(
        1 / Float(samplesSeen - Int64(b) + Int64(s) + 1), 1e-3, learningRate.floor)
      for i in 0..<k { power[i] += beta * (yb[s * k + i] * yb[s * k + i] - power[i]) }
    }
    y.update(from: yb + (b - 1) * k, count: k)
  }

  /// Weight of the newest sample in the running means: 1/t (the plain mean) until t reaches
  /// 1000, then an exponential window of ~1000 samples (or 1/floor, if shorter), so power
  /// estimates follow a stream whose scale drifts.
  @inline(__always)
  func averagingWeight() -> Float {
    Swift.max(1 / Float(samplesSeen), 1e-3, learningRate.floor)
  }

  /// Centres `x` against the running mean (updated first, so the first sample centres to 0)
  /// into `out`, or returns `x` itself without centring.
  @inline(__always)
  func prepare(_ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>) -> UnsafePointer<
    Float
  > {
    guard centering else { return x }
    let beta = Swift.max(1 / Float(samplesSeen), learningRate.floor)
    for j in 0..<dimension {
      mean[j] += beta * (x[j] - mean[j])
      out[j] = x[j] - mean[j]
    }
    return UnsafePointer(out)
  }

  /// The output power the rate is measured against: the smallest running ⟨y_i²⟩ (≈ λ_k once
  /// the rows have converged), never below the average input power per dimension P/d.
  /// The slowest mode of Oja/subspace/GHA contracts at rate η (λ_k − λ_{k+1}) (and a GHA
  /// row's norm at 2ηλ_i), so η = α/λ_k gives every component a contraction factor of at
  /// least α·(1 − λ_{k+1}/λ_k); measuring against λ₁ instead starves the weak components
  /// (a 3rd gait harmonic at 3 % of λ₁ would need 30× more samples). The P/d bound keeps η
  /// finite when k exceeds the number of directions carrying signal.
  @inline(__always)
  func outputScale() -> Float {
    var s = Float.greatestFiniteMagnitude
    for i in 0..<components { s = Swift.min(s, power[i]) }
    return Swift.max(s, inputPower / Float(dimension))
  }

  /// Oja, subspace, GHA: η = min(α / λ̂_k, 1/‖x‖²). The first term makes α dimensionless (the
  /// mean-field dynamics run at rate η·λ); the clip bounds every single step (η‖x‖² ≤ 1 keeps
  /// y (x − y w) from overshooting), so W cannot blow up on an outlier, nor while η λ₁ > 1
  /// early in the 1/t schedule.
  @inline(__always)
  mutating func hebbianStep(_ x: UnsafePointer<Float>, _ p: Float, _ alpha: Float) {
    let k = components
    let d = dimension
    // A sample (or centred residual) this small carries no direction float32 can step along:
    // 1/‖x‖² would overflow. It is learned as the zero sample.
    guard p >= Float(Self.squaredNormRange.lowerBound) else {
      y.update(repeating: 0, count: k)
      return
    }
    let scale = outputScale()
    let eta = Swift.min(scale > 0 ? alpha / scale : 1 / p, 1 / p)
    switch rule {
    case .oja: y[0] = Kernels.unsafeOjaStep(dimension: d, eta: eta, x, w)
    case .subspace:
      Kernels.unsafeSubspaceStep(components: k, dimension: d, eta: eta, x, w, ldw: d, y)
    default: Kernels.unsafeGhaStep(components: k, dimension: d, eta: eta, x, w, ldw: d, y)
    }
  }

  /// Pehlevan–Chklovskii: y = (I+M)⁻¹ W x; per neuron η_i = α/Ŷ_i with Ŷ_i the running ⟨y_i²⟩
  /// (with α = 1/t this is exactly their 1/Σ_t y_i²), clipped to 1/‖x‖²;
  ///   W_i += η_i y_i (x − W_i y_i),   M_ij += η_i y_i (y_j − M_ij y_i)  (i ≠ j).
  @inline(__always)
  mutating func similarityStep(_ x: UnsafePointer<Float>, _ p: Float, _ alpha: Float, _ beta: Float)
  {
    let k = components
    let d = dimension
    Kernels.unsafeGemv(rows: k, columns: d, w, lda: d, x, u)
    solveLateral(u, into: y)
    guard p >= Float(Self.squaredNormRange.lowerBound) else { return }
    for i in 0..<k { power[i] += beta * (y[i] * y[i] - power[i]) }
    for i in 0..<k {
      let yi = y[i]
      if yi == 0 || power[i] <= 0 { continue }
      let eta = Swift.min(alpha / power[i], 1 / p)
      let row = w + i * d
      // W_i ← (1 − η y_i²) W_i + η y_i x
      hbScale(d, 1 - eta * yi * yi, row)
      Kernels.unsafeAxpy(d, eta * yi, x, row)
      for j in 0..<k where j != i {
        m[i * k + j] += eta * yi * (y[j] - m[i * k + j] * yi)
      }
    }
  }

  /// Solves (I + M) out = rhs by LU with partial pivoting in the preallocated k×k scratch.
  /// I + M is not symmetric (row i of M learns at neuron i's own rate), so Cholesky does not
  /// apply, and Gauss–Seidel/Jacobi sweeps need diagonal dominance that M does not promise;
  /// the direct solve costs k³/3 flops, below the k·d of the W update whenever k² < 3d.
  func solveLateral(_ rhs: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>) {
    factorLateral()
    substitute(rhs, into: out)
  }

  func factorLateral() {
    let k = components
    for i in 0..<(k * k) { lu[i] = m[i] }
    for i in 0..<k { lu[i * k + i] += 1 }
    for c in 0..<k {
      var best = c
      var bestAbs = Swift.abs(lu[c * k + c])
      for r in (c + 1)..<Swift.max(c + 1, k) where Swift.abs(lu[r * k + c]) > bestAbs {
        best = r
        bestAbs = Swift.abs(lu[r * k + c])
      }
      pivot[c] = best
      if best != c { for j in 0..<k { swapAt(lu, c * k + j, best * k + j) } }
      let piv = lu[c * k + c]
      if piv == 0 { continue }
      for r in (c + 1)..<Swift.max(c + 1, k) {
        let f = lu[r * k + c] / piv
        lu[r * k + c] = f
        if f != 0 { for j in (c + 1)..<k { lu[r * k + j] -= f * lu[c * k + j] } }
      }
    }
  }

  func substitute(_ rhs: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>) {
    let k = components
    for i in 0..<k { out[i] = rhs[i] }
    for c in 0..<k where pivot[c] != c { swapAt(out, c, pivot[c]) }
    for r in 0..<k {
      var s = out[r]
      for j in 0..<r { s -= lu[r * k + j] * out[j] }
      out[r] = s
    }
    var r = k - 1
    while r >= 0 {
      var s = out[r]
      for j in (r + 1)..<k { s -= lu[r * k + j] * out[j] }
      let piv = lu[r * k + r]
      out[r] = piv != 0 ? s / piv : 0
      r -= 1
    }
  }

  @inline(__always)
  func swapAt(_ p: UnsafeMutablePointer<Float>, _ a: Int, _ b: Int) {
    let t = p[a]
    p[a] = p[b]
    p[b] = t
  }

  @inline(__always)
  func hbScale(_ n: Int, _ a: Float, _ x: UnsafeMutablePointer<Float>) {
    for j in 0..<n { x[j] *= a }
  }

  /// Fast similarity matching: y = M⁻¹ W x;  W ← (1−ρ) W + ρ y xᵀ;  M ← (1−s) M + s y yᵀ with
  /// s = ρ/(2τ), applied to M⁻¹ by Sherman–Morrison:
  ///   M⁻¹ ← A − (s/(1 + s yᵀAy)) (Ay)(Ay)ᵀ,  A = M⁻¹/(1 − s).
  /// W and M are running averages of y xᵀ and y yᵀ, scale-equivariant by construction, so the
  /// schedule's α is used directly as the averaging weight ρ (clamped to ½).
  @inline(__always)
  mutating func fastSimilarityStep(_ x: UnsafePointer<Float>, _ alpha: Float) {
    let k = components
    let d = dimension
    Kernels.unsafeGemv(rows: k, columns: d, w, lda: d, x, u)
    Kernels.unsafeGemv(rows: k, columns: k, m, lda: k, u, y)
    let rho = Swift.min(alpha, 0.5)
    let s = Swift.min(rho / (2 * lateralTimeScale), 0.5)
    hbScale(k * d, 1 - rho, w)
    Kernels.unsafeGer(rows: k, columns: d, alpha: rho, y, x, w, lda: d)
    let a = 1 / (1 - s)
    hbScale(k * k, a, m)
    Kernels.unsafeGemv(rows: k, columns: k, m, lda: k, y, z)
    let c = s / (1 + s * Kernels.unsafeDot(k, z, y))
    Kernels.unsafeGer(rows: k, columns: k, alpha: -c, z, z, m, lda: k)
    // M⁻¹ is symmetric in exact arithmetic, but rounding in the rank-1 updates is not, and the
    // antisymmetric part is not damped by the updates (they only act along z): mirror it away.
    for i in 0..<k {
      for j in (i + 1)..<k {
        let v = 0.5 * (m[i * k + j] + m[j * k + i])
        m[i * k + j] = v
        m[j * k + i] = v
      }
    }
  }

  /// CCIPCA (Weng, Zhang & Hwang 2003), for i = 1…k with u₁ = x:
  ///   v_i ← (1−ρ) v_i + ρ (u_i·v̂_i) u_i,   ρ = max((1+l)/t, floor),
  ///   u_{i+1} = u_i − (u_i·v̂_i) v̂_i,
  /// with l the amnesic parameter; ‖v_i‖ estimates λ_i. u is deflated in the xc scratch.
  @inline(__always)
  mutating func ccipcaStep(_ x: UnsafePointer<Float>) {
    let k = components
    let d = dimension
    let t = Float(samplesSeen)
    // Weng et al. start v_i from the i-th sample; starting from a random orthonormal v_i
    // instead, ρ ≤ ½ keeps half of it through the first samples, so the deflated residual of
    // sample 1 (zero along v₁) cannot wipe out v₂…v_k.
    let rho = Swift.min(Swift.max((1 + amnesia) / t, learningRate.floor), 0.5)
    if x != UnsafePointer(xc) { xc.update(from: x, count: d) }
    for i in 0..<k {
      let v = w + i * d
      let n0 = Kernels.unsafeDot(d, v, v).squareRoot()
      if n0 == 0 {
        // Lost (e.g. restored from a zero state): restart from the residual, as Weng et al. do.
        v.update(from: xc, count: d)
        y[i] = 0
        continue
      }
      let proj = Kernels.unsafeDot(d, xc, v) / n0
      y[i] = proj
      hbScale(d, 1 - rho, v)
      Kernels.unsafeAxpy(d, rho * proj, xc, v)
      let n1 = Kernels.unsafeDot(d, v, v).squareRoot()
      if n1 == 0 { continue }
      let q = Kernels.unsafeDot(d, xc, v) / n1
      Kernels.unsafeAxpy(d, -q / n1, v, xc)
    }
  }

  // MARK: Using the learned components

  /// Projects one sample onto the learned components: y = F (x − mean), F the effective
  /// filters (see ``components(orthonormalized:)``). Never allocates.
  public func project(_ x: Span<Float>, into out: inout MutableSpan<Float>) throws(HebbianError) {
    guard x.count == dimension else {
      throw .dimensionMismatch(
        what: "OnlinePCA.project: sample values", expected: dimension, got: x.count)
    }
    guard out.count >= components else {
      throw .dimensionMismatch(
        what: "OnlinePCA.project: output values", expected: components, got: out.count)
    }
    try x.withUnsafeBufferPointer { (xp) throws(HebbianError) in
      for j in 0..<dimension where !xp[j].isFinite { throw .nonFinite(index: j) }
      out.withUnsafeMutableBufferPointer { op in
        unsafeProject(xp.baseAddress!, into: op.baseAddress!)
      }
    }
  }

  /// ``project(_:into:)`` without the checks.
  public func unsafeProject(_ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>) {
    let k = components
    let d = dimension
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
      solveLateral(u, into: out)
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
    let k = components
    let d = dimension
    var f = [Float](repeating: 0, count: k * d)
    f.withUnsafeMutableBufferPointer { fp in
      let out = fp.baseAddress!
      switch rule {
      case .oja, .subspace, .gha:
        out.update(from: w, count: k * d)
      case .similarityMatching:
        factorLateral()
        var col = [Float](repeating: 0, count: k)
        var res = [Float](repeating: 0, count: k)
        for c in 0..<d {
          for i in 0..<k { col[i] = w[i * d + c] }
          col.withUnsafeBufferPointer { cp in
            res.withUnsafeMutableBufferPointer { rp in
              substitute(cp.baseAddress!, into: rp.baseAddress!)
            }
          }
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
  public var lastOutput: [Float] { Array(UnsafeBufferPointer(start: y, count: components)) }

  // MARK: Diagnostics

  /// ‖FFᵀ − I‖_F of the effective filters: 0 when they are orthonormal, which every rule here
  /// reaches at convergence.
  public func orthonormalityError() -> Double {
    let f = components()
    return f.withUnsafeBufferPointer {
      Subspace.orthonormalityError($0.baseAddress!, components, dimension)
    }
  }

  /// Subspace error ‖UUᵀ − VVᵀ‖²_F / ‖VVᵀ‖²_F against a reference basis (rows, kv×d).
  public func subspaceError(reference: [Float], components kv: Int) throws(HebbianError) -> Double {
    try Subspace.error(
      components(), components: components, reference: reference, components: kv,
      dimension: dimension)
  }

  /// Estimated fraction of the input variance the k outputs carry: Σ⟨y_i²⟩ / ⟨‖x‖²⟩ over the
  /// averaging window (exact for orthonormal filters on a stationary stream).
  public var explainedVariance: Double {
    guard inputPower > 0 else { return 0 }
    var s = 0.0
    for i in 0..<components { s += Double(power[i]) }
    return Swift.min(1, s / Double(inputPower))
  }

  // MARK: State for checkpoints

  /// Everything an update reads besides the configuration (``rule``, ``dimension``,
  /// ``components``, ``learningRate``, ``centering``, ``amnesia``, ``lateralTimeScale``,
  /// which are public constants): a checkpoint is the configuration plus this.
  public struct State: Sendable, Equatable {
    public var samplesSeen: Int64
    /// Running ⟨‖x − mean‖²⟩.
    public var inputPower: Float
    /// W (k×d, row-major); for CCIPCA the unnormalised v_i.
    public var weights: [Float]
    /// k×k: similarity matching's M (zero diagonal), fast similarity matching's M⁻¹; zeros
    /// for the other rules.
    public var lateral: [Float]
    /// Running ⟨y_i²⟩ (k): Ŷ of similarity matching, the rate normaliser of the others.
    public var outputPower: [Float]
    /// The running mean (d), zeros without centring.
    public var mean: [Float]

    public init(
      samplesSeen: Int64, inputPower: Float, weights: [Float], lateral: [Float],
      outputPower: [Float], mean: [Float]
    ) {
      self.samplesSeen = samplesSeen
      self.inputPower = inputPower
      self.weights = weights
      self.lateral = lateral
      self.outputPower = outputPower
      self.mean = mean
    }
  }

  /// A copy of the learned state.
  public var state: State {
    State(
      samplesSeen: samplesSeen, inputPower: inputPower,
      weights: Array(UnsafeBufferPointer(start: w, count: components * dimension)),
      lateral: Array(UnsafeBufferPointer(start: m, count: components * components)),
      outputPower: Array(UnsafeBufferPointer(start: power, count: components)),
      mean: Array(UnsafeBufferPointer(start: mean, count: dimension)))
  }

  /// Replaces the learned state (e.g. from a checkpoint). Throws on a shape mismatch or a
  /// non-finite value, leaving the learner unchanged.
  public mutating func restore(_ s: State) throws(HebbianError) {
    try Self.validate(s, components: components, dimension: dimension)
    assign(s)
  }

  /// The checks of ``restore(_:)``: shapes, finiteness, counters in range.
  static func validate(_ s: State, components k: Int, dimension d: Int) throws(HebbianError) {
    func need(_ what: String, _ a: [Float], _ n: Int) throws(HebbianError) {
      guard a.count == n else {
        throw .dimensionMismatch(what: "OnlinePCA.restore: \(what)", expected: n, got: a.count)
      }
      for (i, v) in a.enumerated() where !v.isFinite { throw .nonFinite(index: i) }
    }
    try need("weights", s.weights, k * d)
    try need("lateral", s.lateral, k * k)
    try need("outputPower", s.outputPower, k)
    try need("mean", s.mean, d)
    guard s.samplesSeen >= 0, s.inputPower >= 0, s.inputPower.isFinite else {
      throw .invalidParameter("OnlinePCA.restore: negative sample count or invalid input power")
    }
  }

  /// Copies a validated state in.
  mutating func assign(_ s: State) {
    let k = components
    let d = dimension
    samplesSeen = s.samplesSeen
    inputPower = s.inputPower
    w.update(from: s.weights, count: k * d)
    m.update(from: s.lateral, count: k * k)
    power.update(from: s.outputPower, count: k)
    mean.update(from: s.mean, count: d)
  }

  /// Running ⟨y_i²⟩ per output: the variance along each component (eigenvalue estimates for
  /// the ordered rules).
  public var outputPower: [Float] { Array(UnsafeBufferPointer(start: power, count: components)) }
}
