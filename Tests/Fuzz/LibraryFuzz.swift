// Drives the library's checked API with shapes and float bit patterns taken from the input:
// every call must either succeed or throw a HebbianError, never trap, and a learner or memory
// must stay finite after every call it accepted (the contract of the checked API).
import Hebbian

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

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLibrary(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  var b = Bytes(data: data, size: size)
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
