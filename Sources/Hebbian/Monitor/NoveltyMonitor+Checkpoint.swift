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
    let shapes = try file.shapes(named: ["channels", "lags", "components"])
    func counter(_ name: String, max: UInt64) throws(HebbianError) -> Int64 {
      let v = try file.counter(name)
      guard v <= max else {
        throw .format("model file: counter '\(name)' (\(v)) is out of range (at most \(max))")
      }
      return Int64(v)
    }
    func finite(_ name: String) throws(HebbianError) -> Double {
      let v = try file.parameter(name)
      guard v.isFinite else { throw .format("model file: parameter '\(name)' is not finite") }
      return v
    }
    let big = UInt64(1) << 62
    var o = Options(channels: shapes[0], components: shapes[2])
    o.lags = shapes[1]
    guard let rule = OnlinePCA.Rule(rawValue: Int(try counter("rule", max: 16))),
      let limits = LimitMethod(rawValue: Int(try counter("limits", max: 16)))
    else { throw .format("model file: unknown rule or limit method") }
    o.rule = rule
    o.limits = limits
    o.falseAlarmRate = try finite("falseAlarmRate")
    o.adaptRate = try finite("adaptRate")
    o.window = Int(try counter("window", max: 1 << 16))
    o.alarmCount = Int(try counter("alarmCount", max: 1 << 16))
    o.learnSamples = try counter("learnSamples", max: big)
    o.calibrationSamples = try counter("calibrationSamples", max: big)
    o.calibrationCapacity = Int(try counter("calibrationCapacity", max: 1 << 26))
    o.seed = try file.counter("seed")
    // The learner, from the entries of its own checkpoint.
    var inner = ModelFile(
      kind: OnlinePCA.modelKind(rule), shapes: [o.dimension, o.components], parameters: [],
      counters: [], arrays: [])
    for p in file.parameters where p.name.utf8.starts(with: "pca.".utf8) {
      inner.parameters.append(.init(String(p.name.dropFirst(4)), p.value))
    }
    for c in file.counters where c.name.utf8.starts(with: "pca.".utf8) {
      inner.counters.append(.init(String(c.name.dropFirst(4)), c.value))
    }
    for a in file.arrays where a.name.utf8.starts(with: "pca.".utf8) {
      inner.arrays.append(.init(String(a.name.dropFirst(4)), a.value))
    }
    let learner = try OnlinePCA(restoring: inner)
    o.learningRate = learner.learningRate
    try Self.validate(o)
    guard let phase = Phase(rawValue: Int(try counter("phase", max: 2))) else {
      throw .format("model file: unknown phase")
    }
    let d = o.channels
    let dim = o.dimension
    let k = o.components
    let window = o.window
    let flagCount = Int(try counter("flagCount", max: UInt64(window)))
    let flags = try file.array("flags", count: window)
    var ones = 0
    for v in flags {
      guard v == 0 || v == 1 else { throw .format("model file: array 'flags' holds \(v)") }
      ones += Int(v)
    }
    guard ones == flagCount else {
      throw .format("model file: counter 'flagCount' (\(flagCount)) disagrees with 'flags' (\(ones))")
    }
    let calibrationCount = try counter("calibrationCount", max: big)
    let held = o.limits == .empirical ? Int(Swift.min(calibrationCount, Int64(o.calibrationCapacity))) : 0
    let history = try Self.finiteArray(file, "history", count: 2 * dim)
    let store = try Self.finiteArray(file, "store", count: held * k, optional: held == 0)
    let storeQ = try Self.unpack(file, "storeQ", count: held, optional: held == 0)
    let channelMean = try Self.unpack(file, "channelMean", count: d)
    let channelM2 = try Self.unpack(file, "channelM2", count: d)
    let channelScale = try Self.unpack(file, "channelScale", count: d)
    let basis = try Self.unpack(file, "basis", count: k * dim)
    let lambda = try Self.unpack(file, "lambda", count: k)
    for j in 0..<d where !(channelScale[j] > 0) {
      throw .format("model file: channel \(j + 1)'s scale is not positive")
    }
    if phase == .detect {
      for i in 0..<k where !(lambda[i] > 0) {
        throw .format("model file: component \(i + 1)'s variance is not positive")
      }
    }
    let counts = (
      learned: try counter("learned", max: big), calibrated: try counter("calibrated", max: big),
      detected: try counter("detected", max: big), exceedances: try counter("exceedances", max: big),
      alarmSamples: try counter("alarmSamples", max: big),
      adaptations: try counter("adaptations", max: big), alarm: try counter("alarm", max: 1) == 1,
      channelCount: try counter("channelCount", max: big),
      historyNext: Int(try counter("historyNext", max: UInt64(o.lags - 1))),
      historyFill: Int(try counter("historyFill", max: UInt64(o.lags))),
      flagNext: Int(try counter("flagNext", max: UInt64(window - 1))))
    let moments = (
      qMean: try finite("qMean"), qM2: try finite("qM2"), qMeanAtLimits: try finite("qMeanAtLimits"),
      t2Limit: try finite("t2Limit"), qLimit: try finite("qLimit"))

    // Everything is checked: from here on nothing throws but the allocation's budget check.
    try self.init(o)
    pca = learner
    self.phase = phase
    learned = counts.learned
    calibrated = counts.calibrated
    detected = counts.detected
    self.calibrationCount = calibrationCount
    exceedances = counts.exceedances
    alarmSamples = counts.alarmSamples
    adaptations = counts.adaptations
    alarm = counts.alarm
    channelCount = counts.channelCount
    historyNext = counts.historyNext
    historyFill = counts.historyFill
    flagNext = counts.flagNext
    self.flagCount = flagCount
    qMean = moments.qMean
    qM2 = moments.qM2
    qMeanAtLimits = moments.qMeanAtLimits
    t2Limit = moments.t2Limit
    qLimit = moments.qLimit
    for (i, v) in history.enumerated() { self.history[i] = v }
    for (i, v) in flags.enumerated() { self.flags[i] = v == 1 ? 1 : 0 }
    for (i, v) in channelMean.enumerated() { self.channelMean[i] = v }
    for (i, v) in channelM2.enumerated() { self.channelM2[i] = v }
    for (i, v) in channelScale.enumerated() { self.channelScale[i] = v }
    for (i, v) in basis.enumerated() { self.basis[i] = v }
    for (i, v) in lambda.enumerated() { self.lambda[i] = v }
    for (i, v) in store.enumerated() { self.store[i] = v }
    for (i, v) in storeQ.enumerated() { self.storeQ[i] = v }
  }

  static func packed(
    _ name: String, _ b: borrowing OwnedBuffer<Double>, count: Int? = nil
  ) -> ModelFile.FloatArray {
    let n = count ?? b.count
    var out = [Float](repeating: 0, count: 4 * n)
    for i in 0..<n {
      let bits = b[i].bitPattern
      for p in 0..<4 { out[4 * i + p] = Float(UInt16(truncatingIfNeeded: bits >> (16 * UInt64(p)))) }
    }
    return .init(name + ".f64", out)
  }

  static func unpack(_ file: ModelFile, _ name: String, count n: Int, optional: Bool = false)
    throws(HebbianError) -> [Double]
  {
    if optional && !file.arrays.contains(where: { $0.name.utf8.elementsEqual((name + ".f64").utf8) }) {
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
    if optional && !file.arrays.contains(where: { $0.name.utf8.elementsEqual(name.utf8) }) {
      return []
    }
    let a = try file.array(name, count: n)
    for v in a where !v.isFinite { throw .format("model file: array '\(name)' is not finite") }
    return a
  }
}
