import Hebbian
import HebbianExperiments

/// `hebbian capacity`: the retrieval curve of one or more memories against the load P/N,
/// α_c as Amit, Gutfreund & Sompolinsky measure it (start at each stored pattern, run to a
/// fixed point, retrieved when the overlap m ≥ 0.9), the exact-recall fraction from noisy
/// cues beside it, and optionally a finite-size table with an extrapolation to N → ∞.
enum CapacityCommand {
  static let models = ["hopfield", "storkey", "dense", "ei", "e-only", "covariance", "cov-activity"]
  static let sparseModels = ["ei", "e-only", "covariance", "cov-activity"]

  static let command = Command(
    name: "capacity",
    summary: "Sweep the load P/N of associative memories; print alpha_c and the retrieval curve.",
    options: [
      .quiet,
      .value(
        "--model", "M",
        "hopfield | storkey | dense | ei | e-only | covariance | cov-activity; repeat or comma-separate"
      ),
      .value("--dim", "N", "neurons (excitatory neurons for ei / e-only)").within(2...1_000_000),
      .flag(
        "--no-baseline",
        "ei: do not add the signed covariance networks (covariance, cov-activity) beside it"),
      .value("--from", "A", "smallest load P/N (default per model: 0.02, ei 0.05, dense 0.5)").within(1e-6...1e6),
      .value("--to", "B", "largest load P/N (\(perModel { $0.to }))").within(1e-6...1e6),
      .value("--step", "S", "load increment (\(perModel { $0.step }))").within(1e-6...1e6),
      .value("--trials", "T", "random pattern sequences per model (default 3)").within(1...1_000_000),
      .value("--probes", "K", "stored patterns probed per load and sequence (default 20)").within(1...1_000_000),
      .value("--noise", "F", "fraction of cue entries flipped for the cued runs (default 0.1)").within(0...0.5),
      .value("--degree", "n", "dense: F(x) = x^n (default 3); 0 for F = exp").within(0...64),
      .value(
        "--coding-level", "f",
        "ei / e-only / covariance / cov-activity: fraction of active entries per pattern (default 0.1)"
      ).within(0...1),
      .value("--inhibitory", "K", "ei: inhibitory neurons (default N/4)").within(1...16_777_216),
      .value(
        "--search", "K",
        "ei / e-only / covariance / cov-activity: coefficient sets the search evaluates (default 30; 1 = the start only)"
      ).within(1...1_000_000),
      .value("--sizes", "N1,N2,...", "also measure alpha_c at these N and extrapolate to N -> inf"),
      .value("--seed", "S", "seed of patterns, cues and update order (default 1)").within(0...2_147_483_647),
      .value("--plot", "FILE.svg", "draw the retrieved (m >= 0.9) and exact-recall curves")
        .output(),
    ],
    run: { (o: ParsedOptions) throws(CLIError) in try run(o) }
  )

  /// The literature's value printed beside each model's α_c.
  static func literature(_ name: String, _ degree: Int, _ f: Double) -> String {
    switch name {
    case "hopfield": return "Amit-Gutfreund-Sompolinsky: 0.138 as N -> inf"
    case "storkey": return "Storkey 1997: above the Hebbian 0.138"
    case "dense":
      return degree == 0
        ? "Demircigil et al. 2017: exponential in N"
        : "Krotov-Hopfield 2016: P grows like N^\(degree - 1)"
    case "ei":
      let small = 1 / (2 * f * abs(Math.log(f)))
      return
        "sparse coding at f = \(Fmt.fixed(f, 3)): 1/(2 f |ln f|) = \(Fmt.fixed(small, 2)) as f -> 0; classical 0.138"
    case "covariance":
      return "Tsodyks-Feigel'man 1988 covariance rule, signed weights, tuned fixed threshold"
    case "cov-activity":
      return "Tsodyks-Feigel'man 1988 covariance rule, signed weights, threshold following the activity"
    default: return "no inhibition: the popularity term grows like f sqrt(N)"
    }
  }

  struct Grid {
    var from: Double
    var to: Double
    var step: Double
  }

  static func defaultGrid(_ name: String) -> Grid {
    switch name {
    case "hopfield": return Grid(from: 0.02, to: 0.24, step: 0.01)
    case "storkey": return Grid(from: 0.02, to: 0.6, step: 0.02)
    case "dense": return Grid(from: 0.5, to: 10, step: 0.5)
    case "ei", "covariance", "cov-activity": return Grid(from: 0.05, to: 0.9, step: 0.05)
    default: return Grid(from: 0.02, to: 0.3, step: 0.02)
    }
  }

