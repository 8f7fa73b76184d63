import Hebbian

/// Krotov & Hopfield (2019) judge competing-hidden-unit features by the accuracy of one simple
/// readout trained on them, against the same readout on the raw inputs. This runs that
/// comparison on any labelled data set, with the control the claim needs: random features of
/// the same size, ReLU(W v)^n with W the learner's own 𝒩(0, 1) starting weights. Learning
/// helps only where it beats that control, since a wide enough random ReLU layer already
/// separates many data sets.
public enum FeatureComparison {
  public struct Configuration: Sendable {
    public var hidden = 32
    public var p: Float = 3
    public var rank = 2
    public var delta: Float = 0.4
    public var epochs = 40
    /// Initial ε of the unsupervised learning, decaying linearly to 0.
    public var rate: Float = 0.04
    public var batch = 50
    /// Readout activation ReLU(current)^n.
    public var power = 3
    public var readoutEpochs = 20
    public var readoutRate: Float = 0.01
    /// Standardise every feature (training mean and s.d.) and pick the readout's rate on a
    /// validation fifth of the training rows before refitting on all of them: each feature
    /// set then gets its own best readout, so a difference in accuracy is not one of scale.
    public var tunedReadout = false
    public var seed: UInt64 = 1
    public init() {}
  }

  /// Held-out accuracies (fractions) of the same softmax readout on three feature sets.
  public struct Result: Sendable {
    public var raw: Double
    public var random: Double
    public var learned: Double
    /// Units that carried the data in the last epoch and their largest |‖W_μ‖_p − 1|.
    public var carryingUnits: Int
    public var maxNormDeviation: Float
  }

  /// Row-major data: `trainX` holds `trainY.count` rows of `dimension` values, `testX` likewise;
  /// labels in 0..<classes.
  public static func run(
    trainX: [Float], trainY: [Int], testX: [Float], testY: [Int], dimension d: Int,
    classes: Int, configuration c: Configuration,
    progress: (_ epoch: Int, _ rate: Float) -> Void = { _, _ in }
  ) throws(HebbianError) -> Result {
    let nTrain = trainY.count
    if nTrain < 1 || testY.isEmpty || trainX.count != nTrain * d || testX.count != testY.count * d {
      throw .invalidParameter("feature comparison: data and labels disagree in size")
    }
    var units = try CompetingUnits(
      inputs: d, hidden: c.hidden, p: c.p, rank: c.rank, delta: c.delta, batchSize: c.batch,
      seed: c.seed)
    // Random features: the learner before it has learned anything.
    let randomTrain = try features(units, trainX, d, c.power)
    let randomTest = try features(units, testX, d, c.power)
    var order = [Int](repeating: 0, count: nTrain)
    var scratch = [Float](repeating: 0, count: c.batch * d)
    var rng = SeededGenerator(seed: c.seed &+ 2)
    var os = order.mutableSpan
    var ss = scratch.mutableSpan
    try units.train(
      data: trainX.span, count: nTrain, epochs: c.epochs, initialRate: c.rate, order: &os,
      batchScratch: &ss, rng: &rng, progress: progress)
    _ = consume os
    _ = consume ss
    let (carrying, deviation) = units.convergenceSummary(presentations: nTrain)
    let learnedTrain = try features(units, trainX, d, c.power)
    let learnedTest = try features(units, testX, d, c.power)
    func accuracy(_ x: [Float], _ tx: [Float], _ f: Int) throws(HebbianError) -> Double {
      if c.tunedReadout {
        return try tunedReadoutAccuracy(
          trainX: x, trainY: trainY, testX: tx, testY: testY, features: f, classes: classes,
          epochs: c.readoutEpochs, seed: c.seed)
      }
      return try readoutAccuracy(
        trainX: x, trainY: trainY, testX: tx, testY: testY, features: f, classes: classes,
        epochs: c.readoutEpochs, rate: c.readoutRate, seed: c.seed)
    }
    return Result(
      raw: try accuracy(trainX, testX, d),
      random: try accuracy(randomTrain, randomTest, c.hidden),
      learned: try accuracy(learnedTrain, learnedTest, c.hidden),
      carryingUnits: carrying, maxNormDeviation: deviation)
  }

  /// ReLU(W v)^n of every row of `data`.
  public static func features(
    _ units: borrowing CompetingUnits, _ data: [Float], _ d: Int, _ power: Int
  ) throws(HebbianError) -> [Float] {
    let n = data.count / d
    let k = units.hidden
    var out = [Float](repeating: 0, count: n * k)
    var h = [Float](repeating: 0, count: k)
    for s in 0..<n {
      var hs = h.mutableSpan
      try units.features(data.span.extracting((s * d)..<((s + 1) * d)), power: power, into: &hs)
      _ = consume hs
      for m in 0..<k { out[s * k + m] = h[m] }
    }
    return out
  }

