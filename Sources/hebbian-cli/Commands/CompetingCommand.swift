import CHebbianSys
import Hebbian
import HebbianExperiments

/// `hebbian competing`: learns features with Krotov & Hopfield's competing hidden units, on the
/// generated bars data set or on a labelled CSV, and compares one linear readout on raw inputs,
/// on random features of the same size and on the learned features, on a held-out split.
enum CompetingCommand {
  static let command = Command(
    name: "competing",
    summary:
      "Learn competing-hidden-unit features (bars images or a labelled CSV); readout accuracy "
      + "on raw inputs, random and learned features.",
    options: [
      .quiet,
      CompetingOptions.input,
      CompetingOptions.labelColumn,
      CompetingOptions.testFraction,
      CompetingOptions.hidden,
      CompetingOptions.p,
      CompetingOptions.rank,
      CompetingOptions.delta,
      CompetingOptions.epochs,
      CompetingOptions.rate,
      CompetingOptions.batch,
      CompetingOptions.power,
      CompetingOptions.train,
      CompetingOptions.test,
      CompetingOptions.noise,
      CompetingOptions.readoutEpochs,
      CompetingOptions.tunedReadout,
      CompetingOptions.seed,
    ],
    run: { (o: ParsedOptions) throws(CLIError) in try run(o) }
  )

  static func run(_ o: ParsedOptions) throws(CLIError) {
    let external = o.string(CompetingOptions.input) != nil
    let generatedOnly = [CompetingOptions.train, CompetingOptions.test, CompetingOptions.noise]
    let inputOnly = [CompetingOptions.labelColumn, CompetingOptions.testFraction]
    for option in external ? generatedOnly : inputOnly where o.has(option) {
      throw .usage(
        external
          ? "\(option.name) applies to the generated bars only, not to --input"
          : "\(option.name) needs --input DATA.csv")
    }
    var c = FeatureComparison.Configuration()
    c.hidden = try o.int(CompetingOptions.hidden, default: external ? 100 : 32, min: 2)
    let p = try o.double(CompetingOptions.p, default: 3)
    if !(p >= 2 && p <= 100) { throw .usage("--p: must be in [2, 100]") }
    c.p = Float(p)
    c.rank = try o.int(CompetingOptions.rank, default: 2, min: 2)
    if c.rank > c.hidden {
      throw .usage("--rank: must be <= --hidden (\(c.hidden)), got \(c.rank)")
    }
    let delta = try o.double(CompetingOptions.delta, default: 0.4)
    if !(delta >= 0 && delta.isFinite) { throw .usage("--delta: must be a finite number >= 0") }
    c.delta = Float(delta)
    c.epochs = try o.int(CompetingOptions.epochs, default: 40, min: 1)
    let rate = try o.double(CompetingOptions.rate, default: 0.04)
    if !(rate >= 0 && rate.isFinite) { throw .usage("--rate: must be a finite number >= 0") }
    c.rate = Float(rate)
    c.batch = try o.int(CompetingOptions.batch, default: 50, min: 1)
    c.power = try o.int(CompetingOptions.power, default: 3, min: 1)
    c.readoutEpochs = try o.int(CompetingOptions.readoutEpochs, default: 20, min: 1)
    c.seed = UInt64(try o.int(CompetingOptions.seed, default: 1, min: 0))
    c.tunedReadout = o.has(CompetingOptions.tunedReadout)
    if !external {
      // The bars set is generated: its size is known before anything is drawn.
      try checkBudget(
        o, c, train: try o.int(CompetingOptions.train, default: 2000, min: 2),
        test: try o.int(CompetingOptions.test, default: 1000, min: 1), d: 64, classes: 2)
    }
    let start = hb_sys_monotonic_ns()
    let set = external ? try labelled(o, c.seed) : try bars(o, c.seed)
    let d = set.dimension
    if external {
      try checkBudget(
        o, c, train: set.trainY.count, test: set.testY.count, d: d, classes: set.classes)
    }
    let every = Swift.max(1, c.epochs / 5)
    let result = try usageErrors { () throws(HebbianError) in
      try FeatureComparison.run(
        trainX: set.trainX, trainY: set.trainY, testX: set.testX, testY: set.testY,
        dimension: d, classes: set.classes, configuration: c,
        progress: { epoch, eps in
          if epoch % every == 0 || epoch == c.epochs {
            Console.progress(o, "competing epoch \(epoch)/\(c.epochs)  rate \(Fmt.fixed(eps, 4))")
          }
        })
    }
    // A unit "carries data" when it won at least half of a fair share 1/K of the last epoch's
    // presentations; the others won only early on and were frozen out, so their rows keep
    // their start.
    Console.outLine(
      "hidden units: \(c.hidden), p = \(Fmt.fixed(p, 1)), k = \(c.rank), delta = \(Fmt.fixed(delta, 2)); "
        + "\(result.carryingUnits) carry the data, their max |p-norm - 1| = \(Fmt.sci(result.maxNormDeviation, 2))"
    )
    if c.tunedReadout {
      Console.outLine(
        "readout: standardised features, rate chosen on a validation fifth of the training rows")
    }
    Console.outLine("linear readout on            features  held-out accuracy")
    func row(_ name: String, _ size: Int, _ accuracy: Double) {
      Console.outLine(
        Fmt.padRight(name, 10) + Fmt.padRight(" ", 18 - String(size).utf8.count) + "\(size)"
          + "  " + Fmt.fixed(100 * accuracy, 1) + "%")
    }
    row("raw", d, result.raw)
    row("random", c.hidden, result.random)
    row("learned", c.hidden, result.learned)
    Console.errLine("time: \(Fmt.fixed(Double(hb_sys_monotonic_ns() - start) * 1e-9, 1)) s")
  }