  /// One end of the default grids as the help states it, taken from ``defaultGrid(_:)`` so
  /// that the help cannot disagree with what runs.
  static func perModel(_ value: (Grid) -> Double) -> String {
    var s = "default per model: "
    for (i, name) in models.enumerated() {
      s += (i == 0 ? "" : ", ") + name + " " + Fmt.shortest(Float(value(defaultGrid(name))))
    }
    return s
  }

  static func counts(_ g: Grid, _ n: Int) -> [Int] {
    var counts: [Int] = []
    var k = 0
    while true {
      let load = g.from + Double(k) * g.step
      if load > g.to + g.step * 1e-9 { break }
      // grid(_:from:to:step:n:) bounds load × N by maxPatterns; the clamp keeps the
      // conversion checked for any grid.
      let p = max(1, Int(Swift.min((load * Double(n)).rounded(), Double(maxPatterns))))
      if counts.last.map({ p > $0 }) ?? true { counts.append(p) }
      k += 1
    }
    return counts
  }

  /// Largest pattern count of a sweep: the memories hold P×N (or N×N) floats, and 2^24
  /// patterns is far beyond any load the models retrieve at.
  static let maxPatterns = 1 << 24
  /// Most loads on one grid.
  static let maxLoads = 100_000

  /// The grid of `name` as the options change it, refused when it has too many loads or its
  /// largest load asks for more than ``maxPatterns`` patterns at N = `n`.
  static func grid(_ name: String, from: Double?, to: Double?, step: Double?, n: Int)
    throws(CLIError) -> Grid
  {
    var grid = defaultGrid(name)
    if let from { grid.from = from }
    if let to { grid.to = to }
    if let step { grid.step = step }
    if !(grid.to >= grid.from) {
      throw .usage("--from/--to: the load range of \(name) is empty (\(Fmt.number(grid.from)) > \(Fmt.number(grid.to)))")
    }
    let loads = ((grid.to - grid.from) / grid.step).rounded(.down) + 1
    if !(loads <= Double(maxLoads)) {
      throw .usage(
        "--step: the grid of \(name) from \(Fmt.number(grid.from)) to \(Fmt.number(grid.to)) has \(Fmt.sci(loads, 1)) loads, at most \(maxLoads)")
    }
    if !(grid.to * Double(n) <= Double(maxPatterns)) {
      throw .usage(
        "--to: load \(Fmt.number(grid.to)) at N = \(n) asks for \(Fmt.sci(grid.to * Double(n), 1)) patterns, at most \(maxPatterns)")
    }
    return grid
  }

  /// The sweeps' work, counted before any: per model and size, each trial stores the patterns
  /// one at a time (P·N² up to the largest P) and at every load recalls probes × 2 cues of
  /// about five sweeps of N·max(N, P) each; ei / e-only add the search's evaluations.
  static func checkBudget(
    _ o: ParsedOptions, _ names: [String], _ n: Int, _ sizes: [Int], from: Double?, to: Double?,
    step: Double?, _ s: Settings, _ evaluations: Int
  ) throws(CLIError) {
    var b = WorkBudget("capacity")
    for name in names {
      for size in [n] + sizes {
        let g = try grid(name, from: from, to: to, step: step, n: size)
        let c = counts(g, size)
        let maxP = Int64(c.last ?? 1), loads = Int64(c.count), nn = Int64(size)
        let searched = name != "hopfield" && name != "storkey" && name != "dense"
        let runs = Int64(s.trials) + (searched ? Int64(evaluations) : 0)
        b.work([runs, maxP, nn, nn], ["--trials", "--dim", "--to"])
        b.work([runs, loads, 10 * Int64(s.probes), nn, Swift.max(nn, maxP)], ["--probes", "--step"])
        if name == "ei" || name == "e-only" { b.work([], ["--search"]) }
        b.memory([[maxP, nn], [nn, nn]], ["--dim", "--to"])
      }
    }
    try b.check(quiet: o.has("--quiet"))
  }

  struct Settings {
    var trials: Int
    var probes: Int
    var noise: Double
    var degree: Int
    var codingLevel: Double
    var inhibitory: Int?
    var seed: UInt64
  }

