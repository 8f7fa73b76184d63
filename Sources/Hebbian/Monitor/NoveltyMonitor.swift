/// Watches a multichannel sensor stream for novelty the way process monitoring does with PCA,
/// learning everything it needs on the device: **learn** → **calibrate** → **detect**
/// (→ **adapt**).
///
/// - *learn*: each channel is standardised with its running mean and variance, the last
///   ``Options/lags`` standardised samples are stacked into one vector v (a time-delay
///   embedding, so a change in a signal's dynamics shows, not only in its level), and an
///   ``OnlinePCA`` rule learns the principal subspace of v.
/// - *calibrate*: the scaling is frozen and the learned rows orthonormalised into a basis C.
///   Each sample's scores y = C v give the components' actual variances λᵢ (not the
///   learner's running guesses), and its residual Q = ‖v‖² − ‖y‖² the mean and variance of Q.
/// - *detect*: Hotelling's T² = Σ yᵢ²/λᵢ and Q against control limits for the requested
///   false-alarm rate α, split equally between the two statistics: theoretical (T² from the F
///   distribution of a new observation, Q from Box's g·χ²_h fit to its mean and variance) or
///   empirical (quantiles of the calibration samples' own T² and Q). A sample beyond either
///   limit is an exceedance; the alarm is on while at least ``Options/alarmCount`` of the last
///   ``Options/window`` samples are exceedances.
/// - *adapt* (``Options/adaptRate`` > 0): samples judged normal (no exceedance, no alarm)
///   keep teaching the scaling, the subspace, λ and Q's moments with that forgetting rate;
///   nothing is learned while the alarm is on.
///
/// ```swift
/// var options = NoveltyMonitor.Options(channels: 8, components: 3)
/// options.learnSamples = 2000
/// options.calibrationSamples = 1000
/// var monitor = try NoveltyMonitor(options)
/// for x in stream {
///   if let r = try monitor.process(x.span), r.alarm { print("novel") }
/// }
/// ```
///
/// All memory is allocated in `init`; ``process(_:)`` and the phase steps never allocate.
/// The whole state persists in a ``ModelFile`` (``checkpoint()``, ``init(restoring:)``) and a
/// restored monitor continues bit for bit.
public struct NoveltyMonitor: ~Copyable {
  /// Where the monitor is in its life.
  public enum Phase: Int, Sendable, Equatable {
    case learn = 0
    case calibrate = 1
    case detect = 2

    public var name: String {
      switch self {
      case .learn: return "learn"
      case .calibrate: return "calibrate"
      case .detect: return "detect"
      }
    }
  }

  /// How the control limits are set.
  public enum LimitMethod: Int, Sendable, Equatable, CaseIterable {
    /// T²: k(n−1)(n+1)/(n(n−k)) · F_{k,n−k}(1 − α/2); Q: g·χ²_h(1 − α/2) with g = var/(2·mean)
    /// and h = 2·mean²/var of the calibration Q values (Box 1954).
    case theoretical = 0
    /// The (1 − α/2) quantiles of the calibration samples' own T² and Q (linear
    /// interpolation between order statistics). Needs ``Options/calibrationCapacity``.
    case empirical = 1

    public var name: String { self == .theoretical ? "theoretical" : "empirical" }

    public init?(name: String) {
      for m in LimitMethod.allCases where m.name.isBytes(name) {
        self = m
        return
      }
      return nil
    }
  }

