/// Checkpoints of a Hopfield memory in the one ``ModelFile`` format. Storing is online
/// Hebbian learning (one pattern at a time), so a memory saved after P patterns and restored
/// stores pattern P+1 onwards exactly as the original would, and recalls with the same
/// asynchronous order (the generator's state is saved too).
extension HopfieldMemory {
  public static let modelKind = "memory.hopfield"
  public static let shapeNames = ["dimension", "capacity"]

  /// Configuration, N·W, the stored patterns, N·θ and the generator state. Allocates.
  public func checkpoint() -> ModelFile {
    let n = dimension
    let pathCode: Double
    switch path {
    case .automatic: pathCode = 0
    case .weights: pathCode = 1
    case .overlaps: pathCode = 2
    }
    let r = rng.state
    return ModelFile(
      kind: Self.modelKind, shapes: [n, capacity],
      parameters: [
        .init("rule", rule == .hebbian ? 0 : 1),
        .init("update", update == .synchronous ? 0 : 1),
        .init("path", pathCode),
      ],
      counters: [
        .init("count", UInt64(count)), .init("maxSteps", UInt64(maxSteps)),
        .init("rng0", r[0]), .init("rng1", r[1]), .init("rng2", r[2]), .init("rng3", r[3]),
      ],
      arrays: [
        .init("NW", v.toArray()),
        .init("patterns", x.toArray(0..<count * n)),
        .init("Ntheta", theta.toArray()),
      ])
  }

  /// The memory a model file describes. Errors name the field that is missing or invalid.
  public init(restoring file: ModelFile) throws(HebbianError) {
    try file.expect(kind: Self.modelKind)
    let shapes = try file.shapes(named: Self.shapeNames)
    let n = shapes[0]
    let capacity = shapes[1]
    let count = try file.counter("count")
    guard count <= UInt64(capacity) else {
      throw .format("model file: counter 'count' (\(count)) exceeds the capacity \(capacity)")
    }
    // Arrays are checked against the bytes actually present before anything is allocated
    // from the shapes (an N×N weight array must be in the file).
    let weights = try file.array("NW", count: n * n)
    let patterns = try file.array("patterns", count: Int(count) * n)
    let thresholds = try file.array("Ntheta", count: n)
    for p in patterns where p != 1 && p != -1 {
      throw .format("model file: array 'patterns' holds a value other than ±1")
    }
    for w in weights where !w.isFinite {
      throw .format("model file: array 'NW' holds NaN or infinity")
    }
    for t in thresholds where !t.isFinite {
      throw .format("model file: array 'Ntheta' holds NaN or infinity")
    }
    // Recall allocates P×N patterns and N×N weights: the file must carry the weights, and the
    // capacity may not ask for more than 64 Mi pattern values beyond them.
    guard capacity <= (1 << 26) / Swift.max(n, 1) else {
      throw .format("model file: capacity \(capacity) is out of range for dimension \(n)")
    }
    let maxSteps = try file.counter("maxSteps")
    guard maxSteps >= 1, maxSteps <= UInt64(Int32.max) else {
      throw .format("model file: counter 'maxSteps' out of range")
    }
    let rule: StorageRule
    switch try file.parameter("rule") {
    case 0: rule = .hebbian
    case 1: rule = .storkey
    default: throw .format("model file: parameter 'rule' must be 0 (hebbian) or 1 (storkey)")
    }
    let update: UpdateOrder
    switch try file.parameter("update") {
    case 0: update = .synchronous
    case 1: update = .asynchronous
    default:
      throw .format("model file: parameter 'update' must be 0 (synchronous) or 1 (asynchronous)")
    }
    let path: FieldPath
    switch try file.parameter("path") {
    case 0: path = .automatic
    case 1: path = .weights
    case 2: path = .overlaps
    default: throw .format("model file: parameter 'path' must be 0, 1 or 2")
    }
    let generatorState = [
      try file.counter("rng0"), try file.counter("rng1"), try file.counter("rng2"),
      try file.counter("rng3"),
    ]
    guard let generator = SeededGenerator(state: generatorState) else {
      throw .format("model file: the generator state is all zeros")
    }
    // Delegating init, not `self = …` (see OnlinePCA.init(restoring:)).
    do throws(HebbianError) {
      try self.init(
        dimension: n, capacity: capacity, rule: rule, update: update, maxSteps: Int(maxSteps))
    } catch {
      throw .format("model file: " + error.message)
    }
    self.path = path
    v.assign(weights)
    x.assign(patterns)
    theta.assign(thresholds)
    for p in 0..<Int(count) { Kernels.unsafePackSigns(n, x.at(p * n), bits.at(p * words)) }
    self.count = Int(count)
    rng = generator
  }
}
