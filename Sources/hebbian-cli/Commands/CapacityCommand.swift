import Hebbian
import HebbianExperiments

/// `hebbian capacity`: the retrieval curve of one or more memories against the load P/N,
/// α_c as Amit, Gutfreund & Sompolinsky measure it (start at each stored pattern, run to a
/// fixed point, retrieved when the overlap m ≥ 0.9), the exact-recall fraction from noisy
/// cues beside it, and optionally a finite-size table with an extrapolation to N → ∞.
enum CapacityCommand {
  static let models = [
    "hopfield", "storkey", "dense", "ei", "e-only", "covariance", "cov-activity",
  ]
  static let sparseModels = ["ei", "e-only", "covariance", "cov-activity"]

  static let command = Command(
    name: "capacity",
    summary: "Sweep the load P/N of associative memories; print alpha_c and the retrieval curve.",
    options: CapacityOptions.table,
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
      return
        "Tsodyks-Feigel'man 1988 covariance rule, signed weights, threshold following the activity"
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
      throw .usage(
        "--from/--to: the load range of \(name) is empty (\(Fmt.number(grid.from)) > \(Fmt.number(grid.to)))"
      )
    }
    let loads = ((grid.to - grid.from) / grid.step).rounded(.down) + 1
    if !(loads <= Double(maxLoads)) {
      throw .usage(
        "--step: the grid of \(name) from \(Fmt.number(grid.from)) to \(Fmt.number(grid.to)) has \(Fmt.sci(loads, 1)) loads, at most \(maxLoads)"
      )
    }
    if !(grid.to * Double(n) <= Double(maxPatterns)) {
      throw .usage(
        "--to: load \(Fmt.number(grid.to)) at N = \(n) asks for \(Fmt.sci(grid.to * Double(n), 1)) patterns, at most \(maxPatterns)"
      )
    }
    return grid
  }

  /// The sweeps' work, counted before any: per model and size, each run (a trial, or a point
  /// the search scores) stores the patterns one at a time up to the largest P and at every
  /// load recalls its probes (two cues each with --noise, one without) for about five sweeps.
  /// A ±1 or dense sweep costs N·max(N, P) and a store N²; the sparse models are counted by
  /// ``sparseWork(_:_:_:_:into:)``.
  static func checkBudget(
    _ options: CapacityOptions
  ) throws(CLIError) {
    let s = options.settings
    var b = WorkBudget("capacity")
    for name in options.names {
      for size in [options.n] + options.sizes {
        let g = try grid(name, from: options.from, to: options.to, step: options.step, n: size)
        let c = counts(g, size)
        let maxP = Int64(c.last ?? 1), loads = Int64(c.count), nn = Int64(size)
        if sparseModels.containsBytes(name) {
          sparseWork(name, size, c, options, into: &b)
        } else {
          let runs = Int64(s.trials)
          b.work(
            [runs, maxP, nn, nn],
            [CapacityOptions.trials, CapacityOptions.dim, CapacityOptions.to])
          b.work(
            [runs, loads, 10 * Int64(s.probes), nn, Swift.max(nn, maxP)],
            [CapacityOptions.probes, CapacityOptions.step])
        }
        b.memory([[maxP, nn], [nn, nn]], [CapacityOptions.dim, CapacityOptions.to])
      }
    }
    try b.check(quiet: options.quiet)
  }

  /// The work of a sparse model at N = `size`: a sweep costs N² (W times the state) and for
  /// ei N_I·N twice and N_I² more (the inhibitory pathways); an E/I store touches the f·N
  /// active rows of W_EE and W_EI and all of W_IE and W_II (about f·N² + 3 N_I·N + f·N·N_I
  /// + 2 N_I²), a covariance store all of W (N²). The search scores `--search` points (ei one
  /// more, the derived point) on one pattern sequence with at most 10 probes; the covariance
  /// networks store that sequence once per batch of points.
  static func sparseWork(
    _ name: String, _ size: Int, _ c: [Int], _ options: CapacityOptions,
    into b: inout WorkBudget
  ) {
    let s = options.settings
    let maxP = Int64(c.last ?? 1), loads = Int64(c.count), nn = Int64(size)
    let ni = Int64(name.isBytes("ei") ? (s.inhibitory ?? max(1, size / 4)) : 0)
    let points = Int64(options.evaluations) + (name.isBytes("ei") ? 1 : 0)
    let covariance = name.isBytes("covariance") || name.isBytes("cov-activity")
    let stores =
      Int64(s.trials)
      + (covariance
        ? Int64(CovarianceMemory.storingPasses(evaluations: options.evaluations)) : points)
    let active = Int64((s.codingLevel * Double(size)).rounded(.up))
    let storeTerms: [[Int64]] =
      covariance ? [[nn, nn]] : [[active, nn], [3, ni, nn], [active, ni], [2, ni, ni]]
    let dims = [CapacityOptions.trials, CapacityOptions.dim, CapacityOptions.to]
    for t in storeTerms { b.work([stores, maxP] + t, dims + [CapacityOptions.search]) }
    let cues = Int64(s.noise > 0 ? 2 : 1), probes = Int64(s.probes)
    let searchProbes = Int64(min(s.probes, 10))
    for t in [[nn, nn], [2, ni, nn], [ni, ni]] {
      b.work([Int64(s.trials), cues, probes, loads, 5] + t, [CapacityOptions.probes])
      b.work([points, searchProbes, loads, 5] + t, [CapacityOptions.search, CapacityOptions.step])
    }
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
    let options = try CapacityOptions(o)
    let n = options.n
    try checkBudget(options)
    Console.outLine(
      Fmt.padRight("model", 10) + Fmt.pad("P/N", 7) + Fmt.pad("P", 6) + Fmt.pad("retrieved", 10)
        + Fmt.pad("m(fixed)", 9) + Fmt.pad("exact-recall", 13) + Fmt.pad("m(cue)", 8))
    var report = Report()
    for name in options.names {
      try measure(name, options, o, into: &report)
    }
    if let line = comparison(report.alphas) { report.summaries.append(line) }
    for line in report.summaries { Console.outLine(line) }
    if let path = options.plot {
      let svg = SVGPlot.render(
        title: "Retrieval against the load, N = \(n)", xLabel: "load P/N",
        yLabel: "fraction retrieved (m >= 0.9 from the pattern; exact from cues)",
        series: report.series)
      try o.outputs.write(path, Array(svg.utf8), option: CapacityOptions.plot.name)
      Console.errLine("capacity: wrote \(path)")
    }
  }

  /// What the sweeps found, printed after the table: the plot's curves, the summary lines
  /// and the sparse models' α_c for the comparison.
  struct Report {
    var series: [SVGPlot.Series] = []
    var summaries: [String] = []
    var alphas: [(name: String, alpha: Double?, points: [CapacityPoint])] = []
  }

  /// One model: its search (sparse models), its sweep at N with a table row per load, its
  /// summary lines and, with --sizes, its finite-size table.
  static func measure(
    _ name: String, _ options: CapacityOptions, _ o: ParsedOptions, into report: inout Report
  ) throws(CLIError) {
    let (n, settings) = (options.n, options.settings)
    let degree = settings.degree
    let grid = try grid(name, from: options.from, to: options.to, step: options.step, n: n)
    let c = counts(grid, n)
    let label = name.isBytes("dense") ? (degree == 0 ? "dense-exp" : "dense-\(degree)") : name
    Console.progress(o, "capacity: \(label), N \(n), \(c.count) loads")
    var tuned = Tuned()
    if name.isBytes("ei") || name.isBytes("e-only") {
      tuned.coefficients = try search(
        name, n, grid, settings, options.evaluations, &report.summaries)
    } else if name.isBytes("covariance") || name.isBytes("cov-activity") {
      tuned.threshold = try searchThreshold(
        name, n, grid, settings, options.evaluations, &report.summaries)
    }
    let points = try sweep(name, n, c, settings, tuned)
    if sparseModels.containsBytes(name) {
      report.alphas.append((name, CapacitySweep.criticalLoad(points), points))
    }
    var retrieved: [(x: Double, y: Double)] = []
    var exact: [(x: Double, y: Double)] = []
    for pt in points {
      Console.outLine(
        Fmt.padRight(label, 10) + Fmt.pad(Fmt.fixed(pt.load, 3), 7)
          + Fmt.pad(String(pt.patterns), 6) + Fmt.pad(Fmt.fixed(pt.retrieved, 3), 10)
          + Fmt.pad(Fmt.fixed(pt.fixedPointOverlap, 4), 9) + Fmt.pad(Fmt.fixed(pt.exact, 3), 13)
          + Fmt.pad(Fmt.fixed(pt.overlap, 4), 8))
      retrieved.append((pt.load, pt.retrieved))
      exact.append((pt.load, pt.exact))
    }
    report.series.append(SVGPlot.Series(name: "\(label) m>=0.9", points: retrieved))
    report.series.append(SVGPlot.Series(name: "\(label) exact", points: exact))
    report.summaries.append(
      alphaLine(label, points, n, literature(name, degree, settings.codingLevel)))
    if settings.noise > 0 {
      report.summaries.append(cueLine(label, points, settings.noise))
    }
    if !options.sizes.isEmpty {
      try finiteSize(name, label, grid, tuned, options, o, into: &report.summaries)
    }
  }

  /// α_c and the half-retrieval load at each --sizes N, each extrapolated to N → ∞.
  static func finiteSize(
    _ name: String, _ label: String, _ grid: Grid, _ tuned: Tuned, _ options: CapacityOptions,
    _ o: ParsedOptions, into summaries: inout [String]
  ) throws(CLIError) {
    var measured: [(n: Int, alpha: Double)] = []
    var halves: [(n: Int, alpha: Double)] = []
    summaries.append(
      "\(label): finite size       N   alpha_c (R >= 0.9)   half-retrieval load (R >= 0.5)")
    for size in options.sizes {
      let pts = try sweep(name, size, counts(grid, size), options.settings, tuned)
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
    guard alphas.contains(where: { $0.name.isBytes("ei") }) else { return nil }
    var parts: [String] = []
    for a in alphas
    where a.name.isBytes("ei") || a.name.isBytes("covariance") || a.name.isBytes("cov-activity") {
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
          dimension: n, capacity: maxP, rule: name.isBytes("storkey") ? .storkey : .hebbian,
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
          ?? .derived(codingLevel: s.codingLevel, activityScaled: name.isBytes("cov-activity"))
        var m = try CovarianceMemory(
          dimension: n, capacity: maxP, codingLevel: s.codingLevel, threshold: t)
        // The same fresh seed as the E/I network's curve: the same patterns and probes.
        return try CapacitySweep.run(
          &m, patternCounts: c, trials: s.trials, probes: s.probes, noise: s.noise,
          kind: .sparse(codingLevel: s.codingLevel), seed: s.seed &+ 1000)
      default:
        let k = tuned.coefficients ?? EIMemory.Coefficients(codingLevel: s.codingLevel)
        var m = try EIMemory(
          excitatory: n, inhibitory: name.isBytes("ei") ? (s.inhibitory ?? max(1, n / 4)) : 0,
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
      name.isBytes("ei")
      ? EIMemory.Coefficients.nonPlastic(codingLevel: s.codingLevel)
      : EIMemory.Coefficients.excitatoryOnly(codingLevel: s.codingLevel)
    var loads: [Double] = []
    for p in counts(grid, n) { loads.append(Double(p) / Double(n)) }
    let found: EIMemory.SearchResult
    var derived: EIMemory.SearchResult? = nil
    let ni = name.isBytes("ei") ? (s.inhibitory ?? max(1, n / 4)) : 0
    do throws(HebbianError) {
      found = try EIMemory.search(
        excitatory: n, inhibitory: ni, loads: loads, evaluations: evaluations, trials: 1,
        probes: min(s.probes, 10), start: start, seed: s.seed)
      if name.isBytes("ei") {
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
        + (name.isBytes("ei") ? " (inhibition not plastic)" : ""))
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
        dimension: n, codingLevel: s.codingLevel, activityScaled: name.isBytes("cov-activity"),
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
    if !name.isBytes("ei") { return "theta0 \(Fmt.fixed(k.threshold, 4))" }
    return
      "c_EE \(Fmt.fixed(k.excitatoryToExcitatory, 3)) c_EI \(Fmt.fixed(k.inhibitoryToExcitatory, 3))"
      + " c_IE \(Fmt.fixed(k.excitatoryToInhibitory, 3)) c_II \(Fmt.fixed(k.inhibitoryToInhibitory, 3))"
      + " gamma \(Fmt.fixed(k.inhibitoryGain, 3)) theta0 \(Fmt.fixed(k.threshold, 4))"
  }
}
