/// A monitor's whole state in the one ``ModelFile`` format: options, phase, scaling, lag
/// history, learner, basis, statistics, limits and alarm window. A restored monitor continues
/// bit for bit.
///
/// Double-precision state is stored exactly in float32 arrays whose names end in `.f64`: each
/// value as four 16-bit pieces, lowest first, each piece an integer a float32 holds exactly.
/// The embedded learner's configuration and state are the entries of its own checkpoint with
/// names prefixed `pca.`.
extension NoveltyMonitor {
  /// The model-file kind of a monitor.
  public static let modelKind = "monitor"

  public func checkpoint() -> ModelFile {
    let o = options
    let k = o.components
    var parameters: [ModelFile.Parameter] = [
      .init("falseAlarmRate", o.falseAlarmRate), .init("adaptRate", o.adaptRate),
      .init("qMean", qMean), .init("qM2", qM2), .init("qMeanAtLimits", qMeanAtLimits),
      .init("t2Limit", t2Limit), .init("qLimit", qLimit),
    ]
    var counters: [ModelFile.Counter] = [
      .init("rule", UInt64(o.rule.rawValue)), .init("limits", UInt64(o.limits.rawValue)),
      .init("window", UInt64(o.window)), .init("alarmCount", UInt64(o.alarmCount)),
      .init("learnSamples", UInt64(o.learnSamples)),
      .init("calibrationSamples", UInt64(o.calibrationSamples)),
      .init("calibrationCapacity", UInt64(o.calibrationCapacity)), .init("seed", o.seed),
      .init("phase", UInt64(phase.rawValue)), .init("learned", UInt64(learned)),
      .init("calibrated", UInt64(calibrated)), .init("detected", UInt64(detected)),
      .init("calibrationCount", UInt64(calibrationCount)),
      .init("exceedances", UInt64(exceedances)), .init("alarmSamples", UInt64(alarmSamples)),
      .init("adaptations", UInt64(adaptations)), .init("alarm", alarm ? 1 : 0),
      .init("channelCount", UInt64(channelCount)), .init("historyNext", UInt64(historyNext)),
      .init("historyFill", UInt64(historyFill)), .init("flagNext", UInt64(flagNext)),
      .init("flagCount", UInt64(flagCount)),
    ]
    var arrays: [ModelFile.FloatArray] = [
      .init("history", history.toArray()),
      .init("flags", flags.toArray().map { Float($0) }),
      Self.packed("channelMean", channelMean), Self.packed("channelM2", channelM2),
      Self.packed("channelScale", channelScale), Self.packed("basis", basis),
      Self.packed("lambda", lambda),
    ]
    if o.limits == .empirical {
      let held = Int(Swift.min(calibrationCount, Int64(o.calibrationCapacity)))
      arrays.append(.init("store", store.toArray(0..<(held * k))))
      arrays.append(Self.packed("storeQ", storeQ, count: held))
    }
    let inner = pca.checkpoint()
    parameters += inner.parameters.map { .init("pca." + $0.name, $0.value) }
    counters += inner.counters.map { .init("pca." + $0.name, $0.value) }
    arrays += inner.arrays.map { .init("pca." + $0.name, $0.value) }
    return ModelFile(
      kind: Self.modelKind, shapes: [o.channels, o.lags, o.components], parameters: parameters,
      counters: counters, arrays: arrays)
  }

  /// The monitor a model file describes. Errors name the field that is missing, malformed or
  /// out of range.
  public init(restoring file: ModelFile) throws(HebbianError) {
    try file.expect(kind: Self.modelKind)
    var o = try Self.restoredOptions(file)
    let learner = try Self.restoredLearner(file, o)
    o.learningRate = learner.learningRate
    try Self.validate(o)
    guard let phase = Phase(rawValue: Int(try Self.counter(file, "phase", max: 2))) else {
      throw .format("model file: unknown phase")
    }
    let saved = try Restored(file, o, phase: phase)

    // Everything is checked: from here on nothing throws but the allocation's budget check.
    try self.init(o)
    pca = learner
    self.phase = phase
    learned = saved.learned
    calibrated = saved.calibrated
    detected = saved.detected
    calibrationCount = saved.calibrationCount
    exceedances = saved.exceedances
    alarmSamples = saved.alarmSamples
    adaptations = saved.adaptations
    alarm = saved.alarm
    channelCount = saved.channelCount
    historyNext = saved.historyNext
    historyFill = saved.historyFill
    flagNext = saved.flagNext
    flagCount = saved.flagCount
    qMean = saved.qMean
    qM2 = saved.qM2
    qMeanAtLimits = saved.qMeanAtLimits
    t2Limit = saved.t2Limit
    qLimit = saved.qLimit
    for (i, v) in saved.history.enumerated() { history[i] = v }
    for (i, v) in saved.flags.enumerated() { flags[i] = v == 1 ? 1 : 0 }
    for (i, v) in saved.channelMean.enumerated() { channelMean[i] = v }
    for (i, v) in saved.channelM2.enumerated() { channelM2[i] = v }
    for (i, v) in saved.channelScale.enumerated() { channelScale[i] = v }
    for (i, v) in saved.basis.enumerated() { basis[i] = v }
    for (i, v) in saved.lambda.enumerated() { lambda[i] = v }
    for (i, v) in saved.store.enumerated() { store[i] = v }
    for (i, v) in saved.storeQ.enumerated() { storeQ[i] = v }
  }

