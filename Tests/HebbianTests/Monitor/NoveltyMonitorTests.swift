import CAllocCounter
import Hebbian
import Testing

/// The monitor against its contract: the distributions behind its limits against values
/// computed independently (scipy.stats, quoted), its false-alarm rate on a fault-free stream
/// against the nominal one, every fault kind of ``FaultyStream`` detected, the correlation
/// break missed by a per-channel 3σ detector on the same samples, bit-identical resume, and
/// no allocation per sample.
@Suite struct NoveltyMonitorTests {
  // MARK: Distributions

  @Test func quantilesMatchScipy() {
    // scipy.stats.chi2.isf(alpha, nu) and scipy.stats.f.isf(alpha, d1, d2).
    let chi2: [(Double, Double, Double)] = [
      (0.05, 3, 7.814727903251178), (5e-7, 7.3, 42.75917493549465),
      (1e-3, 1, 10.827566170662733), (0.5, 40, 39.33534484661134),
      (1e-9, 2.5, 43.20171891547218),
    ]
    for (alpha, nu, want) in chi2 {
      let got = Distributions.chiSquaredUpperQuantile(alpha, degrees: nu)
      #expect(abs(got - want) <= 1e-9 * want, "chi2 \(alpha) \(nu): \(got) vs \(want)")
    }
    let f: [(Double, Double, Double, Double)] = [
      (0.05, 3, 100, 2.6955342548881385), (5e-7, 24, 376, 3.3123776089258086),
      (1e-3, 1, 10, 21.03959527100386), (0.01, 4, 396, 3.366833719054903),
      (1e-9, 8, 30, 18.81550492931514),
    ]
    for (alpha, d1, d2, want) in f {
      let got = Distributions.fUpperQuantile(alpha, d1, d2)
      #expect(abs(got - want) <= 1e-8 * want, "F \(alpha) \(d1) \(d2): \(got) vs \(want)")
    }
  }

  @Test func cdfsAreConsistentWithTheirQuantiles() {
    for nu in [0.5, 1, 3.7, 30, 400] {
      for p in [0.01, 0.5, 0.99] {
        let x = Distributions.chiSquaredUpperQuantile(1 - p, degrees: nu)
        #expect(abs(Distributions.chiSquaredCDF(x, degrees: nu) - p) < 1e-12)
      }
    }
    #expect(abs(Distributions.fCDF(2.6955342548881385, 3, 100) - 0.95) < 1e-12)
  }

  // MARK: Options and phases

  @Test func refusesOptionsOutOfRange() {
    var o = NoveltyMonitor.Options(channels: 4, components: 4)
    #expect(throws: HebbianError.self) { _ = try NoveltyMonitor(o) }  // k = D: no residual
    o.components = 2
    o.falseAlarmRate = 0
    #expect(throws: HebbianError.self) { _ = try NoveltyMonitor(o) }
    o.falseAlarmRate = 0.01
    o.window = 3
    o.alarmCount = 4
    #expect(throws: HebbianError.self) { _ = try NoveltyMonitor(o) }
    o.alarmCount = 2
    o.rule = .similarityMatching
    #expect(throws: HebbianError.self) { _ = try NoveltyMonitor(o) }
    o.rule = .gha
    o.channels = 1 << 16
    o.lags = 1024
    #expect(throws: HebbianError.self) { _ = try NoveltyMonitor(o) }  // beyond the budget
  }

  @Test func aBadSampleLeavesTheMonitorUnchanged() throws {
    var o = NoveltyMonitor.Options(channels: 3, components: 1)
    o.learnSamples = 10
    o.calibrationSamples = 10
    var m = try NoveltyMonitor(o)
    let good: [Float] = [1, 2, 3]
    _ = try m.process(good.span)
    let before = m.checkpoint()
    let bad: [Float] = [1, .nan, 3]
    #expect(throws: HebbianError.nonFinite(index: 1)) { _ = try m.process(bad.span) }
    let short: [Float] = [1, 2]
    #expect(throws: HebbianError.self) { _ = try m.process(short.span) }
    #expect(m.checkpoint() == before)
    #expect(throws: HebbianError.self) { _ = try m.detect(good.span) }  // wrong phase
  }

  // MARK: The synthetic stream

  /// Runs a monitor over the stream; returns, per sample, whether the alarm was on (nil
  /// before detection).
  func run(_ s: FaultyStream, _ o: NoveltyMonitor.Options) throws -> [Bool?] {
    var m = try NoveltyMonitor(o)
    var flagged: [Bool?] = []
    flagged.reserveCapacity(s.count)
    for t in 0..<s.count {
      let x = Array(s.sample(t))
      let r = try m.process(x.span)
      flagged.append(r.map { $0.alarm })
    }
    return flagged
  }