  static func run(_ o: ParsedOptions) throws(CLIError) {
    var names: [String] = []
    for v in o.values where v.name.isBytes("--model") {
      for part in v.value.split(separator: ",") { names.append(String(part)) }
    }
    if names.isEmpty { names = ["hopfield"] }
    for name in names where !models.containsBytes(name) {
      throw .usage(
        "--model: expected one of hopfield|storkey|dense|ei|e-only|covariance|cov-activity, got '\(name)'"
      )
    }
    if o.has("--no-baseline") && !names.contains("ei") {
      throw .usage("--no-baseline: applies only to --model ei")
    }
    // The E/I network's claim is only as good as its control: the signed covariance network
    // it emulates, tuned with the same budget on the same patterns.
    if names.contains("ei") && !o.has("--no-baseline") {
      for b in ["covariance", "cov-activity"] where !names.contains(b) { names.append(b) }
    }
    let n = try o.requiredInt("--dim", min: 2)
    let from = try o.double("--from")
    let to = try o.double("--to")
    let step = try o.double("--step")
    if let from, !(from > 0) { throw .usage("--from: must be > 0") }
    if let step, !(step > 0) { throw .usage("--step: must be > 0") }
    if let to, !(to > 0) { throw .usage("--to: must be > 0") }
    if let from, let to, !(to >= from) { throw .usage("--to: must be >= --from") }
    let trials = try o.int("--trials", default: 3, min: 1)
    let probes = try o.int("--probes", default: 20, min: 1)
    let noise = try o.double("--noise", default: 0.1)
    if !(noise >= 0 && noise <= 0.5) { throw .usage("--noise: must be in [0, 0.5]") }
    var sparse = false
    for name in names where sparseModels.contains(name) { sparse = true }
    if o.has("--degree") && !names.contains("dense") {
      throw .usage("--degree: applies only to --model dense")
    }
    for opt in ["--coding-level", "--search"] where o.has(opt) && !sparse {
      throw .usage("\(opt): applies only to --model ei, e-only, covariance or cov-activity")
    }
    if o.has("--inhibitory") && !names.contains("ei") {
      throw .usage("--inhibitory: applies only to --model ei")
    }
    let degree = try o.int("--degree", default: 3, min: 0)
    let f = try o.double("--coding-level", default: 0.1)
    if !(f > 0 && f < 1) { throw .usage("--coding-level: must be in (0, 1)") }
    let inhibitory = try o.int("--inhibitory")
    if let k = inhibitory, k < 1 { throw .usage("--inhibitory: must be >= 1, got \(k)") }
    let evaluations = try o.int("--search", default: 30, min: 1)
    let seed = UInt64(try o.int("--seed", default: 1, min: 0))
    var sizes: [Int] = []
    if let list = o.string("--sizes") {
      for part in list.split(separator: ",") {
        guard let v = Int(part), v >= 2 else {
          throw .usage("--sizes: expected comma-separated integers >= 2, got '\(list)'")
        }
        sizes.append(v)
      }
      if sizes.count < 2 { throw .usage("--sizes: need at least two sizes to extrapolate") }
      if sizes.count > 100 { throw .usage("--sizes: at most 100 sizes, got \(sizes.count)") }
      for s in sizes where s > 1_000_000 {
        throw .usage("--sizes: each size must be in [2, 1000000], got \(s)")
      }
    }
    let settings = Settings(
      trials: trials, probes: probes, noise: noise, degree: degree, codingLevel: f,
      inhibitory: inhibitory, seed: seed)

    try checkBudget(o, names, n, sizes, from: from, to: to, step: step, settings, evaluations)
    Console.outLine(
      Fmt.padRight("model", 10) + Fmt.pad("P/N", 7) + Fmt.pad("P", 6) + Fmt.pad("retrieved", 10)
        + Fmt.pad("m(fixed)", 9) + Fmt.pad("exact-recall", 13) + Fmt.pad("m(cue)", 8))
    var series: [SVGPlot.Series] = []
    var summaries: [String] = []
    var alphas: [(name: String, alpha: Double?, points: [CapacityPoint])] = []
    for name in names {
      let grid = try grid(name, from: from, to: to, step: step, n: n)
      let c = counts(grid, n)
      let label = name == "dense" ? (degree == 0 ? "dense-exp" : "dense-\(degree)") : name
      Console.progress(o, "capacity: \(label), N \(n), \(c.count) loads")
      var tuned = Tuned()
      if name == "ei" || name == "e-only" {
        tuned.coefficients = try search(name, n, grid, settings, evaluations, &summaries)
      } else if name == "covariance" || name == "cov-activity" {
        tuned.threshold = try searchThreshold(name, n, grid, settings, evaluations, &summaries)
      }
      let points = try sweep(name, n, c, settings, tuned)
      if sparseModels.contains(name) {
        alphas.append((name, CapacitySweep.criticalLoad(points), points))
      }
      for pt in points {
        Console.outLine(
          Fmt.padRight(label, 10) + Fmt.pad(Fmt.fixed(pt.load, 3), 7)
            + Fmt.pad(String(pt.patterns), 6) + Fmt.pad(Fmt.fixed(pt.retrieved, 3), 10)
            + Fmt.pad(Fmt.fixed(pt.fixedPointOverlap, 4), 9) + Fmt.pad(Fmt.fixed(pt.exact, 3), 13)
            + Fmt.pad(Fmt.fixed(pt.overlap, 4), 8))
      }
      var retrieved: [(x: Double, y: Double)] = []
      var exact: [(x: Double, y: Double)] = []
      for pt in points {
        retrieved.append((pt.load, pt.retrieved))
        exact.append((pt.load, pt.exact))
      }
      series.append(SVGPlot.Series(name: "\(label) m>=0.9", points: retrieved))
      series.append(SVGPlot.Series(name: "\(label) exact", points: exact))
      summaries.append(alphaLine(label, points, n, literature(name, degree, f)))
      if noise > 0 {
        summaries.append(cueLine(label, points, noise))
      }
      if !sizes.isEmpty {
        var measured: [(n: Int, alpha: Double)] = []
        var halves: [(n: Int, alpha: Double)] = []
        summaries.append(
          "\(label): finite size       N   alpha_c (R >= 0.9)   half-retrieval load (R >= 0.5)")
        for size in sizes {
          let pts = try sweep(name, size, counts(grid, size), settings, tuned)
          let a = CapacitySweep.criticalLoad(pts)
          let h = CapacitySweep.criticalLoad(pts, level: 0.5)
          Console.progress(o, "capacity: \(label), N \(size): alpha_c \(show(a))")
          summaries.append(
            "\(label): finite size " + Fmt.pad(String(size), 7) + Fmt.pad(show(a), 21)
              + Fmt.pad(show(h), 33))
          if let a { measured.append((size, a)) }
          if let h { halves.append((size, h)) }
        }
        for (what, data) in [("alpha_c (R >= 0.9)", measured), ("half-retrieval load", halves)] {
          if let fit = CapacitySweep.extrapolate(data) {
            summaries.append(
              "\(label): \(what) extrapolated to N -> inf: \(Fmt.fixed(fit.alphaInfinity, 4))"
                + " (least squares a + b/sqrt(N) over \(data.count) sizes, b = \(Fmt.fixed(fit.slope, 3)))"
            )
          } else {
            summaries.append("\(label): \(what): extrapolation needs two bracketed sizes")
          }
        }
      }
    }
    if let line = comparison(alphas) { summaries.append(line) }
    for line in summaries { Console.outLine(line) }
    if let path = o.string("--plot") {
      let svg = SVGPlot.render(
        title: "Retrieval against the load, N = \(n)", xLabel: "load P/N",
        yLabel: "fraction retrieved (m >= 0.9 from the pattern; exact from cues)",
        series: series)
      try o.outputs.write(path, Array(svg.utf8), option: "--plot")
      Console.errLine("capacity: wrote \(path)")
    }
  }