  /// What the monitor is: its shape, rule, limits and alarm logic.
  public struct Options: Sendable, Equatable {
    /// Values per sample (d).
    public var channels: Int
    /// Principal components kept (k), fewer than `channels × lags`.
    public var components: Int
    /// Consecutive samples stacked into one vector (L ≥ 1).
    public var lags: Int = 1
    /// The online PCA rule: one whose learned rows are its filters (oja, subspace, gha, ccipca).
    public var rule: OnlinePCA.Rule = .gha
    /// The rule's schedule; nil for its standard one (with ``adaptRate`` as its floor).
    public var learningRate: LearningRate? = nil
    /// α: the fraction of normal samples allowed beyond a limit, in (0, 0.5].
    public var falseAlarmRate: Double = 0.001
    public var limits: LimitMethod = .theoretical
    /// n: samples the alarm decision looks back over.
    public var window: Int = 1
    /// k of n: exceedances in the window that raise the alarm.
    public var alarmCount: Int = 1
    /// Forgetting rate of the adapt phase, in [0, 0.5]; 0 freezes the model after calibration.
    public var adaptRate: Double = 0
    /// Samples ``process(_:)`` learns from before calibrating (0: call the phase steps yourself).
    public var learnSamples: Int64 = 0
    /// Samples ``process(_:)`` calibrates on before detecting.
    public var calibrationSamples: Int64 = 0
    /// Calibration samples held for empirical limits (memory: k + 1 floats and 2 doubles each).
    public var calibrationCapacity: Int = 0
    /// Seed of the learner's initial rows.
    public var seed: UInt64 = 0x5EED_0F_0A1A

    public init(channels: Int, components: Int) {
      self.channels = channels
      self.components = components
    }

    /// Length of the embedded vector v: channels × lags.
    public var dimension: Int { channels * lags }
  }

  /// The verdict on one detected sample.
  public struct Reading: Sendable, Equatable {
    public var t2: Double
    public var q: Double
    public var t2Limit: Double
    public var qLimit: Double
    /// T² or Q beyond its limit.
    public var exceeded: Bool
    /// At least `alarmCount` exceedances in the last `window` samples.
    public var alarm: Bool
  }

  public let options: Options
  public internal(set) var phase: Phase = .learn
  /// Samples given to each phase (those before the lag history filled included).
  public internal(set) var learned: Int64 = 0
  public internal(set) var calibrated: Int64 = 0
  public internal(set) var detected: Int64 = 0
  /// Embedded vectors the calibration statistics are over (n of the T² limit).
  public internal(set) var calibrationCount: Int64 = 0
  /// Detected samples beyond a limit, and samples with the alarm on.
  public internal(set) var exceedances: Int64 = 0
  public internal(set) var alarmSamples: Int64 = 0
  /// Samples learned in the adapt phase.
  public internal(set) var adaptations: Int64 = 0
  public internal(set) var t2Limit: Double = 0
  public internal(set) var qLimit: Double = 0
  /// Whether the alarm is on after the last detected sample.
  public internal(set) var alarm = false

  var pca: OnlinePCA
  // Scaling per channel: Welford count and sums while learning; then the frozen (or adapted)
  // mean and standard deviation.
  var channelCount: Int64 = 0
  var channelMean: OwnedBuffer<Double>
  var channelM2: OwnedBuffer<Double>
  var channelScale: OwnedBuffer<Double>
  // The last `lags` standardised samples, each written twice (at slot s and s + lags) so that
  // the embedded vector, oldest first, is one contiguous run of the buffer.
  var history: OwnedBuffer<Float>
  var historyNext = 0
  var historyFill = 0
  // Orthonormal basis C (k × D, Double, so Q = ‖v‖² − ‖y‖² keeps its digits), the scores, and
  // the statistics the limits use: Σyᵢ² then λᵢ; Q's Welford sums then its mean and variance.
  var basis: OwnedBuffer<Double>
  var scores: OwnedBuffer<Double>
  var lambda: OwnedBuffer<Double>
  var qMean = 0.0
  var qM2 = 0.0
  /// Q's mean when the limits were set: empirical Q limits follow its adapted mean.
  var qMeanAtLimits = 0.0
  // Calibration samples held for empirical limits: y (k floats) and Q per sample; the T² or Q
  // values to sort.
  var store: OwnedBuffer<Float>
  var storeQ: OwnedBuffer<Double>
  var sortScratch: OwnedBuffer<Double>
  // The exceedance flags of the last `window` samples.
  var flags: OwnedBuffer<UInt8>
  var flagNext = 0
  var flagCount = 0

  /// Largest |standardised value|: far beyond any limit, and ‖v‖² stays inside the PCA
  /// sample contract (at most 1e30) for any embedded dimension the budget allows.
  static let standardisedBound = 1e11
  /// Smaller |standardised values| are 0: a non-zero ‖v‖² stays above the contract's 1e-30.
  static let standardisedFloor = 1e-15
  /// Basis refreshes while adapting: every this many adapted samples.
  static let refreshEvery: Int64 = 64