  /// The run's work and buffers, counted before any of it: unsupervised epochs (a K×d
  /// product per sample), the feature maps, three readouts; the data and feature copies.
  static func checkBudget(
    _ o: ParsedOptions, _ c: FeatureComparison.Configuration, train: Int, test: Int, d: Int,
    classes: Int
  ) throws(CLIError) {
    let (n, t, k, dd) = (Int64(train), Int64(test), Int64(c.hidden), Int64(d))
    var b = WorkBudget("competing")
    b.work(
      [Int64(c.epochs), n, k, dd, 3],
      [CompetingOptions.epochs, CompetingOptions.hidden, CompetingOptions.train])
    b.work(
      [2, n + t, k, dd], [CompetingOptions.hidden, CompetingOptions.train, CompetingOptions.test])
    b.work(
      [Int64(c.readoutEpochs), n, 2 * k + dd, Int64(classes)], [CompetingOptions.readoutEpochs])
    b.memory(
      [[n + t, dd], [2, n + t, k], [Int64(c.batch), dd]],
      [
        CompetingOptions.train, CompetingOptions.test, CompetingOptions.hidden,
        CompetingOptions.batch,
      ])
    try b.check(quiet: o.has(OptionSpec.quiet))
  }

  /// A training and a held-out set, row-major.
  struct Split {
    var trainX: [Float] = []
    var trainY: [Int] = []
    var testX: [Float] = []
    var testY: [Int] = []
    var dimension = 0
    var classes = 2
  }

  static func bars(_ o: ParsedOptions, _ seed: UInt64) throws(CLIError) -> Split {
    let nTrain = try o.int(CompetingOptions.train, default: 2000, min: 2)
    let nTest = try o.int(CompetingOptions.test, default: 1000, min: 1)
    let noise = try o.double(CompetingOptions.noise, default: 0.2)
    if !(noise >= 0 && noise.isFinite) { throw .usage("--noise: must be a finite number >= 0") }
    do throws(HebbianError) {
      let train = try BarsDataset(count: nTrain, noise: noise, seed: seed)
      let test = try BarsDataset(count: nTest, noise: noise, seed: seed &+ 1)
      Console.outLine(
        "bars 8x8: \(nTrain) train / \(nTest) held-out images, label = (row + column) mod 2, noise \(Fmt.fixed(noise, 2))"
      )
      return Split(
        trainX: train.images, trainY: train.labels, testX: test.images, testY: test.labels,
        dimension: train.dimension, classes: BarsDataset.classes)
    } catch { throw .usage(error.message) }
  }