  static func alphaLine(_ label: String, _ points: [CapacityPoint], _ n: Int, _ lit: String)
    -> String
  {
    if let a = CapacitySweep.criticalLoad(points) {
      let half = CapacitySweep.criticalLoad(points, level: 0.5)
      return
        "\(label): alpha_c (overlap >= 0.9): \(Fmt.fixed(a, 4)) (P = \(Fmt.fixed(a * Double(n), 1)) at N = \(n);"
        + " 90 % of the probes started at their pattern retrieved up to there, half up to \(show(half)); \(lit))"
    }
    if let first = points.first, first.retrieved < 0.9 {
      return
        "\(label): alpha_c (overlap >= 0.9): below the smallest load \(Fmt.fixed(first.load, 3)) (\(lit))"
    }
    let last = points.last.map { Fmt.fixed($0.load, 3) } ?? "?"
    return "\(label): alpha_c (overlap >= 0.9): above the largest load \(last) (\(lit))"
  }

  static func show(_ v: Double?) -> String { v.map { Fmt.fixed($0, 4) } ?? "not bracketed" }

  static func cueLine(_ label: String, _ points: [CapacityPoint], _ noise: Double) -> String {
    return
      "\(label): from \(Fmt.fixed(noise * 100, 0)) % flipped cues: overlap >= 0.9 for 90 % of them up to "
      + show(CapacitySweep.cueRetrievalLoad(points))
      + ", exact-recall fraction falls through 1/2 at "
      + show(CapacitySweep.exactRecallLoad(points))
      + " (an N-dependent quantity)"
  }

