/// Checkpoints of an online PCA learner in the one ``ModelFile`` format.
extension OnlinePCA {
  /// Where in its input a checkpoint was taken: a checkpoint restored and fed from
  /// `sampleOffset` of pass `pass` continues exactly where the original run was.
  public struct StreamPosition: Sendable, Equatable {
    /// 0-based pass over the input.
    public var pass: Int
    /// Records of that pass already consumed (learned from or skipped).
    public var sampleOffset: Int64

    public init(pass: Int = 0, sampleOffset: Int64 = 0) {
      self.pass = pass
      self.sampleOffset = sampleOffset
    }
  }

  /// The model-file kind of a rule: `pca.<rule name>`, e.g. `pca.gha`.
  public static func modelKind(_ rule: Rule) -> String { "pca." + rule.name }

  /// The names of ``ModelFile/shapes`` for a PCA model, for error messages.
  public static let shapeNames = ["dimension", "components"]

  /// The configuration, the learned state and `position` as a model file. Restoring it with
  /// ``init(restoring:)`` gives a learner whose further updates are bit-identical to this
  /// one's (same kernels, same ISA). Allocates.
  public func checkpoint(position: StreamPosition = StreamPosition()) -> ModelFile {
    let s = state
    var parameters: [ModelFile.Parameter] = []
    switch learningRate {
    case .constant(let a):
      parameters.append(.init("schedule", 0))
      parameters.append(.init("rate", Double(a)))
    case .inverse(let scale, let offset, let floor):
      parameters.append(.init("schedule", 1))
      parameters.append(.init("rate", Double(scale)))
      parameters.append(.init("t0", Double(offset)))
      parameters.append(.init("floor", Double(floor)))
    case .power(let scale, let offset, let floor):
      parameters.append(.init("schedule", 2))
      parameters.append(.init("rate", Double(scale)))
      parameters.append(.init("t0", Double(offset)))
      parameters.append(.init("floor", Double(floor)))
    }
    // Float → Double is exact, so every constant reads back to the same Float bits.
    parameters.append(.init("centering", centering ? 1 : 0))
    parameters.append(.init("amnesia", Double(amnesia)))
    parameters.append(.init("lateralTimeScale", Double(lateralTimeScale)))
    parameters.append(.init("inputPower", Double(s.inputPower)))
    return ModelFile(
      kind: Self.modelKind(rule), shapes: [dimension, componentCount], parameters: parameters,
      counters: [
        .init("samples", UInt64(s.samplesSeen)),
        // The seed only made the initial W, but a model says how it was started.
        .init("seed", seed),
        .init("maxBatch", UInt64(maxBatch)),
        .init("pass", UInt64(position.pass)),
        .init("sampleOffset", UInt64(position.sampleOffset)),
      ],
      arrays: [
        .init("W", s.weights), .init("M", s.lateral), .init("outputPower", s.outputPower),
        .init("mean", s.mean),
      ])
  }

