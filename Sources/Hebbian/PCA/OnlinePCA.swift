internal import CHebbian

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
      for r in Rule.allCases where r.name.isBytes(name) {
        self = r
        return
      }
      return nil
    }

    /// Whether the learned components come out ordered by decreasing variance.
    public var isOrdered: Bool { self == .oja || self == .gha || self == .ccipca }
  }

  public let dimension: Int
  /// Number of components learned (k): the rows of W.
  public let componentCount: Int
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
  public internal(set) var samplesSeen: Int64 {
    get { core.samples_seen }
    set { core.samples_seen = newValue }
  }
  /// Running mean of ‖x − mean‖²: the input power.
  public internal(set) var inputPower: Float {
    get { core.input_power }
    set { core.input_power = newValue }
  }
  /// The C driver's view of the learner (`hb_pca_state`): its buffers, shape, schedule and
  /// counters, built once in `init`. Oja, subspace and GHA learn only through it, one sample
  /// or a block at a time, so their step exists once (`hb_pca_hebbian_block_f32`); the other
  /// rules keep their counters here too.
  var core: hb_pca_state

  // Learned state, row-major. w: W (k×d) — for CCIPCA the unnormalised v_i whose norms are the
  // eigenvalue estimates. m: similarity matching's M (zero diagonal), fast similarity
  // matching's M⁻¹ (symmetric), unused otherwise (k×k). power: running ⟨y_i²⟩ (k). mean (d).
  var w: OwnedBuffer<Float>
  var m: OwnedBuffer<Float>
  var power: OwnedBuffer<Float>
  var mean: OwnedBuffer<Float>
  // Scratch.
  var xc: OwnedBuffer<Float>  // d: centred sample
  var y: OwnedBuffer<Float>  // k: outputs
  var u: OwnedBuffer<Float>  // k: W x before the lateral solve
  var z: OwnedBuffer<Float>  // k: Sherman–Morrison vector, norms
  var lateral: LUSolver  // k×k: LU factors of I + M
  var xb: OwnedBuffer<Float>  // maxBatch×d: centred batch
  var yb: OwnedBuffer<Float>  // maxBatch×k: batch outputs
  var w0: OwnedBuffer<Float>  // k×d: W before a batch step
  var g: OwnedBuffer<Float>  // k×k: Yᵀ Y of a batch
  var backup: OwnedBuffer<Float>  // k×d + k×k + k + d: state before a guarded update

  /// Creates a learner with W initialised to k random orthonormal rows drawn from `seed`.
  /// Without a `learningRate`, the rule's default ``LearningRate/standard(for:)``. The
  /// default amnesia l = 5 (above Weng et al.'s 2–4) was chosen with the schedules: l = 2
  /// trails a plain Hebbian loop 4.5× on wine (k = 4), l = 5 is within 2.1× on digits,
  /// breast cancer and wine.
  public init(
    dimension: Int, components: Int, rule: Rule, learningRate: LearningRate? = nil,
    centering: Bool = false, seed: UInt64 = 0x5EED_0F_0A1A, maxBatch: Int = 64,
    amnesia: Float = 5, lateralTimeScale: Float = 0.5
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
    let learningRate = learningRate ?? .standard(for: rule)
    try learningRate.validate()
    let d = dimension
    let k = components
    self.dimension = d
    self.componentCount = k
    self.rule = rule
    self.learningRate = learningRate
    self.centering = centering
    self.seed = seed
    self.maxBatch = maxBatch
    self.amnesia = amnesia
    self.lateralTimeScale = lateralTimeScale
    w = OwnedBuffer(count: k * d)
    m = OwnedBuffer(count: k * k)
    power = OwnedBuffer(count: k)
    mean = OwnedBuffer(count: d)
    xc = OwnedBuffer(count: d)
    y = OwnedBuffer(count: k)
    u = OwnedBuffer(count: k)
    z = OwnedBuffer(count: k)
    lateral = LUSolver(size: k)
    xb = OwnedBuffer(count: maxBatch * d)
    yb = OwnedBuffer(count: maxBatch * k)
    w0 = OwnedBuffer(count: k * d)
    g = OwnedBuffer(count: k * k)
    backup = OwnedBuffer(count: k * d + k * k + k + d)
    core = Self.driverState(
      rule: rule, k: k, d: d, rate: learningRate, centering: centering, w: w, mean: mean,
      power: power, y: y, xc: xc, eta: u)
    OnlinePCA.randomOrthonormalRows(&w, k, d, seed: seed)
    resetLateral()
  }

  mutating func resetLateral() {
    let k = componentCount
    m.fill(0)
    // Fast similarity matching starts from M = I (so M⁻¹ = I); similarity matching from M = 0.
    if rule == .fastSimilarityMatching { for i in 0..<k { m[i * k + i] = 1 } }
  }

  /// k random orthonormal rows from `seed` (Gaussian rows, then Gram–Schmidt): a uniformly
  /// random starting subspace, reproducible on every platform.
  static func randomOrthonormalRows(
    _ w: inout OwnedBuffer<Float>, _ k: Int, _ d: Int, seed: UInt64
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
    try checkShape("OnlinePCA.update: sample values", dimension, x.count)
    try x.withUnsafeBufferPointer { (p) throws(HebbianError) in
      try Self.checkSample(p.baseAddress!, count: dimension)
      try unsafeGuardedUpdate(p.baseAddress!)
    }
  }

  /// Learns from a block of `block.count / dimension` samples (row-major, any number of
  /// them), in mini-batches of `batch` (1: sample by sample, as ``update(_:)``; more: as
  /// ``update(batch:)``, at most ``maxBatch``). Every sample is checked first, so a bad one
  /// throws before anything is learned; the divergence guard then costs one copy of the state
  /// per block instead of per step, with the same result and error as guarding every step.
  public mutating func update(block: Span<Float>, batch: Int = 1) throws(HebbianError) {
    try update(block: block, batch: batch, into: nil)
  }

  /// ``update(block:batch:)`` that also gives each sample's outputs y, as the step that
  /// learned the sample computed them (for Oja, subspace and GHA, the weights before the
  /// step — before the batch's step with `batch` > 1 — times the sample centred by the mean
  /// that includes it), in row s of `outputs` (at least n × ``componentCount`` values). They
  /// depend only on the samples before and the batch size, not on how the stream is cut into
  /// blocks: the answer a live consumer gets for each sample.
  public mutating func update(
    block: Span<Float>, batch: Int = 1, outputs: inout MutableSpan<Float>
  ) throws(HebbianError) {
    let need = block.count / dimension * componentCount
    guard outputs.count >= need else {
      throw .dimensionMismatch(
        what: "OnlinePCA.update(block:outputs:): output values", expected: need,
        got: outputs.count)
    }
    try outputs.withUnsafeMutableBufferPointer { (o) throws(HebbianError) in
      try update(block: block, batch: batch, into: o.baseAddress)
    }
  }

  private mutating func update(
    block: Span<Float>, batch: Int, into outputs: UnsafeMutablePointer<Float>?
  ) throws(HebbianError) {
    let d = dimension
    guard block.count % d == 0 else {
      throw .invalidParameter(
        "OnlinePCA.update(block:): \(block.count) values is not a whole number of samples of \(d)")
    }
    guard batch >= 1, batch <= maxBatch else {
      throw .invalidParameter(
        "OnlinePCA.update(block:): batch must be in 1...\(maxBatch), got \(batch)")
    }
    let n = block.count / d
    if n == 0 { return }
    try block.withUnsafeBufferPointer { (p) throws(HebbianError) in
      try Self.checkSamples(p.baseAddress!, count: n, dimension: d, what: "block")
      try unsafeGuardedUpdate(block: p.baseAddress!, count: n, batch: batch, outputs: outputs)
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
  public static let squaredNormRange: ClosedRange<Double> = HB_PCA_NORM2_MIN...HB_PCA_NORM2_MAX

  /// Throws unless `x` (one sample) is finite with ‖x‖² zero or inside ``squaredNormRange``:
  /// the contract of the checked updates, for callers that want to report a bad sample with
  /// its place in their input before learning a block. The norm is summed in Double, so the
  /// decision is the same on every ISA.
  public static func checkSample(_ x: Span<Float>) throws(HebbianError) {
    try x.withUnsafeBufferPointer { (p) throws(HebbianError) in
      if let base = p.baseAddress { try checkSample(base, count: p.count) }
    }
  }

  /// ``checkSample(_:)`` on each of `n` samples of `d` values, naming the bad one.
  static func checkSamples(_ x: UnsafePointer<Float>, count n: Int, dimension d: Int, what: String)
    throws(HebbianError)
  {
    guard let s = firstUnfitSample(x, count: n, dimension: d) else { return }
    do throws(HebbianError) {
      try checkSample(x + s * d, count: d)
    } catch {
      if case .nonFinite(let j) = error { throw .nonFinite(index: s * d + j) }
      throw .invalidParameter("sample \(s + 1) of the \(what): " + error.message)
    }
  }

  /// The index of the first of `n` samples (rows of `d` values) that breaks the sample
  /// contract (`hb_pca_samples_unfit`, the one definition), or nil. The learner's checked
  /// updates call it once per sample; so does a reader that learns through the unchecked ones.
  package static func firstUnfitSample(_ x: UnsafePointer<Float>, count n: Int, dimension d: Int)
    -> Int?
  {
    let s = hb_pca_samples_unfit(x, n, d, d)
    return s < n ? s : nil
  }

  /// Throws the reason a sample breaks the contract: its first non-finite value, or its
  /// squared norm.
  static func checkSample(_ x: UnsafePointer<Float>, count: Int) throws(HebbianError) {
    if hb_pca_samples_unfit(x, 1, count, count) == 1 { return }
    var s = 0.0
    for j in 0..<count {
      guard x[j].isFinite else { throw .nonFinite(index: j) }
      s += Double(x[j]) * Double(x[j])
    }
    throw .invalidParameter(
      "the sample's squared norm \(shortScientific(s)) is outside [1e-30, 1e30]: rescale the input (float32 cannot hold its updates)"
    )
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

  /// ``update(_:)`` without the checks: `x` must hold ``dimension`` values that keep the
  /// sample contract. Oja, subspace and GHA take their one step in the C driver.
  package mutating func unsafeUpdate(_ x: UnsafePointer<Float>) {
    if rule.isHebbian {
      hb_pca_hebbian_block_f32(&core, 1, x, dimension, nil)
      return
    }
    samplesSeen += 1
    let x = prepare(x, into: xc.base)
    let p = Kernels.unsafeDot(dimension, x, x)
    let beta = averagingWeight()
    inputPower += beta * (p - inputPower)
    let alpha = learningRate.rate(at: samplesSeen - 1)
    switch rule {
    case .similarityMatching: similarityStep(x, p, alpha, beta)
    case .fastSimilarityMatching: fastSimilarityStep(x, alpha)
    default: ccipcaStep(x)
    }
    if rule != .similarityMatching {
      let (power, y) = (self.power.base, self.y.base)
      for i in 0..<componentCount { power[i] += beta * (y[i] * y[i] - power[i]) }
    }
  }

  /// Weight of the newest sample in the running powers (`hb_pca_power_weight`).
  @inline(__always)
  func averagingWeight() -> Float {
    hb_pca_power_weight(1 / Float(samplesSeen), learningRate.floor)
  }

  /// Centres `x` against the running mean (updated first, so the first sample centres to 0)
  /// into `out`, or returns `x` itself without centring.
  @inline(__always)
  func prepare(_ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>) -> UnsafePointer<
    Float
  > {
    guard centering else { return x }
    let beta = hb_pca_mean_weight(1 / Float(samplesSeen), learningRate.floor)
    let mean = self.mean.base
    for j in 0..<dimension {
      mean[j] += beta * (x[j] - mean[j])
      out[j] = x[j] - mean[j]
    }
    return UnsafePointer(out)
  }

  /// x *= a over n elements, in plain Swift: the rules' decay factors, kept out of the
  /// dispatched kernels so their rounding is the same on every ISA.
  @inline(__always)
  static func scale(_ n: Int, _ a: Float, _ x: UnsafeMutablePointer<Float>) {
    for j in 0..<n { x[j] *= a }
  }

}