  /// A counter of a monitor's file, refused beyond `max`.
  fileprivate static func counter(_ file: ModelFile, _ name: String, max: UInt64)
    throws(HebbianError) -> Int64
  {
    let v = try file.counter(name)
    guard v <= max else {
      throw .format("model file: counter '\(name)' (\(v)) is out of range (at most \(max))")
    }
    return Int64(v)
  }

  /// A parameter of a monitor's file, refused unless finite.
  fileprivate static func finite(_ file: ModelFile, _ name: String) throws(HebbianError) -> Double {
    let v = try file.parameter(name)
    guard v.isFinite else { throw .format("model file: parameter '\(name)' is not finite") }
    return v
  }

  /// The options a monitor's file records (the learning rate is its learner's).
  fileprivate static func restoredOptions(_ file: ModelFile) throws(HebbianError) -> Options {
    let shapes = try file.shapes(named: ["channels", "lags", "components"])
    let big = UInt64(1) << 62
    var o = Options(channels: shapes[0], components: shapes[2])
    o.lags = shapes[1]
    guard let rule = OnlinePCA.Rule(rawValue: Int(try counter(file, "rule", max: 16))),
      let limits = LimitMethod(rawValue: Int(try counter(file, "limits", max: 16)))
    else { throw .format("model file: unknown rule or limit method") }
    o.rule = rule
    o.limits = limits
    o.falseAlarmRate = try finite(file, "falseAlarmRate")
    o.adaptRate = try finite(file, "adaptRate")
    o.window = Int(try counter(file, "window", max: 1 << 16))
    o.alarmCount = Int(try counter(file, "alarmCount", max: 1 << 16))
    o.learnSamples = try counter(file, "learnSamples", max: big)
    o.calibrationSamples = try counter(file, "calibrationSamples", max: big)
    o.calibrationCapacity = Int(try counter(file, "calibrationCapacity", max: 1 << 26))
    o.seed = try file.counter("seed")
    return o
  }

  /// The learner of a monitor's file, from the entries of its own checkpoint (prefixed
  /// `pca.`).
  fileprivate static func restoredLearner(_ file: ModelFile, _ o: Options) throws(HebbianError)
    -> OnlinePCA
  {
    var inner = ModelFile(
      kind: OnlinePCA.modelKind(o.rule), shapes: [o.dimension, o.components], parameters: [],
      counters: [], arrays: [])
    for p in file.parameters where p.name.hasBytePrefix("pca.") {
      inner.parameters.append(.init(p.name.droppingBytes(prefix: 4), p.value))
    }
    for c in file.counters where c.name.hasBytePrefix("pca.") {
      inner.counters.append(.init(c.name.droppingBytes(prefix: 4), c.value))
    }
    for a in file.arrays where a.name.hasBytePrefix("pca.") {
      inner.arrays.append(.init(a.name.droppingBytes(prefix: 4), a.value))
    }
    return try OnlinePCA(restoring: inner)
  }

