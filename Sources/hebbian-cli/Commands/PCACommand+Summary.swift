import CHebbianSys
import Hebbian

extension PCACommand {
  /// The report `pca` prints at the end: one `key  value` line each.
  struct Summary {
    var text = ""

    mutating func line(_ key: String, _ value: String) {
      text += Fmt.padRight(key, 22) + value + "\n"
    }

    /// What was learned, from what, and how fast.
    mutating func describe(
      _ pca: borrowing OnlinePCA, rule: OnlinePCA.Rule, input: String, passes: Int,
      stopped: OnlinePCA.StreamPosition?, seconds: Double, learnNs: UInt64
    ) {
      let n = pca.samplesSeen
      line("rule", rule.name + (rule.isOrdered ? " (ordered components)" : ""))
      line("input", input)
      if let s = stopped {
        line("samples", "\(n) (stopped by --max-samples in pass \(s.pass + 1) of \(passes))")
      } else {
        line("samples", "\(n)" + (passes > 1 ? " (\(passes) passes of \(n / Int64(passes)))" : ""))
      }
      line("components", "\(pca.componentCount) x \(pca.dimension)")
      line(
        "time",
        Fmt.fixed(seconds, 3) + " s (" + Fmt.fixed(Double(learnNs) / Double(Swift.max(n, 1)), 1)
          + " ns/sample in updates)")
      line("orthonormality error", Fmt.sci(pca.orthonormalityError(), 2))
      line("explained variance", Fmt.fixed(pca.explainedVariance, 4))
    }

    mutating func memory() {
      let rss = hb_sys_peak_rss_kib()
      if rss > 0 {
        line("peak memory", "\(rss / 1024) MiB resident (independent of the stream length)")
      }
    }

    /// The files written, and the convergence plot staged with them.
    mutating func outputs(
      _ o: ParsedOptions, rule: OnlinePCA.Rule, k: Int, d: Int, curve: Curve, plotSubspace: Bool
    ) throws(CLIError) {
      if let path = o.string("--save-components") { line("components written", path) }
      if let path = o.string("--save-model") { line("model written", path) }
      if let path = o.string("--checkpoint") { line("checkpoint written", path) }
      if let path = o.string("--project") { line("projections written", path) }
      if let path = o.string("--plot") {
        var series = [SVGPlot.Series(name: "orthonormality", points: curve.orthonormality)]
        if plotSubspace {
          series.append(SVGPlot.Series(name: "subspace error", points: curve.subspace))
        }
        let svg = SVGPlot.render(
          title: "hebbian pca --rule \(rule.name): \(k) of \(d) dimensions",
          xLabel: "log10(samples)", yLabel: "error", series: series, logY: true)
        try o.outputs.write(path, Array(svg.utf8), option: "--plot")
        line("plot written", path)
      }
    }
  }
}
