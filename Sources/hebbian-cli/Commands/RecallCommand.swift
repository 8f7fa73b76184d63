import Hebbian

/// `hebbian recall`: stores the patterns of an f32 file in one associative memory, recalls
/// every cue of another, writes the retrieved states (f32, one row per cue) and prints the
/// retrieval rate.
enum RecallCommand {
  static let models = ["hopfield", "dense", "modern", "two-layer", "ei", "normative"]

  /// The models each model-specific option applies to; any other use is a usage error
  /// naming the option.
  static let applies: [(option: String, models: [String])] = [
    ("--rule", ["hopfield"]),
    ("--save-model", ["hopfield"]),
    ("--sync", ["hopfield", "dense"]),
    ("--async", ["hopfield", "dense"]),
    ("--seed", ["hopfield", "dense", "ei"]),
    ("--beta", ["modern", "two-layer"]),
    ("--degree", ["dense", "two-layer"]),
    ("--rectified", ["dense"]),
    ("--lagrangian", ["two-layer"]),
    ("--tau-feature", ["two-layer"]),
    ("--tau-memory", ["two-layer"]),
    ("--dt", ["two-layer", "normative"]),
    ("--gain", ["two-layer", "normative"]),
    ("--inhibitory", ["ei", "normative"]),
    ("--dale", ["normative"]),
    ("--no-dale", ["normative"]),
    ("--learning", ["normative"]),
    ("--iterations", ["normative"]),
  ]

