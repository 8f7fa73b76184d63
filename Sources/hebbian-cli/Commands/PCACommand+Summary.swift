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
    }

    /// What the saved components are worth, each figure saying what it is. From a file, the
    /// file is read once more and scored with the saved basis (the one `apply` and `export`
    /// use): the share of its variance the basis holds, which no subspace can exceed beyond
    /// the optimum, and each component's actual score variance. From a stream, which cannot
    /// be re-read, the learner's running estimates, named as such. For a rule that orders its
    /// components, the order is checked on those variances (and the rows' orthonormality),
    /// and a warning goes to stderr when it does not hold.
    mutating func quality(
      _ pca: borrowing OnlinePCA, reread: (() throws(CLIError) -> SampleReader)?
    ) throws(CLIError) {
      let basis: PCABasis
      do throws(HebbianError) { basis = try pca.basis } catch { throw .data(error.message) }
      let variances: [Double]
      if let open = reread {
        var reader = try open()
        var stats = PCABasis.Statistics(for: basis)
        let d = basis.dimension
        var x = [Float](repeating: 0, count: d)
        var y = [Float](repeating: 0, count: basis.componentCount)
        while try x.withUnsafeMutableBufferPointer({ (b) throws(CLIError) -> Bool in
          try reader.next(into: b.baseAddress!)
        }) {
          do throws(HebbianError) {
            var out = y.mutableSpan
            try basis.score(x.span, into: &out)
            try stats.add(x.span, scores: out.span)
          } catch {
            throw .data("\(reader.displayName):\(reader.line): \(error.message)")
          }
        }
        variances = stats.variances
        line(
          "explained variance",
          Fmt.fixed(stats.explainedVariance, 4) + " (the saved components, measured on the input)")
        line(
          "component variances",
          variances.map { Fmt.sci($0, 3) }.joined(separator: " ")
            + " (their scores on the input)")
      } else {
        variances = pca.varianceEstimates
        line(
          "explained variance",
          Fmt.fixed(pca.explainedVariance, 4)
            + " (running estimate of the learner's outputs; a stream is not read twice)")
        line(
          "variance estimates",
          variances.map { Fmt.sci($0, 3) }.joined(separator: " ")
            + " (running, over the last ~1000 samples)")
      }
      let rule = pca.rule
      guard rule.isOrdered && pca.componentCount > 1 else {
        if !rule.isOrdered {
          line("order", "none (\(rule.name) spans the subspace in no particular order)")
        }
        return
      }
      let orthonormality = pca.orthonormalityError()
      if let i = PCABasis.firstOutOfOrder(variances) {
        line("order", "NOT verified: component \(i) has more variance than component \(i - 1)")
        Console.errLine(
          "pca: warning: the \(rule.name) components are not in order of variance (component \(i): \(Fmt.sci(variances[i - 1], 3)) > component \(i - 1): \(Fmt.sci(variances[i - 2], 3))); the run has not converged on this data: learn longer (--passes), or start a new model"
        )
      } else if orthonormality > OnlinePCA.orderedOrthonormalityLimit {
        line("order", "NOT verified: the rows are not orthonormal")
        Console.errLine(
          "pca: warning: orthonormality error \(Fmt.sci(orthonormality, 2)) is above \(Fmt.fixed(OnlinePCA.orderedOrthonormalityLimit, 2)): the \(rule.name) rows have not converged and their order is not verified; learn longer (--passes), or start a new model"
        )
      } else {
        line("order", "verified (variances decrease)")
      }
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
      if let path = o.string(PCAOptions.saveComponents) { line("components written", path) }
      if let path = o.string(PCAOptions.saveModel) { line("model written", path) }
      if let path = o.string(PCAOptions.checkpoint) { line("checkpoint written", path) }
      if let path = o.string(PCAOptions.project) { line("projections written", path) }
      if let path = o.string(PCAOptions.plot) {
        var series = [SVGPlot.Series(name: "orthonormality", points: curve.orthonormality)]
        if plotSubspace {
          series.append(SVGPlot.Series(name: "subspace error", points: curve.subspace))
        }
        let svg = SVGPlot.render(
          title: "hebbian pca --rule \(rule.name): \(k) of \(d) dimensions",
          xLabel: "log10(samples)", yLabel: "error", series: series, logY: true)
        try o.outputs.write(path, Array(svg.utf8), option: PCAOptions.plot.name)
        line("plot written", path)
      }
    }
  }
}