  static func options(alpha: Double) -> NoveltyMonitor.Options {
    var o = NoveltyMonitor.Options(channels: FaultyStream.channels, components: 3)
    o.learnSamples = 6000
    o.calibrationSamples = 4000
    o.falseAlarmRate = alpha
    return o
  }

  @Test(arguments: [0.01, 0.002])
  func falseAlarmRateIsNearNominal(alpha: Double) throws {
    // A long fault-free stretch after calibration: the rate of flagged samples must be within
    // [0.5, 2] of the nominal rate.
    let s = FaultyStream(clean: 60_000, seed: 11)
    let flagged = try run(s, Self.options(alpha: alpha))
    var n = 0
    var hits = 0
    for t in 0..<60_000 {
      if let f = flagged[t] {
        n += 1
        if f { hits += 1 }
      }
    }
    let rate = Double(hits) / Double(n)
    print("monitor: false-alarm rate \(rate) at nominal \(alpha) over \(n) fault-free samples")
    #expect(n == 50_000)
    #expect(rate >= 0.5 * alpha && rate <= 2 * alpha)
  }

  /// Per fault kind: the fraction of its samples flagged, and the delay from its onset to the
  /// first flag.
  func hitRates(_ s: FaultyStream, _ flagged: [Bool]) -> [FaultyStream.Fault: (Double, Int?)] {
    var result: [FaultyStream.Fault: (Double, Int?)] = [:]
    for (f, onset) in s.onsets {
      var n = 0
      var hits = 0
      var first: Int? = nil
      for t in onset..<(onset + s.faultLength) where s.fault[t] == f {
        n += 1
        if flagged[t] {
          hits += 1
          if first == nil { first = t - onset }
        }
      }
      result[f] = (Double(hits) / Double(max(n, 1)), first)
    }
    return result
  }

  @Test func detectsEveryFaultKindWhereAPerChannelDetectorMissesTheCorrelationBreak() throws {
    let s = FaultyStream(clean: 12_000, seed: 5)
    var o = Self.options(alpha: 0.005)
    o.lags = 3
    o.components = 6
    let readings = try run(s, o)
    let monitor = readings.map { $0 ?? false }
    // The control: each channel's z-score against the mean and spread of the same learn and
    // calibration samples, flagged beyond 3σ.
    let d = FaultyStream.channels
    let trained = 10_000
    var mean = [Double](repeating: 0, count: d)
    var m2 = [Double](repeating: 0, count: d)
    for t in 0..<trained {
      for j in 0..<d { mean[j] += Double(s.samples[t * d + j]) / Double(trained) }
    }
    for t in 0..<trained {
      for j in 0..<d {
        let e = Double(s.samples[t * d + j]) - mean[j]
        m2[j] += e * e / Double(trained)
      }
    }
    var zscore = [Bool](repeating: false, count: s.count)
    for t in trained..<s.count {
      for j in 0..<d where abs(Double(s.samples[t * d + j]) - mean[j]) > 3 * m2[j].squareRoot() {
        zscore[t] = true
      }
    }
    var zFree = 0
    var zFreeHits = 0
    for t in trained..<s.count where s.fault[t] == nil {
      zFree += 1
      if zscore[t] { zFreeHits += 1 }
    }
    let zRate = Double(zFreeHits) / Double(zFree)
    let ours = hitRates(s, monitor)
    let theirs = hitRates(s, zscore)
    for f in FaultyStream.Fault.allCases {
      let (rate, delay) = ours[f]!
      let (zr, _) = theirs[f]!
      print(
        "monitor: \(f.name): \(Int(rate * 100)) % of fault samples flagged, first after \(delay.map { "\($0)" } ?? "-") samples; per-channel 3σ: \(Int(zr * 100)) %"
      )
      // Detected: every spike flagged; a fifth or more of a lasting fault's samples, 40 times
      // the nominal rate of flagging normal ones.
      #expect(rate >= (f == .spike ? 1 : 0.2), "\(f.name) not detected: \(rate)")
    }
    // The correlation break changes no channel's distribution: the per-channel detector flags
    // it no more often than fault-free data, so it cannot tell it from normal.
    let (breakRate, _) = theirs[.correlationBreak]!
    print("monitor: per-channel 3σ false-alarm rate \(zRate), on the correlation break \(breakRate)")
    #expect(breakRate < 3 * zRate + 0.01)
    #expect(ours[.correlationBreak]!.0 > 10 * breakRate)
  }