  /// Reads a labelled CSV (features = every column but the label's), maps the distinct label
  /// values to classes 0…C−1 in increasing order and splits the rows with the seed.
  static func labelled(_ o: ParsedOptions, _ seed: UInt64) throws(CLIError) -> Split {
    let path = o.string(CompetingOptions.input)!
    let labelName = try o.required(CompetingOptions.labelColumn)
    let fraction = try o.double(CompetingOptions.testFraction, default: 0.25)
    if !(fraction > 0 && fraction < 1) { throw .usage("--test-fraction: must be in (0, 1)") }
    let table = try LabelledTable.read(path: path, labelColumn: labelName)
    let n = table.labels.count
    var values = table.labels
    values.sort()
    var distinct: [Float] = []
    for v in values where distinct.last != v { distinct.append(v) }
    if distinct.count < 2 {
      throw .data("\(path): column \(labelName) holds one label value; need at least 2 classes")
    }
    if distinct.count > 1000 {
      throw .data(
        "\(path): column \(labelName) holds \(distinct.count) distinct values; is it a label?")
    }
    let (trainRows, testRows): ([Int], [Int])
    do throws(HebbianError) {
      (trainRows, testRows) = try FeatureComparison.split(
        count: n, testFraction: fraction, seed: seed &+ 7)
    } catch { throw .data("\(path): \(error.message)") }
    let d = table.dimension
    var s = Split(dimension: d, classes: distinct.count)
    func add(_ rows: [Int], _ x: inout [Float], _ y: inout [Int]) {
      x.reserveCapacity(rows.count * d)
      for r in rows {
        x.append(contentsOf: table.features[(r * d)..<((r + 1) * d)])
        var lo = 0
        var hi = distinct.count - 1
        while lo < hi {
          let mid = (lo + hi) / 2
          if distinct[mid] < table.labels[r] { lo = mid + 1 } else { hi = mid }
        }
        y.append(lo)
      }
    }
    add(trainRows, &s.trainX, &s.trainY)
    add(testRows, &s.testX, &s.testY)
    Console.outLine(
      "\(path): \(n) rows, \(d) features, \(distinct.count) classes (column \(table.labelName)); "
        + "\(trainRows.count) train / \(testRows.count) held-out rows (seeded split)")
    return s
  }
}

/// The options of `hebbian competing`, each declared once: its table and every query read these.
enum CompetingOptions {
  static let input = OptionSpec.value(
    "--input", "DATA.csv", "labelled data set (CSV with header); default: generated bars"
  )
  .input()
  static let labelColumn = OptionSpec.value(
    "--label-column", "L", "with --input: the label column, by header name or 1-based number")
  static let testFraction = OptionSpec.value(
    "--test-fraction", "F", "with --input: held-out fraction (default 0.25)"
  ).within(0...1)
  static let hidden = OptionSpec.value(
    "--hidden", "K", "hidden units (default 32 for bars, 100 with --input)"
  ).within(2...100_000)
  static let p = OptionSpec.value("--p", "P", "p of the p-norm (default 3)").within(2...100)
  static let rank = OptionSpec.value(
    "--rank", "k", "rank of the unit pushed away (default 2)"
  ).within(2...100_000)
  static let delta = OptionSpec.value(
    "--delta", "D", "anti-Hebbian strength (default 0.4)"
  ).within(0...100)
  static let epochs = OptionSpec.value(
    "--epochs", "E", "unsupervised epochs (default 40)"
  ).within(1...1_000_000)
  static let rate = OptionSpec.value(
    "--rate", "X", "initial learning rate, decays linearly to 0 (default 0.04)"
  ).within(0...1)
  static let batch = OptionSpec.value(
    "--batch", "B", "mini-batch size (default 50)"
  ).within(1...100_000)
  static let power = OptionSpec.value(
    "--power", "n", "readout activation ReLU(current)^n (default 3)"
  ).within(1...64)
  static let train = OptionSpec.value(
    "--train", "N", "bars: training images (default 2000)"
  ).within(2...10_000_000)
  static let test = OptionSpec.value(
    "--test", "N", "bars: held-out images (default 1000)"
  ).within(1...10_000_000)
  static let noise = OptionSpec.value(
    "--noise", "S", "bars: pixel noise standard deviation (default 0.2)"
  ).within(0...100)
  static let readoutEpochs = OptionSpec.value(
    "--readout-epochs", "E", "SGD epochs of the linear readout (default 20)"
  ).within(1...1_000_000)
  static let tunedReadout = OptionSpec.flag(
    "--tuned-readout",
    "standardise each feature set and choose the readout rate on a validation fifth of the training rows"
  )
  static let seed = OptionSpec.value("--seed", "S", "seed (default 1)").within(0...2_147_483_647)
}