  /// The state of a monitor's file beside its options: counts, moments, limits and arrays,
  /// each checked against the options before the monitor is built.
  fileprivate struct Restored {
    var flagCount: Int
    var flags: [Float]
    var calibrationCount: Int64
    var history: [Float]
    var store: [Float]
    var storeQ: [Double]
    var channelMean: [Double]
    var channelM2: [Double]
    var channelScale: [Double]
    var basis: [Double]
    var lambda: [Double]
    var learned: Int64
    var calibrated: Int64
    var detected: Int64
    var exceedances: Int64
    var alarmSamples: Int64
    var adaptations: Int64
    var alarm: Bool
    var channelCount: Int64
    var historyNext: Int
    var historyFill: Int
    var flagNext: Int
    var qMean: Double
    var qM2: Double
    var qMeanAtLimits: Double
    var t2Limit: Double
    var qLimit: Double

    init(_ file: ModelFile, _ o: Options, phase: Phase) throws(HebbianError) {
      func counter(_ name: String, max: UInt64) throws(HebbianError) -> Int64 {
        try NoveltyMonitor.counter(file, name, max: max)
      }
      func finite(_ name: String) throws(HebbianError) -> Double {
        try NoveltyMonitor.finite(file, name)
      }
      let big = UInt64(1) << 62
      let (d, dim, k, window) = (o.channels, o.dimension, o.components, o.window)
      flagCount = Int(try counter("flagCount", max: UInt64(window)))
      flags = try file.array("flags", count: window)
      var ones = 0
      for v in flags {
        guard v == 0 || v == 1 else { throw .format("model file: array 'flags' holds \(v)") }
        ones += Int(v)
      }
      guard ones == flagCount else {
        throw .format(
          "model file: counter 'flagCount' (\(flagCount)) disagrees with 'flags' (\(ones))")
      }
      calibrationCount = try counter("calibrationCount", max: big)
      let held =
        o.limits == .empirical ? Int(Swift.min(calibrationCount, Int64(o.calibrationCapacity))) : 0
      history = try NoveltyMonitor.finiteArray(file, "history", count: 2 * dim)
      store = try NoveltyMonitor.finiteArray(file, "store", count: held * k, optional: held == 0)
      storeQ = try NoveltyMonitor.unpack(file, "storeQ", count: held, optional: held == 0)
      channelMean = try NoveltyMonitor.unpack(file, "channelMean", count: d)
      channelM2 = try NoveltyMonitor.unpack(file, "channelM2", count: d)
      channelScale = try NoveltyMonitor.unpack(file, "channelScale", count: d)
      basis = try NoveltyMonitor.unpack(file, "basis", count: k * dim)
      lambda = try NoveltyMonitor.unpack(file, "lambda", count: k)
      for j in 0..<d where !(channelScale[j] > 0) {
        throw .format("model file: channel \(j + 1)'s scale is not positive")
      }
      if phase == .detect {
        for i in 0..<k where !(lambda[i] > 0) {
          throw .format("model file: component \(i + 1)'s variance is not positive")
        }
      }
      learned = try counter("learned", max: big)
      calibrated = try counter("calibrated", max: big)
      detected = try counter("detected", max: big)
      exceedances = try counter("exceedances", max: big)
      alarmSamples = try counter("alarmSamples", max: big)
      adaptations = try counter("adaptations", max: big)
      alarm = try counter("alarm", max: 1) == 1
      channelCount = try counter("channelCount", max: big)
      historyNext = Int(try counter("historyNext", max: UInt64(o.lags - 1)))
      historyFill = Int(try counter("historyFill", max: UInt64(o.lags)))
      flagNext = Int(try counter("flagNext", max: UInt64(window - 1)))
      qMean = try finite("qMean")
      qM2 = try finite("qM2")
      qMeanAtLimits = try finite("qMeanAtLimits")
      t2Limit = try finite("t2Limit")
      qLimit = try finite("qLimit")
    }
  }

  static func packed(
    _ name: String, _ b: borrowing OwnedBuffer<Double>, count: Int? = nil
  ) -> ModelFile.FloatArray {
    let n = count ?? b.count
    var out = [Float](repeating: 0, count: 4 * n)
    for i in 0..<n {
      let bits = b[i].bitPattern
      for p in 0..<4 {
        out[4 * i + p] = Float(UInt16(truncatingIfNeeded: bits >> (16 * UInt64(p))))
      }
    }
    return .init(name + ".f64", out)
  }

  static func unpack(_ file: ModelFile, _ name: String, count n: Int, optional: Bool = false)
    throws(HebbianError) -> [Double]
  {
    if optional
      && !file.arrays.contains(where: { $0.name.isBytes(name + ".f64") })
    {
      return []
    }
    let a = try file.array(name + ".f64", count: 4 * n)
    var out = [Double](repeating: 0, count: n)
    for i in 0..<n {
      var bits: UInt64 = 0
      for p in 0..<4 {
        let piece = a[4 * i + p]
        guard piece >= 0, piece <= 65535, piece == piece.rounded(.towardZero) else {
          throw .format("model file: array '\(name).f64' holds \(piece), not a 16-bit piece")
        }
        bits |= UInt64(piece) << (16 * UInt64(p))
      }
      let v = Double(bitPattern: bits)
      guard v.isFinite else { throw .format("model file: array '\(name).f64' is not finite") }
      out[i] = v
    }
    return out
  }

  static func finiteArray(_ file: ModelFile, _ name: String, count n: Int, optional: Bool = false)
    throws(HebbianError) -> [Float]
  {
    if optional && !file.arrays.contains(where: { $0.name.isBytes(name) }) {
      return []
    }
    let a = try file.array(name, count: n)
    for v in a where !v.isFinite { throw .format("model file: array '\(name)' is not finite") }
    return a
  }
}