  // MARK: State

  @Test(arguments: [NoveltyMonitor.LimitMethod.theoretical, .empirical])
  func restoredMonitorContinuesBitForBit(limits: NoveltyMonitor.LimitMethod) throws {
    let s = FaultyStream(clean: 3000, seed: 2)
    var o = NoveltyMonitor.Options(channels: FaultyStream.channels, components: 3)
    o.lags = 3
    o.learnSamples = 1500
    o.calibrationSamples = 800
    o.limits = limits
    o.calibrationCapacity = 800
    o.adaptRate = 0.01
    o.window = 5
    o.alarmCount = 3
    // Checkpoints in every phase: mid-learn, mid-calibration, mid-detection.
    for cut in [700, 1900, 2600, 4000] {
      var a = try NoveltyMonitor(o)
      var readingsA: [NoveltyMonitor.Reading?] = []
      for t in 0..<s.count {
        let r = try a.process(Array(s.sample(t)).span)
        if t >= cut { readingsA.append(r) }
      }
      var b = try NoveltyMonitor(o)
      for t in 0..<cut { _ = try b.process(Array(s.sample(t)).span) }
      let file = try ModelFile(decoding: b.checkpoint().encoded())
      var c = try NoveltyMonitor(restoring: file)
      var readingsC: [NoveltyMonitor.Reading?] = []
      for t in cut..<s.count { readingsC.append(try c.process(Array(s.sample(t)).span)) }
      #expect(readingsA == readingsC, "cut at \(cut)")
      #expect(a.checkpoint() == c.checkpoint(), "cut at \(cut)")
    }
  }

  @Test func forgedFilesAreRefused() throws {
    var o = NoveltyMonitor.Options(channels: 3, components: 1)
    o.learnSamples = 50
    o.calibrationSamples = 50
    var m = try NoveltyMonitor(o)
    var rng = SeededGenerator(seed: 1)
    for _ in 0..<120 {
      let x: [Float] = [Float(rng.gaussian()), Float(rng.gaussian()), Float(rng.gaussian())]
      _ = try m.process(x.span)
    }
    let good = m.checkpoint()
    var bad = good
    bad.counters = bad.counters.map { $0.name == "phase" ? .init("phase", 7) : $0 }
    #expect(throws: HebbianError.self) { _ = try NoveltyMonitor(restoring: bad) }
    bad = good
    bad.arrays = bad.arrays.map { $0.name == "lambda.f64" ? .init($0.name, [0.5, 1, 2, 3]) : $0 }
    #expect(throws: HebbianError.self) { _ = try NoveltyMonitor(restoring: bad) }
    bad = good
    bad.counters = bad.counters.map { $0.name == "flagCount" ? .init("flagCount", 1) : $0 }
    #expect(throws: HebbianError.self) { _ = try NoveltyMonitor(restoring: bad) }
    bad = good
    bad.shapes = [3, 1, 3]
    #expect(throws: HebbianError.self) { _ = try NoveltyMonitor(restoring: bad) }
  }

  @Test func processingASampleNeverAllocates() throws {
    let s = FaultyStream(clean: 2000, seed: 9)
    for adapt in [0.0, 0.01] {
      var o = NoveltyMonitor.Options(channels: FaultyStream.channels, components: 3)
      o.lags = 2
      o.learnSamples = 600
      o.calibrationSamples = 400
      o.adaptRate = adapt
      o.window = 4
      o.alarmCount = 2
      let x = s.samples
      // A first monitor through every phase: the runtime's one-time metadata and globals.
      var warm = try NoveltyMonitor(o)
      for t in 0..<s.count { _ = try warm.process(Array(s.sample(t)).span) }
      var m = try NoveltyMonitor(o)
      try x.withUnsafeBufferPointer { b in
        // Learn and calibrate (the phase changes set limits: also without allocating).
        hb_alloc_counter_start()
        for t in 0..<1200 {
          _ = try m.process(Span(_unsafeStart: b.baseAddress! + t * 8, count: 8))
        }
        var count = hb_alloc_counter_stop()
        #expect(count == 0, "learn/calibrate, adapt \(adapt)")
        hb_alloc_counter_start()
        for t in 1200..<s.count {
          _ = try m.process(Span(_unsafeStart: b.baseAddress! + t * 8, count: 8))
        }
        count = hb_alloc_counter_stop()
        #expect(count == 0, "detect, adapt \(adapt)")
      }
      #expect(m.phase == .detect)
    }
  }
}
