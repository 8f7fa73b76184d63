import Hebbian

/// `hebbian recall`: stores the patterns of an f32 file in one associative memory, recalls
/// every cue of another, writes the retrieved states (f32, one row per cue) and prints the
/// retrieval rate.
enum RecallCommand {
  static let command = Command(
    name: "recall",
    summary: "Store patterns in an associative memory and recall them from cues (f32 files).",
    options: RecallOptions.table,
    run: { (o: ParsedOptions) throws(CLIError) in try run(o) }
  )

  struct Rows {
    var values: [Float]
    var rows: Int
  }

  /// Reads a P×N f32 file and checks its size and values.
  static func readRows(_ path: String, dimension n: Int) throws(CLIError) -> Rows {
    let bytes = try Files.readAll(path, limit: 1 << 28)
    if bytes.isEmpty { throw .data("\(path): empty file") }
    if bytes.count % (n * 4) != 0 {
      throw .data(
        "\(path): \(bytes.count) bytes is not a whole number of rows of \(n) float32 values (\(n * 4) bytes each)"
      )
    }
    var values = [Float](repeating: 0, count: bytes.count / 4)
    bytes.withUnsafeBytes { raw in
      for k in 0..<values.count {
        values[k] = Float(
          bitPattern: UInt32(
            littleEndian: raw.loadUnaligned(fromByteOffset: 4 * k, as: UInt32.self)))
      }
    }
    for k in 0..<values.count where !values[k].isFinite {
      throw .data("\(path): row \(k / n + 1), column \(k % n + 1): non-finite value")
    }
    return Rows(values: values, rows: values.count / n)
  }

  static func run(_ o: ParsedOptions) throws(CLIError) {
    let options = try RecallOptions(o)
    try checkBudget(options)
    var out = [Float](repeating: 0, count: options.cues.rows * options.n)
    let (summary, saved) = try recall(options, into: &out)
    let (n, model) = (options.n, options.model)
    for k in 0..<out.count where !out[k].isFinite {
      // Advice names only the options this model reads (the table above).
      let knobs = [RecallOptions.beta, RecallOptions.degree, RecallOptions.dt, RecallOptions.gain]
        .filter { knob in
          RecallOptions.applies.contains {
            $0.option.name.isBytes(knob.name) && $0.models.containsBytes(model)
          }
        }.map { $0.name }
      throw .data(
        "recall produced a non-finite state (cue \(k / n + 1), neuron \(k % n + 1)): the dynamics overflowed"
          + (knobs.isEmpty ? "" : "; lower " + knobs.joined(separator: " or ")))
    }
    var file = try OutputFile(
      target: try o.outputs.target(options.outputPath, option: RecallOptions.output.name),
      session: o.outputs)
    try out.withUnsafeBufferPointer { (p) throws(CLIError) in try file.write(floats: p) }
    try file.close()
    if let path = options.saveModel, let bytes = saved {
      try o.outputs.write(path, bytes, option: RecallOptions.saveModel.name)
    }
    let k = options.cues.rows
    Console.outLine(
      "model \(model)\(model.isBytes("hopfield") ? " (" + options.rule + ")" : "")  N \(n)  patterns \(options.patterns.rows)  cues \(k)"
    )
    Console.outLine(
      "retrieved \(summary.retrieved)/\(k) (\(Fmt.fixed(Double(summary.retrieved) / Double(k), 3)))"
        + "  mean overlap \(Fmt.fixed(summary.overlap / Double(k), 4))"
        + "  mean steps \(Fmt.fixed(Double(summary.steps) / Double(k), 2))"
        + "  converged \(summary.converged)/\(k)")
  }

  /// Each cue runs up to --steps sweeps (ODE steps: 50 per step for two-layer, 2 for
  /// normative) of an N×max(N, P) product; normative first learns --iterations steps per
  /// pattern, each an N×N product.
  static func checkBudget(_ options: RecallOptions) throws(CLIError) {
    let model = options.model
    let (nn, p, c) = (
      Int64(options.n), Int64(options.patterns.rows), Int64(options.cues.rows)
    )
    let perStep: Int64 = model.isBytes("two-layer") ? 50 : model.isBytes("normative") ? 8 : 1
    var budget = WorkBudget("recall")
    budget.work(
      [c, Int64(options.steps), perStep, nn, Swift.max(nn, p)],
      [RecallOptions.steps, RecallOptions.cues])
    if model.isBytes("normative") {
      budget.work(
        [p, Int64(options.iterations), nn, nn], [RecallOptions.iterations, RecallOptions.patterns])
    }
    try budget.check()
  }