  /// What a search tuned: E/I coefficients or a covariance network's threshold.
  struct Tuned {
    var coefficients: EIMemory.Coefficients? = nil
    var threshold: CovarianceMemory.Threshold? = nil
  }

  /// The E/I network beside its signed covariance baselines, each as α_c and as the search
  /// score (area under the retrieved curve: less noisy than one crossing).
  static func comparison(_ alphas: [(name: String, alpha: Double?, points: [CapacityPoint])])
    -> String?
  {
    guard alphas.contains(where: { $0.name == "ei" }) else { return nil }
    var parts: [String] = []
    for a in alphas where a.name == "ei" || a.name == "covariance" || a.name == "cov-activity" {
      parts.append(
        "\(a.name) \(show(a.alpha)) (area \(Fmt.fixed(EIMemory.score(a.points), 4)))")
    }
    if parts.count < 2 { return nil }
    var line = "E/I against the signed covariance baseline: alpha_c "
    for (i, p) in parts.enumerated() { line += (i == 0 ? "" : ", ") + p }
    return line + " (same N, f, probes, criterion and search budget)"
  }

  /// One sweep of `name` at N = `n` over the pattern counts.
  static func sweep(
    _ name: String, _ n: Int, _ c: [Int], _ s: Settings, _ tuned: Tuned
  ) throws(CLIError) -> [CapacityPoint] {
    let maxP = c.last ?? 1
    do throws(HebbianError) {
      switch name {
      case "hopfield", "storkey":
        var m = try HopfieldMemory(
          dimension: n, capacity: maxP, rule: name == "storkey" ? .storkey : .hebbian,
          seed: s.seed)
        return try CapacitySweep.run(
          &m, patternCounts: c, trials: s.trials, probes: s.probes, noise: s.noise, seed: s.seed)
      case "dense":
        var m = try DenseMemory(
          dimension: n, capacity: maxP,
          interaction: s.degree == 0 ? .exponential : .polynomial(degree: s.degree), seed: s.seed)
        return try CapacitySweep.run(
          &m, patternCounts: c, trials: s.trials, probes: s.probes, noise: s.noise, seed: s.seed)
      case "covariance", "cov-activity":
        let t =
          tuned.threshold
          ?? .derived(codingLevel: s.codingLevel, activityScaled: name == "cov-activity")
        var m = try CovarianceMemory(
          dimension: n, capacity: maxP, codingLevel: s.codingLevel, threshold: t)
        // The same fresh seed as the E/I network's curve: the same patterns and probes.
        return try CapacitySweep.run(
          &m, patternCounts: c, trials: s.trials, probes: s.probes, noise: s.noise,
          kind: .sparse(codingLevel: s.codingLevel), seed: s.seed &+ 1000)
      default:
        let k = tuned.coefficients ?? EIMemory.Coefficients(codingLevel: s.codingLevel)
        var m = try EIMemory(
          excitatory: n, inhibitory: name == "ei" ? (s.inhibitory ?? max(1, n / 4)) : 0,
          capacity: maxP, coefficients: k, seed: s.seed)
        // A fresh seed: the reported curve is not the one the search tuned on.
        return try CapacitySweep.run(
          &m, patternCounts: c, trials: s.trials, probes: s.probes, noise: s.noise,
          kind: .sparse(codingLevel: s.codingLevel), seed: s.seed &+ 1000)
      }
    } catch {
      throw .data(error.message)
    }
  }