  /// A monitor in its learn phase. Throws on options out of range or beyond the memory budget.
  public init(_ options: Options) throws(HebbianError) {
    try Self.validate(options)
    let d = options.channels
    let dim = options.dimension
    let k = options.components
    let rate: LearningRate
    if let r = options.learningRate {
      rate = r
    } else {
      rate = .tracking(floor: Float(options.adaptRate), for: options.rule)
    }
    pca = try OnlinePCA(
      dimension: dim, components: k, rule: options.rule, learningRate: rate, centering: false,
      seed: options.seed, maxBatch: 1)
    self.options = options
    channelMean = OwnedBuffer(count: d, repeating: 0)
    channelM2 = OwnedBuffer(count: d, repeating: 0)
    channelScale = OwnedBuffer(count: d, repeating: 1)
    history = OwnedBuffer(count: 2 * dim, repeating: 0)
    basis = OwnedBuffer(count: k * dim, repeating: 0)
    scores = OwnedBuffer(count: k, repeating: 0)
    lambda = OwnedBuffer(count: k, repeating: 0)
    let held = options.limits == .empirical ? options.calibrationCapacity : 0
    store = OwnedBuffer(count: held * k, repeating: 0)
    storeQ = OwnedBuffer(count: held, repeating: 0)
    sortScratch = OwnedBuffer(count: held, repeating: 0)
    flags = OwnedBuffer(count: options.window, repeating: 0)
  }

  static func validate(_ o: Options) throws(HebbianError) {
    func check(_ ok: Bool, _ message: String) throws(HebbianError) {
      if !ok { throw .invalidParameter("NoveltyMonitor: " + message) }
    }
    try check(o.channels >= 1 && o.channels <= 1 << 16, "channels must be in 1...65536, got \(o.channels)")
    try check(o.lags >= 1 && o.lags <= 1024, "lags must be in 1...1024, got \(o.lags)")
    let dim = Int64(o.channels) * Int64(o.lags)
    try check(
      o.components >= 1 && Int64(o.components) < dim,
      "components must be in 1...\(dim - 1) (fewer than channels x lags = \(dim), so Q has a residual), got \(o.components)")
    try check(
      o.rule == .oja || o.rule == .subspace || o.rule == .gha || o.rule == .ccipca,
      "the rule must be oja, subspace, gha or ccipca (their learned rows are the filters), got \(o.rule.name)")
    try check(
      o.falseAlarmRate >= 1e-12 && o.falseAlarmRate <= 0.5,
      "the false-alarm rate must be in [1e-12, 0.5], got \(Numeral.text(o.falseAlarmRate))")
    try check(o.window >= 1 && o.window <= 1 << 16, "window must be in 1...65536, got \(o.window)")
    try check(
      o.alarmCount >= 1 && o.alarmCount <= o.window,
      "alarm count must be in 1...\(o.window) (the window), got \(o.alarmCount)")
    try check(
      o.adaptRate >= 0 && o.adaptRate <= 0.5, "adapt rate must be in [0, 0.5], got \(Numeral.text(o.adaptRate))")
    try check(o.learnSamples >= 0 && o.calibrationSamples >= 0, "sample counts must be >= 0")
    try check(
      o.calibrationCapacity >= 0 && o.calibrationCapacity <= 1 << 26,
      "calibration capacity must be in 0...\(1 << 26), got \(o.calibrationCapacity)")
    if o.limits == .empirical {
      try check(
        o.calibrationCapacity > o.components + 1,
        "empirical limits need a calibration capacity above components + 1 (\(o.components + 1)), got \(o.calibrationCapacity)")
    }
    let k = o.components
    let d = o.channels
    let held = o.limits == .empirical ? o.calibrationCapacity : 0
    try MemoryBudget.check(
      "NoveltyMonitor", "\(d) channels x \(o.lags) lags, \(k) components",
      [[2, Int(dim)], [2, k, Int(dim)], [6, d], [4, k], [held, k], [4, held], [o.window]])
    guard let pcaBytes = OnlinePCA.bytesNeeded(dimension: Int(dim), components: k, maxBatch: 1),
      pcaBytes <= Int64(MemoryBudget.bytes)
    else {
      throw .invalidParameter(
        "NoveltyMonitor: the learner of \(k) components of dimension \(dim) exceeds the memory budget of \(MemoryBudget.bytes >> 20) MiB")
    }
  }