  /// Builds the model, stores the patterns and recalls every cue into `out`; returns the
  /// summary and, for hopfield with --save-model, the memory's file.
  static func recall(_ options: RecallOptions, into out: inout [Float]) throws(CLIError)
    -> (Summary, [UInt8]?)
  {
    let (n, patterns, cues) = (options.n, options.patterns, options.cues)
    let (steps, seed) = (options.steps, options.seed)
    do throws(HebbianError) {
      switch options.model {
      case "hopfield":
        var memory = try HopfieldMemory(
          dimension: n, capacity: patterns.rows,
          rule: options.rule.isBytes("storkey") ? .storkey : .hebbian, update: options.update,
          maxSteps: steps, seed: seed)
        let summary = try recallAll(&memory, patterns, cues, n, &out)
        return (summary, options.saveModel != nil ? memory.checkpoint().encoded() : nil)
      case "dense":
        var memory = try DenseMemory(
          dimension: n, capacity: patterns.rows, interaction: options.interaction,
          update: options.update, maxSteps: steps, seed: seed)
        return (try recallAll(&memory, patterns, cues, n, &out), nil)
      case "modern":
        var memory = try ModernHopfield(
          dimension: n, capacity: patterns.rows, beta: Float(options.beta), maxSteps: steps)
        return (try recallAll(&memory, patterns, cues, n, &out, exact: false), nil)
      case "two-layer":
        let modern = options.lagrangian.isBytes("modern")
        var memory = try TwoLayerMemory(
          dimension: n, capacity: patterns.rows,
          feature: modern ? .quadratic : .logCosh(gain: Float(options.gain)),
          memory: modern ? .logSumExp(beta: Float(options.beta)) : .power(degree: options.degree),
          tauFeature: Float(options.tauFeature), tauMemory: Float(options.tauMemory),
          dt: Float(options.dt), maxSteps: steps * 50)
        return (try recallAll(&memory, patterns, cues, n, &out, exact: false, bySign: !modern), nil)
      case "ei":
        // The coding level the E→I rule centres on: the stored patterns' mean activity.
        var active = 0.0
        for v in patterns.values where v > 0.5 { active += 1 }
        let f = min(max(active / Double(patterns.values.count), 1e-3), 1 - 1e-3)
        var memory = try EIMemory(
          excitatory: n, inhibitory: options.inhibitory, capacity: patterns.rows,
          coefficients: .derived(codingLevel: f), maxSteps: steps, seed: seed)
        return (try recallAll(&memory, patterns, cues, n, &out), nil)
      case "normative":
        var memory = try NormativeMemory(
          excitatory: n - options.inhibitory, inhibitory: options.inhibitory,
          capacity: patterns.rows,
          activation: options.gain > 0 ? .saturating(gain: Float(options.gain)) : .linear,
          dale: options.dale,
          rule: options.learning.isBytes("extended") ? .extendedHebbian : .exactGradient,
          iterations: options.iterations, dt: Float(options.dt), maxSteps: steps * 2)
        return (try recallAll(&memory, patterns, cues, n, &out, exact: false), nil)
      default:
        throw .invalidParameter("model '\(options.model)' is not available")
      }
    } catch {
      // The memory's own limits (the memory budget, a shape) are about the options given.
      if case .invalidParameter = error { throw .usage("--dim/--patterns: " + error.message) }
      throw .data(error.message)
    }
  }

  struct Summary {
    var retrieved = 0
    var overlap = 0.0
    var steps = 0
    var converged = 0
  }

  /// Stores every pattern, recalls every cue. A cue counts as retrieved when the recalled
  /// state equals (binary models) or has cosine ≥ 0.99 with (continuous models) the stored
  /// pattern nearest the cue; the overlap is that cosine.
  static func recallAll<M: AssociativeMemory & ~Copyable>(
    _ memory: inout M, _ patterns: Rows, _ cues: Rows, _ n: Int, _ out: inout [Float],
    exact: Bool = true, bySign: Bool = false
  ) throws(HebbianError) -> Summary {
    for mu in 0..<patterns.rows {
      try memory.store(patterns.values[(mu * n)..<((mu + 1) * n)].span)
    }
    var state = [Float](repeating: 0, count: n)
    var s = Summary()
    for k in 0..<cues.rows {
      let cue = cues.values[(k * n)..<((k + 1) * n)]
      let r: RecallResult
      do {
        var span = state.mutableSpan
        r = try memory.recall(cue.span, into: &span)
      }
      s.steps += r.steps
      if r.converged { s.converged += 1 }
      var best = 0
      var bestCos = -2.0
      for mu in 0..<patterns.rows {
        let c = cosine(cue, patterns.values[(mu * n)..<((mu + 1) * n)])
        if c > bestCos {
          bestCos = c
          best = mu
        }
      }
      let target = patterns.values[(best * n)..<((best + 1) * n)]
      let c = cosine(state[0..<n], target)
      s.overlap += c
      if exact {
        var same = true
        for j in 0..<n where state[j] != target[target.startIndex + j] {
          same = false
          break
        }
        if same { s.retrieved += 1 }
      } else if bySign {
        // Saturated feature neurons (tanh): retrieved when every sign is the pattern's.
        var same = true
        for j in 0..<n where (state[j] > 0) != (target[target.startIndex + j] > 0) {
          same = false
          break
        }
        if same { s.retrieved += 1 }
      } else if c >= 0.99 {
        s.retrieved += 1
      }
      for j in 0..<n { out[k * n + j] = state[j] }
    }
    return s
  }

  static func cosine(_ a: ArraySlice<Float>, _ b: ArraySlice<Float>) -> Double {
    var ab = 0.0, aa = 0.0, bb = 0.0
    var i = a.startIndex, j = b.startIndex
    while i < a.endIndex {
      ab += Double(a[i]) * Double(b[j])
      aa += Double(a[i]) * Double(a[i])
      bb += Double(b[j]) * Double(b[j])
      i += 1
      j += 1
    }
    return aa > 0 && bb > 0 ? ab / (aa * bb).squareRoot() : 0
  }
}
