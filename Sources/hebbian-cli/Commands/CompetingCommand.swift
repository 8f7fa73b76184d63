import CHebbianSys
import Hebbian

/// `hebbian competing`: learns features with Krotov & Hopfield's competing hidden units on the
/// generated bars data set and compares one linear readout on them with the same readout on
/// raw pixels, on a held-out split.
enum CompetingCommand {
  static let command = Command(
    name: "competing",
    summary:
      "Learn competing-hidden-unit features on generated bars images; readout accuracy vs raw pixels.",
    options: [
      .value("--hidden", "K", "hidden units (default 32)"),
      .value("--p", "P", "p of the p-norm (default 3)"),
      .value("--rank", "k", "rank of the unit pushed away (default 2)"),
      .value("--delta", "D", "anti-Hebbian strength (default 0.4)"),
      .value("--epochs", "E", "unsupervised epochs (default 40)"),
      .value("--rate", "X", "initial learning rate, decays linearly to 0 (default 0.04)"),
      .value("--batch", "B", "mini-batch size (default 50)"),
      .value("--power", "n", "readout activation ReLU(current)^n (default 3)"),
      .value("--train", "N", "training images (default 2000)"),
      .value("--test", "N", "held-out images (default 1000)"),
      .value("--noise", "S", "pixel noise standard deviation (default 0.2)"),
      .value("--readout-epochs", "E", "SGD epochs of the linear readout (default 20)"),
      .value("--seed", "S", "seed (default 1)"),
    ],
    run: { (o: ParsedOptions) throws(CLIError) in try run(o) }
  )

  static func run(_ o: ParsedOptions) throws(CLIError) {
    let hidden = try o.int("--hidden", default: 32, min: 2)
    let p = try o.double("--p", default: 3)
    let rank = try o.int("--rank", default: 2, min: 2)
    let delta = try o.double("--delta", default: 0.4)
    let epochs = try o.int("--epochs", default: 40, min: 1)
    let rate = try o.double("--rate", default: 0.04)
    let batch = try o.int("--batch", default: 50, min: 1)
    let power = try o.int("--power", default: 3, min: 1)
    let nTrain = try o.int("--train", default: 2000, min: 2)
    let nTest = try o.int("--test", default: 1000, min: 1)
    let noise = try o.double("--noise", default: 0.2)
    let readoutEpochs = try o.int("--readout-epochs", default: 20, min: 1)
    let seed = UInt64(try o.int("--seed", default: 1, min: 0))
    do throws(HebbianError) {
      let start = hb_sys_monotonic_ns()
      let train = try BarsDataset(count: nTrain, noise: noise, seed: seed)
      let test = try BarsDataset(count: nTest, noise: noise, seed: seed &+ 1)
      let d = train.dimension
      Console.outLine(
        "bars 8x8: \(nTrain) train / \(nTest) held-out images, label = (row + column) mod 2, noise \(Fmt.fixed(noise, 2))"
      )
      var units = try CompetingUnits(
        inputs: d, hidden: hidden, p: Float(p), rank: rank, delta: Float(delta), batchSize: batch,
        seed: seed)
      var order = [Int](repeating: 0, count: nTrain)
      var scratch = [Float](repeating: 0, count: batch * d)
      var rng = SeededGenerator(seed: seed &+ 2)
      var os = order.mutableSpan
      var ss = scratch.mutableSpan
      let every = Swift.max(1, epochs / 5)
      try units.train(
        data: train.images.span, count: nTrain, epochs: epochs, initialRate: Float(rate),
        order: &os, batchScratch: &ss, rng: &rng,
        progress: { epoch, eps in
          if epoch % every == 0 || epoch == epochs {
            Console.errLine("competing epoch \(epoch)/\(epochs)  rate \(Fmt.fixed(eps, 4))")
          }
        })
      _ = consume os
      _ = consume ss
      // A unit "carries data" when it won at least half of a fair share 1/K of the
      // last epoch's presentations; the others won only early on and were frozen out, so their rows keep their start.
      let (active, worst) = units.convergenceSummary(presentations: nTrain)
      Console.outLine(
        "hidden units: \(hidden), p = \(Fmt.fixed(p, 1)), k = \(rank), delta = \(Fmt.fixed(delta, 2)); \(active) carry the data, their max |p-norm - 1| = \(Fmt.sci(worst, 2))"
      )

      let trainH = try hiddenFeatures(units, train, power)
      let testH = try hiddenFeatures(units, test, power)
      let raw = try readoutAccuracy(
        train.images, train.labels, test.images, test.labels, d, readoutEpochs, seed)
      let learned = try readoutAccuracy(
        trainH, train.labels, testH, test.labels, hidden, readoutEpochs, seed)
      Console.outLine(
        "linear readout, held-out accuracy: raw pixels \(Fmt.fixed(100 * raw, 1))%  competing-unit features \(Fmt.fixed(100 * learned, 1))%"
      )
      Console.errLine("time: \(Fmt.fixed(Double(hb_sys_monotonic_ns() - start) * 1e-9, 1)) s")
    } catch { throw .usage(error.message) }
  }

  static func hiddenFeatures(_ units: borrowing CompetingUnits, _ set: BarsDataset, _ power: Int)
    throws(HebbianError) -> [Float]
  {
    let d = set.dimension
    let k = units.hidden
    var out = [Float](repeating: 0, count: set.count * k)
    var h = [Float](repeating: 0, count: k)
    for s in 0..<set.count {
      var hs = h.mutableSpan
      try units.features(
        set.images.span.extracting((s * d)..<((s + 1) * d)), power: power, into: &hs)
      _ = consume hs
      for m in 0..<k { out[s * k + m] = h[m] }
    }
    return out
  }

  static func readoutAccuracy(
    _ trainX: [Float], _ trainY: [Int], _ testX: [Float], _ testY: [Int], _ f: Int, _ epochs: Int,
    _ seed: UInt64
  ) throws(HebbianError) -> Double {
    var readout = try SoftmaxReadout(features: f, classes: BarsDataset.classes)
    var order = [Int](repeating: 0, count: trainY.count)
    var rng = SeededGenerator(seed: seed &+ 3)
    var os = order.mutableSpan
    try readout.fit(
      data: trainX.span, labels: trainY.span, count: trainY.count, epochs: epochs, rate: 0.01,
      order: &os, rng: &rng)
    _ = consume os
    return try readout.accuracy(data: testX.span, labels: testY.span, count: testY.count)
  }
}