  // MARK: One sample

  /// One sample through the current phase, moving on by itself after
  /// ``Options/learnSamples`` and ``Options/calibrationSamples``. Returns the reading of a
  /// detected sample; nil while learning or calibrating, and for the first `lags − 1` samples
  /// of a history. Throws on a wrong length or a non-finite value, the monitor unchanged.
  public mutating func process(_ x: Span<Float>) throws(HebbianError) -> Reading? {
    switch phase {
    case .learn:
      guard options.learnSamples > 0 else {
        throw .invalidParameter(
          "NoveltyMonitor.process: learnSamples is 0; call learn(_:) and beginCalibration() instead")
      }
      try learn(x)
      if learned >= options.learnSamples { try beginCalibration() }
      return nil
    case .calibrate:
      try calibrate(x)
      if calibrated >= options.calibrationSamples { try beginDetection() }
      return nil
    case .detect:
      return try detect(x)
    }
  }

  /// Learn phase: the sample updates the channel scaling and, once the history holds `lags`
  /// samples, the subspace.
  #if !HEBBIAN_SIZE_FIRST
  @_optimize(speed)
  #endif
  public mutating func learn(_ x: Span<Float>) throws(HebbianError) {
    try expect(.learn, "learn")
    try x.withUnsafeBufferPointer { (p) throws(HebbianError) in try learn(p) }
  }

  // Per sample, like learn(_:) and the other phases: optimised for speed when the module is
  // built -Osize (the board builds), where the phase check, the span's closure and the body
  // are otherwise not inlined (monitor ran 14 % more instructions). A closure does not
  // inherit the attribute, so each body is a method of its own. The board examples' copy of
  // the library (HEBBIAN_SIZE_FIRST) leaves the attribute out: there the 100 KB comes first.
  #if !HEBBIAN_SIZE_FIRST
  @_optimize(speed)
  #endif
  private mutating func learn(_ p: UnsafeBufferPointer<Float>) throws(HebbianError) {
    try checkSample(p)
    let d = options.channels
    channelCount += 1
    let n = Double(channelCount)
    let (mean, m2) = (channelMean.base, channelM2.base)
    for j in 0..<d {
      let v = Double(p[j])
      let delta = v - mean[j]
      mean[j] += delta / n
      m2[j] += delta * (v - mean[j])
      channelScale[j] = channelCount > 1 && m2[j] > 0 ? (m2[j] / n).squareRoot() : 1
    }
    learned += 1
    standardise(p.baseAddress!)
    if let v = publish() {
      try pca.update(Span(_unsafeStart: v, count: options.dimension))
    }
  }

  /// Forgets the lag history: the next `lags − 1` samples form no vector. Call it between
  /// passes over held samples, or before a stream that does not continue the last one.
  public mutating func resetHistory() {
    historyFill = 0
    historyNext = 0
  }

  /// Ends learning: freezes the scaling and takes the learned rows, orthonormalised, as the
  /// basis the statistics are measured in.
  public mutating func beginCalibration() throws(HebbianError) {
    try expect(.learn, "beginCalibration")
    guard pca.samplesSeen >= 1 else {
      throw .invalidParameter(
        "NoveltyMonitor: nothing learned yet (learn at least \(options.lags) samples, a full lag history)")
    }
    refreshBasis()
    lambda.fill(0)
    qMean = 0
    qM2 = 0
    calibrationCount = 0
    phase = .calibrate
  }

  /// Calibrate phase: the sample's scores and residual go into the statistics the limits use.
  #if !HEBBIAN_SIZE_FIRST
  @_optimize(speed)
  #endif
  public mutating func calibrate(_ x: Span<Float>) throws(HebbianError) {
    try expect(.calibrate, "calibrate")
    try x.withUnsafeBufferPointer { (p) throws(HebbianError) in try calibrate(p) }
  }