  /// Held-out accuracy of a ``SoftmaxReadout`` fitted on the training rows (the same seed, so
  /// every feature set sees the same presentation order).
  public static func readoutAccuracy(
    trainX: [Float], trainY: [Int], testX: [Float], testY: [Int], features f: Int, classes: Int,
    epochs: Int, rate: Float, seed: UInt64
  ) throws(HebbianError) -> Double {
    var readout = try SoftmaxReadout(features: f, classes: classes)
    var order = [Int](repeating: 0, count: trainY.count)
    var rng = SeededGenerator(seed: seed &+ 3)
    var os = order.mutableSpan
    try readout.fit(
      data: trainX.span, labels: trainY.span, count: trainY.count, epochs: epochs, rate: rate,
      order: &os, rng: &rng)
    _ = consume os
    return try readout.accuracy(data: testX.span, labels: testY.span, count: testY.count)
  }

  /// The readout rates ``tunedReadoutAccuracy(trainX:trainY:testX:testY:features:classes:epochs:seed:)``
  /// chooses from.
  public static let readoutRates: [Float] = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1]

  /// Held-out accuracy of a readout on standardised features (each column centred and scaled
  /// by its training mean and s.d.; a constant column stays 0), its rate chosen from
  /// ``readoutRates`` by accuracy on a seeded validation fifth of the training rows and then
  /// refitted on every training row. The held-out rows play no part in the choice.
  public static func tunedReadoutAccuracy(
    trainX: [Float], trainY: [Int], testX: [Float], testY: [Int], features f: Int, classes: Int,
    epochs: Int, seed: UInt64
  ) throws(HebbianError) -> Double {
    let n = trainY.count
    var mean = [Double](repeating: 0, count: f)
    var sd = [Double](repeating: 0, count: f)
    for r in 0..<n { for j in 0..<f { mean[j] += Double(trainX[r * f + j]) } }
    for j in 0..<f { mean[j] /= Double(n) }
    for r in 0..<n {
      for j in 0..<f {
        let v = Double(trainX[r * f + j]) - mean[j]
        sd[j] += v * v
      }
    }
    for j in 0..<f {
      let v = (sd[j] / Double(n)).squareRoot()
      sd[j] = v > 1e-12 ? v : 0
    }
    func standardise(_ x: [Float]) -> [Float] {
      var out = x
      for k in 0..<out.count {
        let j = k % f
        out[k] = sd[j] > 0 ? Float((Double(x[k]) - mean[j]) / sd[j]) : 0
      }
      return out
    }
    let zTrain = standardise(trainX), zTest = standardise(testX)
    var best = readoutRates[0]
    if n >= 5 {
      let (fit, validation) = try split(count: n, testFraction: 0.2, seed: seed &+ 5)
      var fx: [Float] = [], fy: [Int] = [], vx: [Float] = [], vy: [Int] = []
      for r in fit {
        fx.append(contentsOf: zTrain[(r * f)..<((r + 1) * f)])
        fy.append(trainY[r])
      }
      for r in validation {
        vx.append(contentsOf: zTrain[(r * f)..<((r + 1) * f)])
        vy.append(trainY[r])
      }
      var bestAccuracy = -1.0
      for rate in readoutRates {
        let a = try readoutAccuracy(
          trainX: fx, trainY: fy, testX: vx, testY: vy, features: f, classes: classes,
          epochs: epochs, rate: rate, seed: seed)
        if a > bestAccuracy {
          bestAccuracy = a
          best = rate
        }
      }
    }
    return try readoutAccuracy(
      trainX: zTrain, trainY: trainY, testX: zTest, testY: testY, features: f, classes: classes,
      epochs: epochs, rate: best, seed: seed)
  }

  /// A seeded split of `count` rows into a training and a held-out set (`testFraction` of the
  /// rows, at least one each): returns the row indices of each.
  public static func split(count: Int, testFraction: Double, seed: UInt64) throws(HebbianError)
    -> (train: [Int], test: [Int])
  {
    if count < 2 { throw .invalidParameter("split: need at least 2 rows, got \(count)") }
    if !(testFraction > 0 && testFraction < 1) {
      throw .invalidParameter("split: test fraction must be in (0, 1)")
    }
    var order = Array(0..<count)
    var rng = SeededGenerator(seed: seed)
    var span = order.mutableSpan
    shuffle(&span, count: count, &rng)
    _ = consume span
    let nTest = Swift.min(count - 1, Swift.max(1, Int((Double(count) * testFraction).rounded())))
    return (Array(order[nTest...]), Array(order[..<nTest]))
  }
}
