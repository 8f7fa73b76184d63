import CAllocCounter
import Hebbian
import Testing

/// The per-step paths of the plasticity and learning families never allocate: each is warmed
/// up once (lazily initialised runtime metadata), then allocations are counted on this thread
/// over many steps. The count must be exactly 0.
@Suite struct StepAllocationTests {
  func counted(_ body: () throws -> Void) rethrows -> Int64 {
    hb_alloc_counter_start()
    try body()
    return hb_alloc_counter_stop()
  }

  @Test func counterSeesAnAllocation() {
    let n = counted { _ = [Float](repeating: 1, count: 1000) }
    #expect(hb_alloc_counter_active() == 1)
    #expect(n >= 1)
  }

  @Test func plasticNetworkForwardBackwardAndAdamNeverAllocate() throws {
    let n = 12, steps = 10
    var net = try PlasticNetwork(size: n, maxSteps: steps, seed: 3)
    var rng = SeededGenerator(seed: 4)
    let inputs = (0..<(n * steps)).map { _ in Float(rng.gaussian()) }
    let target = (0..<n).map { _ in rng.sign() }
    var out = [Float](repeating: 0, count: n)
    try inputs.withUnsafeBufferPointer { u in
      try target.withUnsafeBufferPointer { t in
        try out.withUnsafeMutableBufferPointer { o in
          let us = Span(_unsafeElements: u), ts = Span(_unsafeElements: t)
          var os = MutableSpan(_unsafeElements: o)
          try net.lossAndGradient(inputs: us, steps: steps, target: ts)
          _ = net.adamStep(learningRate: 1e-3)
          try net.run(inputs: us, steps: steps, output: &os)
          let count = try counted {
            for _ in 0..<50 {
              try net.lossAndGradient(inputs: us, steps: steps, target: ts)
              _ = net.adamStep(learningRate: 1e-3)
              try net.run(inputs: us, steps: steps, output: &os)
            }
          }
          #expect(count == 0)
        }
      }
    }
  }

  @Test func competingUnitsUpdateNeverAllocates() throws {
    let d = 16, batch = 8
    var units = try CompetingUnits(inputs: d, hidden: 6, batchSize: batch, seed: 5)
    var rng = SeededGenerator(seed: 6)
    let data = (0..<(d * batch)).map { _ in Float(rng.uniform()) }
    try data.withUnsafeBufferPointer { b in
      let s = Span(_unsafeElements: b)
      try units.update(batch: s, count: batch, learningRate: 0.01)
      let count = try counted {
        for _ in 0..<100 { try units.update(batch: s, count: batch, learningRate: 0.01) }
      }
      #expect(count == 0)
    }
  }

  @Test func rateRulesAndSpikingStepsNeverAllocate() throws {
    let d = 20
    var hebb = try HebbianLearner(inputs: d, outputs: 3, learningRate: 1e-3, decay: 1e-3)
    var bcm = try BCMLearner(inputs: d, outputs: 2, learningRate: 1e-3)
    var lif = try LIFPopulation(count: 4)
    var poisson = try PoissonInput(count: d, dt: 0.1, seed: 7)
    var syn = try STDPSynapses(
      post: 4, pre: d, rule: .classic(), dt: 0.1, initialWeight: 0.5)
    var rng = SeededGenerator(seed: 8)
    let x = (0..<d).map { _ in Float(rng.gaussian()) }
    try x.withUnsafeBufferPointer { b in
      let xs = Span(_unsafeElements: b)
      func oneRound() throws {
        try hebb.update(xs)
        try bcm.update(xs)
        poisson.step(rate: 20)
        lif.step()
        syn.step(pre: poisson, post: lif)
      }
      try oneRound()
      let count = try counted { for _ in 0..<200 { try oneRound() } }
      #expect(count == 0)
    }
  }

  @Test func rewardModulatedSTDPAndSynapticScalingNeverAllocate() throws {
    let d = 20
    var lif = try LIFPopulation(count: 2)
    var poisson = try PoissonInput(count: d, dt: 1, seed: 9)
    var tagged = try RewardModulatedSTDP(post: 2, pre: d, dt: 1, initialWeight: 0.5)
    var scaling = try SynapticScaling(neurons: 2, targetRate: 5, dt: 1)
    var syn = try STDPSynapses(post: 2, pre: d, rule: .classic(), dt: 1, initialWeight: 0.5)
    func oneRound() {
      poisson.step(rate: 50)
      tagged.deliver(poisson, to: &lif)
      lif.step()
      tagged.step(pre: poisson, post: lif)
      tagged.reward(0.5)
      scaling.observe(lif)
      scaling.scale(&syn)
    }
    // Two rounds: in the first, every scaling factor still rounds to 1, so the row scaling
    // (and the lazy metadata of its span in a debug build) first runs in the second.
    oneRound()
    oneRound()
    let count = counted { for _ in 0..<200 { oneRound() } }
    #expect(count == 0)
  }

  /// The checked kernel entry points build their messages only when a check throws: a call
  /// with good shapes allocates nothing (gemv's and gemv_t's checks are shared, as are the
  /// subspace rule's and GHA's, and name the kernel through a closure).
  @Test func checkedKernelsNeverAllocate() throws {
    let k = 3, d = 40
    var rng = SeededGenerator(seed: 12)
    let a = (0..<(k * d)).map { _ in Float(rng.gaussian()) }
    let x = (0..<d).map { _ in Float(rng.gaussian()) / 10 }
    let rates = [Float](repeating: 1e-3, count: k)
    var w = a
    var y = [Float](repeating: 0, count: k)
    var v = [Float](repeating: 0, count: d)
    func oneRound() throws {
      var ys = y.mutableSpan
      var vs = v.mutableSpan
      var ws = w.mutableSpan
      try Kernels.gemv(rows: k, columns: d, a.span, lda: d, x.span, &ys)
      try Kernels.gemvTransposed(rows: k, columns: d, a.span, lda: d, rates.span, &vs)
      _ = try Kernels.dot(d, x.span, a.span)
      try Kernels.ghaStep(components: k, dimension: d, eta: rates.span, x.span, &ws, ldw: d, &ys)
      try Kernels.subspaceStep(
        components: k, dimension: d, eta: rates.span, x.span, &ws, ldw: d, &ys)
    }
    try oneRound()
    let count = try counted { for _ in 0..<200 { try oneRound() } }
    #expect(count == 0)
  }
}