  // Per sample, for speed under -Osize (see learn(_:)).
  #if !HEBBIAN_SIZE_FIRST
  @_optimize(speed)
  #endif
  private mutating func calibrate(_ p: UnsafeBufferPointer<Float>) throws(HebbianError) {
    try checkSample(p)
    if options.limits == .empirical && calibrationCount >= Int64(options.calibrationCapacity)
      && historyFill + 1 >= options.lags
    {
      throw .invalidParameter(
        "NoveltyMonitor: empirical limits hold at most \(options.calibrationCapacity) calibration samples (the calibration capacity)")
    }
    standardise(p.baseAddress!)
    calibrated += 1
    guard let v = publish() else { return }
    let q = score(v)
    let k = options.components
    calibrationCount += 1
    let n = Double(calibrationCount)
    for i in 0..<k { lambda[i] += scores[i] * scores[i] }
    let delta = q - qMean
    qMean += delta / n
    qM2 += delta * (q - qMean)
    if options.limits == .empirical {
      let at = Int(calibrationCount - 1)
      for i in 0..<k { store[at * k + i] = Float(scores[i]) }
      storeQ[at] = q
    }
  }

  /// Ends calibration: λᵢ and Q's moments become final and the limits are set.
  public mutating func beginDetection() throws(HebbianError) {
    try expect(.calibrate, "beginDetection")
    let k = options.components
    guard calibrationCount > Int64(k) + 1 else {
      throw .invalidParameter(
        "NoveltyMonitor: calibrated on \(calibrationCount) vectors; the limits need more than components + 1 = \(k + 1)")
    }
    let n = Double(calibrationCount)
    var total = 0.0
    for i in 0..<k {
      lambda[i] /= n
      total += lambda[i]
    }
    // A direction with no variance in calibration: any movement along it is new, but the
    // rounding of y must not read as infinite T².
    let floor = Swift.max(total / Double(k), 1e-300) * 1e-12
    for i in 0..<k { lambda[i] = Swift.max(lambda[i], floor) }
    qM2 /= n  // from here on: Q's variance
    try setLimits()
    qMeanAtLimits = qMean
    phase = .detect
    flags.fill(0)
    flagNext = 0
    flagCount = 0
  }

  /// Detect phase: T², Q, the limits and the alarm for one sample; nil until the history holds
  /// `lags` samples. With an adapt rate, a sample judged normal is learned.
  #if !HEBBIAN_SIZE_FIRST
  @_optimize(speed)
  #endif
  public mutating func detect(_ x: Span<Float>) throws(HebbianError) -> Reading? {
    try expect(.detect, "detect")
    return try x.withUnsafeBufferPointer { (p) throws(HebbianError) in try detect(p) }
  }

  // Per sample, for speed under -Osize (see learn(_:)).
  #if !HEBBIAN_SIZE_FIRST
  @_optimize(speed)
  #endif
  private mutating func detect(_ p: UnsafeBufferPointer<Float>) throws(HebbianError) -> Reading? {
    try checkSample(p)
    standardise(p.baseAddress!)
    detected += 1
    guard let v = publish() else { return nil }
    let q = score(v)
    var t2 = 0.0
    for i in 0..<options.components { t2 += scores[i] * scores[i] / lambda[i] }
    let exceeded = t2 > t2Limit || q > qLimit
    let reading = vote(exceeded, t2: t2, q: q)
    if options.adaptRate > 0 && !exceeded && !alarm {
      try adapt(p.baseAddress!, v, q)
    }
    return reading
  }

  // MARK: Steps

  func expect(_ p: Phase, _ what: String) throws(HebbianError) {
    guard phase == p else {
      throw .invalidParameter(
        "NoveltyMonitor.\(what): the monitor is in its \(phase.name) phase, not \(p.name)")
    }
  }

  func checkSample(_ p: UnsafeBufferPointer<Float>) throws(HebbianError) {
    guard p.count == options.channels else {
      throw .dimensionMismatch(
        what: "NoveltyMonitor: sample values", expected: options.channels, got: p.count)
    }
    for j in 0..<p.count where !p[j].isFinite { throw .nonFinite(index: j) }
  }

