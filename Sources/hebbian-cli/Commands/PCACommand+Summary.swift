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

    /// What the saved components are worth, each figure saying what it is. From a file: the
    /// share of its variance the saved basis (the one `apply` and `export` use) holds, which
    /// no subspace can exceed beyond the optimum, and each component's actual score
    /// variance over the file. At d ≤ ``InputMoments/maxDimension`` they come from the
    /// input's covariance gathered during a whole pass of the learning (`moments`:
    /// Var(c_i·x) = c_iᵀ Σ c_i, in Double); otherwise the file is read once more and scored.
    /// From a stream, which cannot be re-read, the learner's running estimates, named as
    /// such. For a rule that orders its components, the order is checked on those variances
    /// (and the rows' orthonormality), and a warning goes to stderr when it does not hold.
    mutating func quality(
      _ pca: borrowing OnlinePCA, moments: InputMoments?,
      reread: (() throws(CLIError) -> SampleReader)?
    ) throws(CLIError) {
      let basis: PCABasis
      do throws(HebbianError) { basis = try pca.basis } catch { throw .data(error.message) }
      let variances: [Double]
      if moments != nil || reread != nil {
        let explained: Double
        if let m = moments {
          (variances, explained) = m.measure(basis)
        } else {
          (variances, explained) = try Self.measure(basis, reread!)
        }
        line(
          "explained variance",
          Fmt.fixed(explained, 4) + " (the saved components, measured on the input)")
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

    /// The saved basis' score variances and explained variance over a second reading of
    /// the input.
    static func measure(_ basis: PCABasis, _ reread: () throws(CLIError) -> SampleReader)
      throws(CLIError) -> (variances: [Double], explained: Double)
    {
      var reader = try reread()
      var stats = PCABasis.Statistics(for: basis)
      var x = [Float](repeating: 0, count: basis.dimension)
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
      return (stats.variances, stats.explainedVariance)
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

extension PCACommand {
  /// The first and second moments of the samples of one whole pass, in Double around the
  /// pass's first sample: enough to give any basis' score variances on those samples without
  /// reading them again, Var(c·x) = cᵀ Σ c. It costs d(d+1)/2 multiply-adds per sample
  /// (`hb_sys_moments_add`), less than parsing the sample a second time while d is small.
  struct InputMoments {
    /// Above this the input is read again instead.
    static let maxDimension = Int(HB_SYS_MOMENTS_MAX_DIM)
    let d: Int
    private(set) var count: Int64 = 0
    private var shift: [Double]
    private var sum: [Double]
    // Σ (x − shift)_j (x − shift)_l at [j * d + l] for l ≤ j.
    private var products: [Double]

    init(dimension: Int) {
      precondition(dimension <= Self.maxDimension)
      d = dimension
      shift = [Double](repeating: 0, count: dimension)
      sum = shift
      products = [Double](repeating: 0, count: dimension * dimension)
    }

    /// Adds `n` samples (rows of d values).
    mutating func add(_ x: UnsafePointer<Float>, count n: Int) {
      guard n > 0 else { return }
      if count == 0 { for j in 0..<d { shift[j] = Double(x[j]) } }
      count += Int64(n)
      let d = self.d
      shift.withUnsafeBufferPointer { c in
        sum.withUnsafeMutableBufferPointer { s in
          products.withUnsafeMutableBufferPointer { p in
            hb_sys_moments_add(x, n, d, c.baseAddress!, s.baseAddress!, p.baseAddress!)
          }
        }
      }
    }

    /// Σ, the population covariance, d×d.
    private func covariance() -> [Double] {
      let n = Double(count)
      var c = [Double](repeating: 0, count: d * d)
      for j in 0..<d {
        for l in 0...j {
          let value = products[j * d + l] / n - (sum[j] / n) * (sum[l] / n)
          c[j * d + l] = value
          c[l * d + j] = value
        }
      }
      return c
    }

    /// Each row's score variance cᵀ Σ c and the share Σ_i Var_i / Σ_j Var(x_j) (clamped
    /// to [0, 1] against rounding only), as ``PCABasis/Statistics`` gives them from the scores.
    func measure(_ basis: PCABasis) -> (variances: [Double], explained: Double) {
      let k = basis.componentCount
      guard count > 0 else { return ([Double](repeating: 0, count: k), 0) }
      let sigma = covariance()
      var variances = [Double](repeating: 0, count: k)
      for i in 0..<k {
        var q = 0.0
        for j in 0..<d {
          var r = 0.0
          for l in 0..<d { r += sigma[j * d + l] * Double(basis.components[i * d + l]) }
          q += Double(basis.components[i * d + j]) * r
        }
        variances[i] = Swift.max(0, q)
      }
      var total = 0.0
      for j in 0..<d { total += Swift.max(0, sigma[j * d + j]) }
      guard total > 0 else { return (variances, 0) }
      return (variances, Swift.min(1, variances.reduce(0, +) / total))
    }
  }
}