  /// The learner a model file describes: configuration and state. Errors name the field that
  /// is missing, malformed or out of range.
  public init(restoring file: ModelFile) throws(HebbianError) {
    guard file.kind.hasBytePrefix("pca."), let rule = Rule(name: file.kind.droppingBytes(prefix: 4))
    else {
      throw .format("model file holds a '\(file.kind)' model, not an online PCA model (pca.<rule>)")
    }
    guard file.shapes.count == 2 else {
      throw .format(
        "model file has \(file.shapes.count) shape entries, expected 2 (dimension, components)")
    }
    let d = file.shapes[0]
    let k = file.shapes[1]
    // The shapes are products below (k·d, k·k): bounded in 64 bits first, so a 32-bit board
    // refuses a forged shape with the host's words instead of overflowing.
    do throws(HebbianError) {
      try MemoryBudget.check(
        "model file", "\(k) components x dimension \(d)", [[k, d], [k, k], [k], [d]])
    } catch {
      throw .format(error.message)
    }
    func float(_ name: String) throws(HebbianError) -> Float {
      let v = try file.parameter(name)
      guard v.isFinite, Swift.abs(v) <= Double(Float.greatestFiniteMagnitude) else {
        throw .format("model file: parameter '\(name)' is not a finite float")
      }
      return Float(v)
    }
    let rate: LearningRate
    switch try file.parameter("schedule") {
    case 0: rate = .constant(try float("rate"))
    case 1:
      rate = .inverse(scale: try float("rate"), offset: try float("t0"), floor: try float("floor"))
    case 2:
      rate = .power(scale: try float("rate"), offset: try float("t0"), floor: try float("floor"))
    default:
      throw .format(
        "model file: parameter 'schedule' must be 0 (constant), 1 (inverse) or 2 (power)")
    }
    let maxBatch = try file.counter("maxBatch")
    // The batch scratch is maxBatch×d floats: bound it so a corrupted counter cannot ask for
    // gigabytes (64 Mi floats is far above any batch the rank-k step profits from).
    guard maxBatch >= 1, maxBatch <= UInt64(1 << 26) / UInt64(Swift.max(d, 1)) else {
      throw .format(
        "model file: counter 'maxBatch' (\(maxBatch)) is out of range for dimension \(d)")
    }
    let samples = try file.counter("samples")
    // 2^62: far beyond any stream, and the same bound on 32- and 64-bit platforms.
    guard samples <= UInt64(1) << 62 else {
      throw .format("model file: counter 'samples' (\(samples)) is out of range (at most 2^62)")
    }
    // What a PCA model holds; anything else is not from this format's writer.
    let known = ["W", "M", "outputPower", "mean"]
    for a in file.arrays where !known.containsBytes(a.name) {
      throw .format(
        "model file: unknown array '\(a.name)' in a PCA model (it holds W, M, outputPower, mean)")
    }
    let state = State(
      samplesSeen: Int64(samples), inputPower: try float("inputPower"),
      weights: try file.array("W", count: k * d), lateral: try file.array("M", count: k * k),
      outputPower: try file.array("outputPower", count: k), mean: try file.array("mean", count: d))
    // Delegate to the designated initialiser rather than assigning `self = …`: a `~Copyable`
    // value with a deinit must not be reassigned inside its own init (the optimiser then
    // destroys a never-initialised `self`, freeing garbage pointers in release builds).
    let centering = try file.parameter("centering") != 0
    let seed = try file.counter("seed")
    let amnesia = try float("amnesia")
    let lateralTimeScale = try float("lateralTimeScale")
    for (i, p) in state.outputPower.enumerated() where p < 0 {
      throw .format("model file: array 'outputPower' entry \(i + 1) is negative (\(p))")
    }
    do throws(HebbianError) {
      try Self.validate(state, components: k, dimension: d)
      // CCIPCA restarts a lost (zero) row from the data; every other rule needs k independent
      // rows, or its components are not a basis of anything.
      if rule != .ccipca, let bad = Self.rankDeficiency(state.weights, k, d) {
        throw .format("array 'W' is rank-deficient: \(bad)")
      }
      try self.init(
        dimension: d, components: k, rule: rule, learningRate: rate, centering: centering,
        seed: seed, maxBatch: Int(maxBatch), amnesia: amnesia, lateralTimeScale: lateralTimeScale)
    } catch {
      throw .format("model file: " + error.message)
    }
    assign(state)
  }

  /// Nil when the k rows of W (k×d) are linearly independent, else which row depends on the
  /// ones before it: Cholesky of the Gram matrix in Double, with a relative pivot tolerance.
  static func rankDeficiency(_ w: [Float], _ k: Int, _ d: Int) -> String? {
    var g = [Double](repeating: 0, count: k * k)
    for i in 0..<k {
      for j in 0...i {
        var s = 0.0
        for c in 0..<d { s += Double(w[i * d + c]) * Double(w[j * d + c]) }
        g[i * k + j] = s
      }
    }
    for i in 0..<k {
      let norm = g[i * k + i]
      if !(norm > 0) { return "row \(i + 1) is zero" }
      for j in 0...i {
        var s = g[i * k + j]
        for m in 0..<j { s -= g[i * k + m] * g[j * k + m] }
        if i == j {
          // The part of row i orthogonal to the rows before it, relative to its length.
          if !(s > 1e-10 * norm) { return "row \(i + 1) lies in the span of the rows before it" }
          g[i * k + i] = s.squareRoot()
        } else {
          g[i * k + j] = s / g[j * k + j]
        }
      }
    }
    return nil
  }

  /// The stream position a checkpoint was taken at.
  public static func streamPosition(of file: ModelFile) throws(HebbianError) -> StreamPosition {
    let pass = try file.counter("pass")
    let offset = try file.counter("sampleOffset")
    guard pass <= UInt64(Int32.max), offset <= UInt64(1) << 62 else {
      throw .format("model file: stream position out of range")
    }
    return StreamPosition(pass: Int(pass), sampleOffset: Int64(offset))
  }
}