  /// z = (x − mean) / scale into the history's next slot (not yet published).
  func standardise(_ x: UnsafePointer<Float>) {
    let d = options.channels
    let bound = Self.standardisedBound
    let slot = history.base + historyNext * d
    for j in 0..<d {
      let z = (Double(x[j]) - channelMean[j]) / channelScale[j]
      slot[j] =
        Swift.abs(z) < Self.standardisedFloor ? 0 : Float(Swift.min(Swift.max(z, -bound), bound))
    }
  }


  /// Publishes the standardised sample in the history's next slot (and its mirror); returns
  /// the embedded vector, oldest sample first, once `lags` samples are held.
  mutating func publish() -> UnsafePointer<Float>? {
    let d = options.channels
    let lags = options.lags
    let slot = history.base + historyNext * d
    (slot + lags * d).update(from: slot, count: d)
    historyNext = historyNext + 1 == lags ? 0 : historyNext + 1
    historyFill = Swift.min(historyFill + 1, lags)
    guard historyFill == lags else { return nil }
    // The oldest sample is at historyNext; its mirror run covers the next lags − 1 slots.
    return UnsafePointer(history.base + historyNext * d)
  }

  /// y = C v into `scores`; returns Q = ‖v‖² − ‖y‖² (not below 0).
  mutating func score(_ v: UnsafePointer<Float>) -> Double {
    let dim = options.dimension
    var norm = 0.0
    for j in 0..<dim { norm += Double(v[j]) * Double(v[j]) }
    var explained = 0.0
    for i in 0..<options.components {
      let row = basis.base + i * dim
      var s = 0.0
      for j in 0..<dim { s += row[j] * Double(v[j]) }
      scores[i] = s
      explained += s * s
    }
    return Swift.max(0, norm - explained)
  }

  /// Counts the exceedance in the window and decides the alarm.
  mutating func vote(_ exceeded: Bool, t2: Double, q: Double) -> Reading {
    let n = options.window
    // The flag leaving the window is the one in the slot about to be overwritten.
    flagCount -= Int(flags[flagNext])
    flags[flagNext] = exceeded ? 1 : 0
    flagCount += exceeded ? 1 : 0
    flagNext = flagNext + 1 == n ? 0 : flagNext + 1
    alarm = flagCount >= options.alarmCount
    if exceeded { exceedances += 1 }
    if alarm { alarmSamples += 1 }
    return Reading(
      t2: t2, q: q, t2Limit: t2Limit, qLimit: qLimit, exceeded: exceeded, alarm: alarm)
  }

  /// Learns a sample judged normal: scaling, subspace, λ and Q's moments move by the adapt
  /// rate; the basis and the Q limit follow every ``refreshEvery`` samples.
  mutating func adapt(_ x: UnsafePointer<Float>, _ v: UnsafePointer<Float>, _ q: Double)
    throws(HebbianError)
  {
    let rho = options.adaptRate
    for j in 0..<options.channels {
      let delta = Double(x[j]) - channelMean[j]
      channelMean[j] += rho * delta
      let variance = channelScale[j] * channelScale[j]
      let next = variance + rho * (delta * delta * (1 - rho) - variance)
      if next > 0 && next.isFinite { channelScale[j] = next.squareRoot() }
    }
    try pca.update(Span(_unsafeStart: v, count: options.dimension))
    for i in 0..<options.components {
      lambda[i] = Swift.max(lambda[i] + rho * (scores[i] * scores[i] - lambda[i]), 1e-300)
    }
    let delta = q - qMean
    qMean += rho * delta
    qM2 += rho * (delta * delta * (1 - rho) - qM2)
    adaptations += 1
    if adaptations % Self.refreshEvery == 0 {
      refreshBasis()
      try setQLimit()
    }
  }

  /// The learner's rows, orthonormalised by modified Gram–Schmidt in Double, as the basis.
  mutating func refreshBasis() {
    let k = options.components
    let dim = options.dimension
    let w = pca.w.base
    let c = basis.base
    for i in 0..<k {
      let row = c + i * dim
      for j in 0..<dim { row[j] = Double(w[i * dim + j]) }
      for r in 0..<i {
        let prev = c + r * dim
        var s = 0.0
        for j in 0..<dim { s += prev[j] * row[j] }
        for j in 0..<dim { row[j] -= s * prev[j] }
      }
      var norm = 0.0
      for j in 0..<dim { norm += row[j] * row[j] }
      // A row that collapsed onto the earlier ones carries no direction: it scores 0.
      let inverse = norm > 1e-24 ? 1 / norm.squareRoot() : 0
      for j in 0..<dim { row[j] *= inverse }
    }
  }

