import Hebbian

/// `hebbian capacity`: the retrieval curve of one or more memories against the load P/N,
/// and the critical load where exact retrieval falls through 1/2.
enum CapacityCommand {
  static let models = ["hopfield", "storkey", "dense", "ei", "e-only"]

  static let command = Command(
    name: "capacity",
    summary: "Sweep the load P/N of associative memories and print the retrieval curve.",
    options: [
      .value("--model", "M", "hopfield | storkey | dense | ei | e-only; repeat or comma-separate"),
      .value("--dim", "N", "neurons (excitatory neurons for ei / e-only)"),
      .value("--from", "A", "smallest load P/N (default 0.02)"),
      .value("--to", "B", "largest load P/N (default 0.30)"),
      .value("--step", "S", "load increment (default 0.02)"),
      .value("--trials", "T", "random pattern sets per load (default 3)"),
      .value("--probes", "K", "stored patterns cued per set (default 20)"),
      .value("--noise", "F", "fraction of cue entries flipped (default 0.1)"),
      .value("--degree", "n", "dense model: F(x) = x^n (default 3); 0 for F = exp"),
      .value("--seed", "S", "seed of patterns, cues and update order (default 1)"),
      .value(
        "--search", "K",
        "ei / e-only: seeded search over K plasticity coefficient sets, best kept (default 8)"),
      .value("--plot", "FILE.svg", "draw the exact-retrieval curves").output(),
    ],
    run: { (o: ParsedOptions) throws(CLIError) in try run(o) }
  )

  static func run(_ o: ParsedOptions) throws(CLIError) {
    var names: [String] = []
    for v in o.values where v.name == "--model" {
      for part in v.value.split(separator: ",") { names.append(String(part)) }
    }
    if names.isEmpty { names = ["hopfield"] }
    for name in names where !models.contains(name) {
      throw .usage("--model: expected one of hopfield|storkey|dense|ei|e-only, got '\(name)'")
    }
    let n = try o.requiredInt("--dim", min: 2)
    let from = try o.double("--from", default: 0.02)
    let to = try o.double("--to", default: 0.30)
    let step = try o.double("--step", default: 0.02)
    if !(from > 0) || !(to >= from) || !(step > 0) {
      throw .usage("loads: need 0 < --from <= --to and --step > 0")
    }
    let trials = try o.int("--trials", default: 3, min: 1)
    let probes = try o.int("--probes", default: 20, min: 1)
    let noise = try o.double("--noise", default: 0.1)
    if !(noise >= 0 && noise <= 0.5) { throw .usage("--noise: must be in [0, 0.5]") }
    let degree = try o.int("--degree", default: 3, min: 0)
    let seed = UInt64(try o.int("--seed", default: 1, min: 0))
    let candidates = try o.int("--search", default: 8, min: 1)

    var counts: [Int] = []
    var k = 0
    while true {
      let load = from + Double(k) * step
      if load > to + step * 1e-9 { break }
      let p = max(1, Int((load * Double(n)).rounded()))
      if counts.last != p { counts.append(p) }
      k += 1
    }
    let maxP = counts.last ?? 1

    Console.outLine(
      Fmt.padRight("model", 10) + Fmt.pad("P/N", 7) + Fmt.pad("P", 6) + Fmt.pad("exact", 8)
        + Fmt.pad("overlap", 9))
    var series: [SVGPlot.Series] = []
    var knees: [(String, Double?, CapacityPoint?)] = []
    for name in names {
      Console.errLine("capacity: \(name), N \(n), \(counts.count) loads")
      let points: [CapacityPoint]
      do throws(HebbianError) {
        let c = counts, t = trials, pr = probes, f = noise, s = seed
        switch name {
        case "hopfield", "storkey":
          var m = try HopfieldMemory(
            dimension: n, capacity: maxP, rule: name == "storkey" ? .storkey : .hebbian, seed: s)
          points = try CapacitySweep.run(
            &m, patternCounts: c, trials: t, probes: pr, noise: f, seed: s)
        case "dense":
          var m = try DenseMemory(
            dimension: n, capacity: maxP,
            interaction: degree == 0 ? .exponential : .polynomial(degree: degree), seed: s)
          points = try CapacitySweep.run(
            &m, patternCounts: c, trials: t, probes: pr, noise: f, seed: s)
        default:
          // The E-only baseline gets the same search budget (its threshold only).
          let tuned = EIMemory.Coefficients.tuned
          let found = try EIMemory.search(
            excitatory: n, inhibitory: name == "ei" ? max(1, n / 4) : 0, patternCounts: c,
            candidates: candidates, trials: t, probes: pr, noise: f, start: tuned, seed: s)
          let k = found.coefficients
          Console.errLine(
            "capacity: \(name) coefficients c_EE \(Fmt.fixed(k.excitatoryToExcitatory, 3))"
              + " c_IE \(Fmt.fixed(k.excitatoryToInhibitory, 3))"
              + " c_EI \(Fmt.fixed(k.inhibitoryToExcitatory, 3))"
              + " c_II \(Fmt.fixed(k.inhibitoryToInhibitory, 3)) theta \(Fmt.fixed(k.threshold, 3))"
          )
          points = found.points
        }
      } catch {
        throw .data(error.message)
      }
      for pt in points {
        Console.outLine(
          Fmt.padRight(name == "dense" ? (degree == 0 ? "dense-exp" : "dense-\(degree)") : name, 10)
            + Fmt.pad(Fmt.fixed(pt.load, 3), 7) + Fmt.pad(String(pt.patterns), 6)
            + Fmt.pad(Fmt.fixed(pt.exact, 3), 8) + Fmt.pad(Fmt.fixed(pt.overlap, 4), 9))
      }
      var curve: [(x: Double, y: Double)] = []
      for pt in points { curve.append((pt.load, pt.exact)) }
      series.append(SVGPlot.Series(name: name, points: curve))
      knees.append((name, CapacitySweep.criticalLoad(points), points.first))
    }
    for (name, knee, first) in knees {
      if let knee {
        Console.outLine(
          "\(name): critical load \(Fmt.fixed(knee, 3)) (P ≈ \(Int((knee * Double(n)).rounded())) at N = \(n))"
        )
      } else if let first, first.exact < 0.5 {
        Console.outLine(
          "\(name): exact retrieval already below 1/2 at the smallest load \(Fmt.fixed(first.load, 3))"
        )
      } else {
        Console.outLine("\(name): exact retrieval stays above 1/2 up to the largest load")
      }
    }
    if let path = o.string("--plot") {
      let svg = SVGPlot.render(
        title: "Retrieval from \(Int((noise * 100).rounded())) % flipped cues, N = \(n)",
        xLabel: "load P/N", yLabel: "fraction retrieved exactly", series: series)
      try o.outputs.write(path, Array(svg.utf8), option: "--plot")
      Console.errLine("capacity: wrote \(path)")
    }
  }
}
