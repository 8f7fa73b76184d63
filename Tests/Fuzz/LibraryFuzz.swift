// Drives the library's checked API with shapes and float bit patterns taken from the input:
// every call must either succeed or throw a HebbianError, never trap, and a learner or memory
// must stay finite after every call it accepted (the contract of the checked API).
import Hebbian
import HebbianExperiments

struct Bytes {
  let data: UnsafePointer<UInt8>
  let size: Int
  var at = 0
  mutating func byte() -> UInt8 {
    defer { at += 1 }
    return at < size ? data[at] : 0
  }
  mutating func float() -> Float {
    var bits: UInt32 = 0
    for i in 0..<4 { bits |= UInt32(byte()) << (8 * UInt32(i)) }
    // Mostly modest values with sometimes raw bit patterns (NaN, inf, subnormals, huge).
    let f = Float(bitPattern: bits)
    return bits & 3 == 0 ? f : Float(Int8(bitPattern: UInt8(bits >> 8 & 0xFF))) / 16
  }
  var exhausted: Bool { at >= size }
}

func requireFinite(_ values: [Float], _ what: String) {
  for v in values where !v.isFinite {
    fatalError("\(what) became non-finite through the checked API")
  }
}

/// Every other public type, one per input (the first byte picks it), on shapes, rates and
/// float bit patterns from the rest: a call either succeeds or throws, and whatever a type
/// accepted leaves it finite.
func fuzzOtherTypes(_ b: inout Bytes, _ which: UInt8) {
  func floats(_ n: Int) -> [Float] { (0..<n).map { _ in b.float() } }
  let d = Int(b.byte() % 12) + 1
  let k = Int(b.byte() % 5) + 1
  switch which % 12 {
  case 0:
    guard var u = try? CompetingUnits(inputs: d, hidden: k + 1, rank: 2, batchSize: 2, seed: 1)
    else { return }
    while !b.exhausted {
      let x = floats(2 * d)
      _ = try? u.update(batch: x.span, count: Int(b.byte() % 3), learningRate: b.float())
      requireFinite(u.weights, "CompetingUnits")
      var h = [Float](repeating: 0, count: k + 1)
      var hs = h.mutableSpan
      if (try? u.features(x.span, power: Int(Int8(bitPattern: b.byte())), into: &hs)) != nil {
        _ = consume hs
        requireFinite(h, "CompetingUnits.features")
      }
    }
  case 1:
    guard
      var l = try? HebbianLearner(
        inputs: d, outputs: k, learningRate: abs(b.float()) + 1e-6, decay: 0)
    else { return }
    while !b.exhausted {
      _ = try? l.update(floats(d).span)
      for i in 0..<k { requireFinite(l.row(i), "HebbianLearner") }
    }
  case 2:
    guard
      var l = try? BCMLearner(
        inputs: d, outputs: k, learningRate: abs(b.float()) + 1e-6,
        thresholdTimeConstant: abs(b.float()) + 1)
    else { return }
    while !b.exhausted {
      _ = try? l.update(floats(d).span)
      for i in 0..<k { requireFinite(l.row(i) + [l.threshold(i)], "BCMLearner") }
    }
  case 3:
    guard
      var l = try? CovarianceLearner(
        inputs: d, outputs: k, learningRate: abs(b.float()) + 1e-6,
        normalizesRows: b.byte() & 1 == 0)
    else { return }
    while !b.exhausted {
      _ = try? l.update(floats(d).span)
      for i in 0..<k { requireFinite(l.row(i), "CovarianceLearner") }
    }
  case 4:
    guard
      var l = try? InstarLearner(inputs: d, outputs: k, learningRate: min(abs(b.float()) + 1e-6, 1))
    else { return }
    while !b.exhausted {
      if b.byte() & 1 == 0 {
        _ = try? l.updateWinnerTakeAll(floats(d).span)
      } else {
        _ = try? l.update(floats(d).span, activity: floats(k).span)
      }
      for i in 0..<k { requireFinite(l.row(i), "InstarLearner") }
    }
  case 5:
    let rule = STDPRule.classic(aPlus: 0.005, aMinus: 0.00525, tauPlus: 20, tauMinus: 20)
    let range = Double(b.float()), spacing = Double(b.float()), dt = Double(b.float())
    // Any arguments must throw or return; only the cheap ones are run (the bound allows runs
    // of 2^31 steps, which are valid, just long): a curve of ≤ 10^4 points and ≤ 10^6 steps in all, a pairing
    // of ≤ 10^6 steps. The rest must be refused before any step.
    let points = range / spacing, steps = abs(range) / dt
    if points <= 1e4 && points * points * spacing / dt <= 1e6 || !(points <= Double(Int32.max))
      || !(range > 0)
    {
      if let c = try? STDPWindow.curve(rule: rule, range: range, spacing: spacing, dt: dt) {
        requireFinite(c.map { $0.dw }, "STDPWindow.curve")
      }
    }
    if steps <= 1e6 || !(steps <= Double(Int32.max)) {
      _ = try? STDPWindow.pairing(rule: rule, deltaT: range, dt: dt)
    }
  case 6, 7, 8:
    // The continuous memories: patterns and cues of any floats.
    let p = Int(b.byte() % 4) + 1
    var state = [Float](repeating: 0, count: d)
    func drive<M: AssociativeMemory & ~Copyable>(_ m: inout M, _ name: String) {
      for _ in 0..<p { _ = try? m.store(floats(d).span) }
      while !b.exhausted {
        var s = state.mutableSpan
        let accepted = (try? m.recall(floats(d).span, into: &s)) != nil
        _ = consume s
        if accepted { requireFinite(state, name) }
      }
    }
    if which % 12 == 6,
      var m = try? ModernHopfield(
        dimension: d, capacity: p, beta: abs(b.float()) + 1e-3, maxSteps: 5)
    {
      drive(&m, "ModernHopfield")
    } else if which % 12 == 7, var m = try? TwoLayerMemory(dimension: d, capacity: p, maxSteps: 50)
    {
      drive(&m, "TwoLayerMemory")
    } else if var m = try? NormativeMemory(
      excitatory: d, inhibitory: 1, capacity: p, iterations: 20, maxSteps: 20)
    {
      drive(&m, "NormativeMemory")
    }
  case 9:
    var s = [Float](repeating: 0, count: d)
    if var m = try? DenseMemory(
      dimension: d, capacity: 3, interaction: .polynomial(degree: Int(b.byte() % 70)), maxSteps: 5)
    {
      for _ in 0..<3 { _ = try? m.store(floats(d).span) }
      var ss = s.mutableSpan
      if (try? m.recall(floats(d).span, into: &ss)) != nil {
        _ = consume ss
        requireFinite(s, "DenseMemory")
      }
    }
    if var m = try? EIMemory(excitatory: d, inhibitory: k, capacity: 3, maxSteps: 5) {
      for _ in 0..<3 { _ = try? m.store(floats(d).span) }
      var ss = s.mutableSpan
      _ = try? m.recall(floats(d).span, into: &ss)
    }
  case 10:
    guard
      let task = try? PatternCompletionTask(
        bits: d + 1, patterns: k, cycles: Int(b.byte()) << Int(b.byte() % 40),
        presentationSteps: Int(b.byte()) << Int(b.byte() % 40), degradedFraction: Double(b.float()))
    else { return }
    guard task.steps <= 64,
      var net = try? PlasticNetwork(size: d + 1, maxSteps: task.steps, seed: 1)
    else { return }
    var inputs = [Float](repeating: 0, count: task.steps * (d + 1))
    var target = [Float](repeating: 0, count: d + 1)
    var scratch = [Float](repeating: 0, count: k * (d + 1))
    var rng = SeededGenerator(seed: 1)
    var us = inputs.mutableSpan, ts = target.mutableSpan, ss = scratch.mutableSpan
    _ = try? task.episode(inputs: &us, target: &ts, scratch: &ss, rng: &rng)
    _ = consume us
    _ = consume ts
    _ = consume ss
    while !b.exhausted {
      if let loss = try? net.train(
        inputs: inputs.span, steps: task.steps, target: target.span, learningRate: b.float(),
        clipNorm: b.float())
      {
        if !loss.isFinite { fatalError("PlasticNetwork loss non-finite through the checked API") }
        requireFinite(net.weights, "PlasticNetwork")
      }
    }
  default:
    // Models from bytes: the decoder and every restorer must refuse or accept cleanly.
    var bytes: [UInt8] = []
    while !b.exhausted { bytes.append(b.byte()) }
    let shapes = [Int(bytes.first ?? 1), Int(bytes.last ?? 2) << 12]
    let file = ModelFile(kind: "pca.ccipca", shapes: shapes, arrays: [.init("W", [1, 2, 3])])
    _ = try? OnlinePCA(restoring: file)
    if let f = try? ModelFile(decoding: bytes) { _ = try? OnlinePCA(restoring: f) }
    _ = try? ModelFile.checkHeader(bytes)
  }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLibrary(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  var b = Bytes(data: data, size: size)
  // Half the inputs drive OnlinePCA and a Hopfield memory (below), the other half one of
  // every other type.
  let which = b.byte()
  if which & 0x80 != 0 {
    fuzzOtherTypes(&b, which)
    return 0
  }
  let rule = OnlinePCA.Rule.allCases[Int(b.byte()) % OnlinePCA.Rule.allCases.count]
  // Shapes from the input, including absurd ones (the initialiser must refuse those).
  let d = Int(b.byte() % 24) + (b.byte() == 255 ? 1 << 30 : 0)
  let k = rule == .oja ? 1 : Int(b.byte() % 6)
  let batch = Int(b.byte() % 9)
  let centering = b.byte() & 1 == 1
  guard
    var pca = try? OnlinePCA(
      dimension: d, components: k, rule: rule, centering: centering, maxBatch: Swift.max(batch, 1))
  else { return 0 }
  var y = [Float](repeating: 0, count: k)
  while !b.exhausted {
    let n = b.byte() % 4 == 0 ? Swift.max(batch, 1) : 1
    var x = [Float](repeating: 0, count: n * d)
    for i in x.indices { x[i] = b.float() }
    if n == 1 {
      _ = try? pca.update(x.span)
    } else {
      _ = try? pca.update(batch: x.span)
    }
    let s = pca.state
    requireFinite(s.weights + s.lateral + s.outputPower + s.mean + [s.inputPower], "OnlinePCA")
    var out = y.mutableSpan
    if (try? pca.project(Array(x[0..<d]).span, into: &out)) != nil {
      // A finite projection of an accepted sample is part of the contract.
      _ = out
    }
    _ = y
  }
  // A Hopfield memory fed the same bytes.
  var b2 = Bytes(data: data, size: size)
  let n = Int(b2.byte() % 40) + 1
  guard var memory = try? HopfieldMemory(dimension: n, capacity: 4) else { return 0 }
  var pattern = [Float](repeating: 0, count: n)
  var state = [Float](repeating: 0, count: n)
  for _ in 0..<4 {
    for i in 0..<n { pattern[i] = b2.float() }
    _ = try? memory.store(pattern.span)
    _ = try? memory.setThresholds(pattern.span)
    if (try? memory.recall(pattern, into: &state)) != nil { requireFinite(state, "recall") }
    if let e = try? memory.energy(state.span), !e.isFinite { fatalError("energy non-finite") }
  }
  return 0
}