  static let command = Command(
    name: "recall",
    summary: "Store patterns in an associative memory and recall them from cues (f32 files).",
    options: [
      .value(
        "--model", "M", "hopfield | dense | modern | two-layer | ei | normative (default hopfield)"),
      .value("--patterns", "P.f32", "patterns to store: P x N little-endian float32, row-major")
        .input(),
      .value("--dim", "N", "entries per pattern").within(1...16_777_216),
      .value("--cues", "C.f32", "cues: K x N float32 (±1 for hopfield and dense, 0/1 for ei)")
        .input(),
      .value("--output", "R.f32", "recalled states, K x N float32").output(),
      .value("--rule", "R", "hopfield storage: hebbian | storkey (default hebbian)"),
      .value(
        "--beta", "B",
        "inverse temperature of the modern model and of two-layer's softmax (default 8)").within(0...10_000),
      .value(
        "--degree", "n",
        "dense: F(x) = x^n (default 3; 0 for F = exp); two-layer dense: L_h = (h)+^n/n (default 3)").within(0...64),
      .value(
        "--lagrangian", "L",
        "two-layer: modern (L_v = v^2/2, f = softmax(beta h)) | dense (g = tanh(gain v), f = (h)+^(n-1)) (default modern)"
      ),
      .value("--tau-feature", "T", "two-layer: feature-neuron time constant (default 1)").within(1e-6...1e6),
      .value("--tau-memory", "T", "two-layer: memory-neuron time constant (default 0.1)").within(1e-6...1e6),
      .value("--dt", "D", "two-layer / normative: integration step (default 0.1)").within(1e-6...10),
      .flag("--rectified", "dense model: F(x) = max(x, 0)^n"),
      .flag("--sync", "update all neurons at once"),
      .flag("--async", "update one neuron at a time in seeded random order (default)"),
      .value(
        "--steps", "S",
        "step limit (sweeps, or ODE steps: twice this for normative, 50 times for two-layer; default 100)"
      ).within(1...1_000_000),
      .value("--seed", "S", "seed of the asynchronous order (default 1)").within(0...2_147_483_647),
      .value(
        "--inhibitory", "K",
        "ei / normative: inhibitory neurons (default N/4; ei adds them, normative counts them in N)"
      ).within(0...16_777_216),
      .value(
        "--gain", "g",
        "normative: saturating gain of clamp(g u, -1, 1) (default 2; 0 for linear); two-layer dense: tanh gain (default 1)"
      ).within(0...1000),
      .flag("--dale", "normative: keep W >= 0, the sign carried by D (Dale's law; the default)"),
      .flag("--no-dale", "normative: unconstrained W (the E/I split then has no effect)"),
      .value(
        "--learning", "R",
        "normative: gradient (exact, the default) | extended (the seed's section 8 rule)"),
      .value(
        "--iterations", "K",
        "normative: learning steps per stored pattern (default 2000 for gradient, 20 for extended)").within(0...10_000_000),
      .value("--save-model", "M", "hopfield: write the memory (model-file format, atomically)")
        .output(),
    ],
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
    let model = try o.choice("--model", models, default: "hopfield")
    for (option, valid) in applies where o.has(option) && !valid.contains(model) {
      var list = ""
      for (i, m) in valid.enumerated() { list += (i == 0 ? "" : ", ") + m }
      throw .usage("\(option): does not apply to --model \(model) (only \(list))")
    }
    if o.has("--dale") && o.has("--no-dale") {
      throw .usage("--dale and --no-dale exclude each other")
    }
    let n = try o.requiredInt("--dim", min: 1)
    if n > 1 << 24 { throw .usage("--dim: at most \(1 << 24) neurons, got \(n)") }
    let patternsPath = try o.required("--patterns")
    let cuesPath = try o.required("--cues")
    let outputPath = try o.required("--output")
    if o.has("--sync") && o.has("--async") { throw .usage("--sync and --async exclude each other") }
    let update: UpdateOrder = o.has("--sync") ? .synchronous : .asynchronous
    let steps = try o.int("--steps", default: 100, min: 1)
    let seed = UInt64(try o.int("--seed", default: 1, min: 0))
    let patterns = try readRows(patternsPath, dimension: n)
    let cues = try readRows(cuesPath, dimension: n)
    // Binary models read states, not intensities: a 0.5 in a cue is a mistake, not a state.
    let levels: (Float, Float)? =
      model == "hopfield" || model == "dense" ? (-1, 1) : model == "ei" ? (0, 1) : nil
    if let (lo, hi) = levels {
      for (path, rows) in [(patternsPath, patterns), (cuesPath, cues)] {
        for k in 0..<rows.values.count where rows.values[k] != lo && rows.values[k] != hi {
          throw .data(
            "\(path): row \(k / n + 1), column \(k % n + 1): \(Fmt.shortest(rows.values[k])) is not \(lo == 0 ? "0 or 1" : "-1 or +1") (--model \(model) stores binary states)"
          )
        }
      }
    }
    let rule = try o.choice("--rule", ["hebbian", "storkey"], default: "hebbian")
    let beta = try o.double("--beta", default: 8)
    // β multiplies overlaps of up to N: past 1e4 the softmax is a hard max already, and
    // float32 exponents would overflow long before 1e300.
    if !(beta > 0 && beta <= 1e4) { throw .usage("--beta: must be in (0, 10000], got \(beta)") }
    let degree = try o.int("--degree", default: 3, min: 0)
    if degree > DenseMemory.maxDegree {
      throw .usage("--degree: at most \(DenseMemory.maxDegree), got \(degree)")
    }
    let interaction: DenseMemory.Interaction =
      degree == 0
      ? .exponential
      : o.has("--rectified") ? .rectifiedPolynomial(degree: degree) : .polynomial(degree: degree)
    let inhibitory = try o.int("--inhibitory", default: n / 4, min: 0)
    if inhibitory > 1 << 24 { throw .usage("--inhibitory: at most \(1 << 24), got \(inhibitory)") }
    let gain = try o.double("--gain", default: model == "two-layer" ? 1 : 2)
    if !(gain >= 0) || (model == "two-layer" && !(gain > 0)) {
      throw .usage("--gain: must be \(model == "two-layer" ? "> 0" : ">= 0")")
    }
    let lagrangian = try o.choice("--lagrangian", ["modern", "dense"], default: "modern")
    let tauFeature = try o.double("--tau-feature", default: 1)
    let tauMemory = try o.double("--tau-memory", default: 0.1)
    let dt = try o.double("--dt", default: 0.1)
    for (name, v) in [("--tau-feature", tauFeature), ("--tau-memory", tauMemory), ("--dt", dt)]
    where !(v > 0) {
      throw .usage("\(name): must be > 0")
    }
    if model == "two-layer" && lagrangian == "modern" && o.has("--degree") {
      throw .usage("--degree: applies to --lagrangian dense, not modern")
    }
    if model == "two-layer" && lagrangian == "dense" && o.has("--beta") {
      throw .usage("--beta: applies to --lagrangian modern, not dense")
    }
    if model == "two-layer" && lagrangian == "modern" && o.has("--gain") {
      throw .usage("--gain: applies to --lagrangian dense, not modern")
    }
    if model == "two-layer" && degree < 2 { throw .usage("--degree: two-layer needs n >= 2") }
    let learning = try o.choice("--learning", ["gradient", "extended"], default: "gradient")
    let iterations = try o.int(
      "--iterations", default: learning == "extended" ? 20 : 2000, min: 0)
    if model == "normative" && inhibitory >= n { throw .usage("--inhibitory: must be < --dim") }
    // Each cue runs up to --steps sweeps (ODE steps: 50 per step for two-layer, 2 for
    // normative) of an N×max(N, P) product; normative first learns --iterations steps per
    // pattern, each an N×N product.
    let (nn, p, c) = (Int64(n), Int64(patterns.rows), Int64(cues.rows))
    let perStep: Int64 = model == "two-layer" ? 50 : model == "normative" ? 8 : 1
    var budget = WorkBudget("recall")
    budget.work([c, Int64(steps), perStep, nn, Swift.max(nn, p)], ["--steps", "--cues"])
    if model == "normative" {
      budget.work([p, Int64(iterations), nn, nn], ["--iterations", "--patterns"])
    }
    try budget.check()
    var out = [Float](repeating: 0, count: cues.rows * n)
    var summary = Summary()
    var saved: [UInt8]? = nil
    do throws(HebbianError) {
      switch model {
      case "hopfield":
        var memory = try HopfieldMemory(
          dimension: n, capacity: patterns.rows, rule: rule == "storkey" ? .storkey : .hebbian,
          update: update, maxSteps: steps, seed: seed)
        summary = try recallAll(&memory, patterns, cues, n, &out)
        if o.string("--save-model") != nil { saved = memory.checkpoint().encoded() }
      case "dense":
        var memory = try DenseMemory(
          dimension: n, capacity: patterns.rows, interaction: interaction, update: update,
          maxSteps: steps, seed: seed)
        summary = try recallAll(&memory, patterns, cues, n, &out)
      case "modern":
        var memory = try ModernHopfield(
          dimension: n, capacity: patterns.rows, beta: Float(beta), maxSteps: steps)
        summary = try recallAll(&memory, patterns, cues, n, &out, exact: false)
      case "two-layer":
        var memory = try TwoLayerMemory(
          dimension: n, capacity: patterns.rows,
          feature: lagrangian == "modern" ? .quadratic : .logCosh(gain: Float(gain)),
          memory: lagrangian == "modern"
            ? .logSumExp(beta: Float(beta)) : .power(degree: degree),
          tauFeature: Float(tauFeature), tauMemory: Float(tauMemory), dt: Float(dt),
          maxSteps: steps * 50)
        summary = try recallAll(
          &memory, patterns, cues, n, &out, exact: false, bySign: lagrangian == "dense")
      case "ei":
        // The coding level the E→I rule centres on: the stored patterns' mean activity.
        var active = 0.0
        for v in patterns.values where v > 0.5 { active += 1 }
        let f = min(max(active / Double(patterns.values.count), 1e-3), 1 - 1e-3)
        var memory = try EIMemory(
          excitatory: n, inhibitory: inhibitory, capacity: patterns.rows,
          coefficients: .derived(codingLevel: f), maxSteps: steps, seed: seed)
        summary = try recallAll(&memory, patterns, cues, n, &out)
      case "normative":
        var memory = try NormativeMemory(
          excitatory: n - inhibitory, inhibitory: inhibitory, capacity: patterns.rows,
          activation: gain > 0 ? .saturating(gain: Float(gain)) : .linear,
          dale: !o.has("--no-dale"),
          rule: learning == "extended" ? .extendedHebbian : .exactGradient,
          iterations: iterations, dt: Float(dt), maxSteps: steps * 2)
        summary = try recallAll(&memory, patterns, cues, n, &out, exact: false)
      default:
        throw .invalidParameter("model '\(model)' is not available")
      }
    } catch {
      // The memory's own limits (the memory budget, a shape) are about the options given.
      if case .invalidParameter = error { throw .usage("--dim/--patterns: " + error.message) }
      throw .data(error.message)
    }
    for k in 0..<out.count where !out[k].isFinite {
      // Advice names only the options this model reads (the table above).
      let knobs = ["--beta", "--degree", "--dt", "--gain"].filter { knob in
        applies.contains { $0.option.isBytes(knob) && $0.models.containsBytes(model) }
      }
      throw .data(
        "recall produced a non-finite state (cue \(k / n + 1), neuron \(k % n + 1)): the dynamics overflowed"
          + (knobs.isEmpty ? "" : "; lower " + knobs.joined(separator: " or ")))
    }
    var file = try OutputFile(
      target: try o.outputs.target(outputPath, option: "--output"), session: o.outputs)
    try out.withUnsafeBufferPointer { (p) throws(CLIError) in try file.write(floats: p) }
    try file.close()
    if let path = o.string("--save-model"), let bytes = saved {
      try o.outputs.write(path, bytes, option: "--save-model")
    }
    let k = cues.rows
    Console.outLine(
      "model \(model)\(model == "hopfield" ? " (" + rule + ")" : "")  N \(n)  patterns \(patterns.rows)  cues \(k)"
    )
    Console.outLine(
      "retrieved \(summary.retrieved)/\(k) (\(Fmt.fixed(Double(summary.retrieved) / Double(k), 3)))"
        + "  mean overlap \(Fmt.fixed(summary.overlap / Double(k), 4))"
        + "  mean steps \(Fmt.fixed(Double(summary.steps) / Double(k), 2))"
        + "  converged \(summary.converged)/\(k)")
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