  // MARK: Limits

  /// Sets both limits from the calibration statistics: α/2 each, so the pair's false-alarm
  /// rate stays at most α.
  mutating func setLimits() throws(HebbianError) {
    let k = options.components
    let alpha = options.falseAlarmRate / 2
    let n = Double(calibrationCount)
    switch options.limits {
    case .theoretical:
      let kd = Double(k)
      t2Limit =
        kd * (n - 1) * (n + 1) / (n * (n - kd))
        * Distributions.fUpperQuantile(alpha, kd, n - kd)
      try setQLimit()
    case .empirical:
      let m = Int(calibrationCount)
      for s in 0..<m {
        var t2 = 0.0
        for i in 0..<k {
          let y = Double(store[s * k + i])
          t2 += y * y / lambda[i]
        }
        sortScratch[s] = t2
      }
      t2Limit = Self.upperQuantile(sortScratch.base, m, alpha)
      for s in 0..<m { sortScratch[s] = storeQ[s] }
      qLimit = Self.upperQuantile(sortScratch.base, m, alpha)
    }
    guard t2Limit.isFinite, qLimit.isFinite, t2Limit > 0 else {
      throw .invalidParameter(
        "NoveltyMonitor: the calibration statistics give no finite limits (T² \(Numeral.text(t2Limit)), Q \(Numeral.text(qLimit)))")
    }
  }

  /// The Q limit from Q's current mean and variance: Box's g·χ²_h, or, for empirical
  /// limits, the calibrated quantile scaled with Q's mean.
  mutating func setQLimit() throws(HebbianError) {
    let alpha = options.falseAlarmRate / 2
    let (m, v) = (qMean, qM2)
    switch options.limits {
    case .theoretical:
      if m > 0 && v > 0 {
        let g = v / (2 * m)
        let h = 2 * m * m / v
        qLimit = g * Distributions.chiSquaredUpperQuantile(alpha, degrees: h)
      } else {
        // Q was constant in calibration (the data filled only k directions): a limit just
        // above it, so the first sample off the subspace is seen.
        qLimit = Swift.max(m * (1 + 1e-6), 1e-12)
      }
    case .empirical:
      if qMeanAtLimits > 0 && m > 0 { qLimit *= m / qMeanAtLimits }
      qMeanAtLimits = m
    }
    // Every reading carries the limit: it must stay a finite number.
    guard qLimit.isFinite && qLimit > 0 else {
      throw .diverged("NoveltyMonitor: the Q limit is no longer a finite positive number")
    }
  }

  /// The (1 − alpha) quantile of `n` values, with linear interpolation between order
  /// statistics (position (n − 1)(1 − alpha)); sorts them in place (heapsort, no allocation).
  static func upperQuantile(_ a: UnsafeMutablePointer<Double>, _ n: Int, _ alpha: Double) -> Double
  {
    heapSort(a, n)
    let position = Double(n - 1) * (1 - alpha)
    let low = Int(position)
    let high = Swift.min(low + 1, n - 1)
    let f = position - Double(low)
    return a[low] + f * (a[high] - a[low])
  }

  static func heapSort(_ a: UnsafeMutablePointer<Double>, _ n: Int) {
    func siftDown(_ start: Int, _ end: Int) {
      var root = start
      while 2 * root + 1 < end {
        var child = 2 * root + 1
        if child + 1 < end && a[child] < a[child + 1] { child += 1 }
        if a[root] >= a[child] { return }
        a.swapAt(root, child)
        root = child
      }
    }
    var start = n / 2
    while start > 0 {
      start -= 1
      siftDown(start, n)
    }
    var end = n
    while end > 1 {
      end -= 1
      a.swapAt(0, end)
      siftDown(0, end)
    }
  }
}

extension UnsafeMutablePointer where Pointee == Double {
  fileprivate func swapAt(_ i: Int, _ j: Int) {
    let t = self[i]
    self[i] = self[j]
    self[j] = t
  }
}