  /// The evolution-strategy search for ei / e-only; prints start and best to the summary.
  static func search(
    _ name: String, _ n: Int, _ grid: Grid, _ s: Settings, _ evaluations: Int,
    _ summaries: inout [String]
  ) throws(CLIError) -> EIMemory.Coefficients {
    let start =
      name == "ei"
      ? EIMemory.Coefficients.nonPlastic(codingLevel: s.codingLevel)
      : EIMemory.Coefficients.excitatoryOnly(codingLevel: s.codingLevel)
    var loads: [Double] = []
    for p in counts(grid, n) { loads.append(Double(p) / Double(n)) }
    let found: EIMemory.SearchResult
    var derived: EIMemory.SearchResult? = nil
    let ni = name == "ei" ? (s.inhibitory ?? max(1, n / 4)) : 0
    do throws(HebbianError) {
      found = try EIMemory.search(
        excitatory: n, inhibitory: ni, loads: loads, evaluations: evaluations, trials: 1,
        probes: min(s.probes, 10), start: start, seed: s.seed)
      if name == "ei" {
        // The hand-derived point, scored on the same pattern sets, for comparison.
        derived = try EIMemory.search(
          excitatory: n, inhibitory: ni, loads: loads, evaluations: 1, trials: 1,
          probes: min(s.probes, 10), start: .derived(codingLevel: s.codingLevel), seed: s.seed)
      }
    } catch {
      throw .data(error.message)
    }
    summaries.append(
      "\(name): search start \(describe(found.start, name)) score \(Fmt.fixed(found.startScore, 4))"
        + (name == "ei" ? " (inhibition not plastic)" : ""))
    summaries.append(
      "\(name): search best  \(describe(found.best, name)) score \(Fmt.fixed(found.bestScore, 4))"
        + " after \(found.evaluations) evaluations (score: area under the retrieved curve, an alpha_c estimate)"
    )
    if let d = derived {
      summaries.append(
        "\(name): derived point \(describe(d.start, name)) score \(Fmt.fixed(d.startScore, 4))"
          + " (c_EI = c_EE cancels the popularity term)")
      if d.startScore > found.bestScore {
        summaries.append("\(name): the curve below uses the derived point, which scored higher")
        return d.start
      }
    }
    summaries.append("\(name): the curve below uses the search's best point")
    return found.best
  }

  /// The covariance network's threshold search, with the E/I search's budget and pattern
  /// sets; prints start and best to the summary.
  static func searchThreshold(
    _ name: String, _ n: Int, _ grid: Grid, _ s: Settings, _ evaluations: Int,
    _ summaries: inout [String]
  ) throws(CLIError) -> CovarianceMemory.Threshold {
    var loads: [Double] = []
    for p in counts(grid, n) { loads.append(Double(p) / Double(n)) }
    let found: CovarianceMemory.SearchResult
    do throws(HebbianError) {
      found = try CovarianceMemory.search(
        dimension: n, codingLevel: s.codingLevel, activityScaled: name == "cov-activity",
        loads: loads, evaluations: evaluations, trials: 1, probes: min(s.probes, 10),
        seed: s.seed)
    } catch {
      throw .data(error.message)
    }
    func show(_ t: CovarianceMemory.Threshold) -> String {
      "theta0 \(Fmt.fixed(t.fixed, 4)) kappa \(Fmt.fixed(t.activity, 3))"
    }
    summaries.append(
      "\(name): search start \(show(found.start)) score \(Fmt.fixed(found.startScore, 4))"
        + " (the midpoint between the active and silent field levels)")
    summaries.append(
      "\(name): search best  \(show(found.best)) score \(Fmt.fixed(found.bestScore, 4))"
        + " after \(found.evaluations) evaluations; threshold theta0 + kappa A/N")
    return found.best
  }

  static func describe(_ k: EIMemory.Coefficients, _ name: String) -> String {
    if name != "ei" { return "theta0 \(Fmt.fixed(k.threshold, 4))" }
    return
      "c_EE \(Fmt.fixed(k.excitatoryToExcitatory, 3)) c_EI \(Fmt.fixed(k.inhibitoryToExcitatory, 3))"
      + " c_IE \(Fmt.fixed(k.excitatoryToInhibitory, 3)) c_II \(Fmt.fixed(k.inhibitoryToInhibitory, 3))"
      + " gamma \(Fmt.fixed(k.inhibitoryGain, 3)) theta0 \(Fmt.fixed(k.threshold, 4))"
  }
}
