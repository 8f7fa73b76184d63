import CHebbianSys
import Hebbian
import HebbianExperiments

/// `hebbian train-plastic`: learns w, α and η of a plastic recurrent network on Miconi et al.'s
/// pattern-completion task, trains the non-plastic baseline the same way, and prints both.
enum TrainPlasticCommand {
  static let command = Command(
    name: "train-plastic",
    summary:
      "Train a differentiable-plasticity network on binary pattern completion vs a non-plastic baseline.",
    options: [
      TrainPlasticOptions.bits,
      TrainPlasticOptions.patterns,
      TrainPlasticOptions.cycles,
      TrainPlasticOptions.present,
      TrainPlasticOptions.delay,
      TrainPlasticOptions.testSteps,
      TrainPlasticOptions.degrade,
      TrainPlasticOptions.rule,
      TrainPlasticOptions.episodes,
      TrainPlasticOptions.lr,
      TrainPlasticOptions.clip,
      TrainPlasticOptions.reportEvery,
      TrainPlasticOptions.evalEpisodes,
      TrainPlasticOptions.seed,
      TrainPlasticOptions.save,
      TrainPlasticOptions.load,
      TrainPlasticOptions.noBaseline,
    ],
    run: { (o: ParsedOptions) throws(CLIError) in try run(o) }
  )

  static func run(_ o: ParsedOptions) throws(CLIError) {
    let bits = try o.int(TrainPlasticOptions.bits, default: 50, min: 2)
    let ruleName = try o.choice(TrainPlasticOptions.rule, ["decay", "oja"], default: "decay")
    let episodes = try o.int(TrainPlasticOptions.episodes, default: 10000, min: 0)
    let lr = Float(try o.double(TrainPlasticOptions.lr, default: 0.001))
    let clip = Float(try o.double(TrainPlasticOptions.clip, default: 10))
    let every = try o.int(TrainPlasticOptions.reportEvery, default: 1000, min: 1)
    let evalEpisodes = try o.int(TrainPlasticOptions.evalEpisodes, default: 200, min: 1)
    let seed = UInt64(try o.int(TrainPlasticOptions.seed, default: 1, min: 0))
    let patterns = try o.int(TrainPlasticOptions.patterns, default: 3, min: 1)
    let cycles = try o.int(TrainPlasticOptions.cycles, default: 2, min: 1)
    let present = try o.int(TrainPlasticOptions.present, default: 3, min: 1)
    let delay = try o.int(TrainPlasticOptions.delay, default: 2, min: 0)
    let testSteps = try o.int(TrainPlasticOptions.testSteps, default: 3, min: 1)
    let degrade = try o.double(TrainPlasticOptions.degrade, default: 0.5)
    let task = try usageErrors { () throws(HebbianError) in
      try PatternCompletionTask(
        bits: bits, patterns: patterns, cycles: cycles, presentationSteps: present,
        delaySteps: delay, testSteps: testSteps, degradedFraction: degrade)
    }
    let rule: PlasticNetwork.TraceRule = ruleName.isBytes("oja") ? .oja : .decay
    // Each training episode runs the network forward and back over its steps (about four
    // N×N products a step), each held-out episode forward only; the plastic network and the
    // baseline both live until the end.
    let (s, nn) = (Int64(task.steps), Int64(bits) * Int64(bits))
    let networks: Int64 =
      o.has(TrainPlasticOptions.load) || o.has(TrainPlasticOptions.noBaseline) ? 1 : 2
    var budget = WorkBudget("train-plastic")
    budget.work(
      [networks, o.has(TrainPlasticOptions.load) ? 0 : Int64(episodes), s, nn, 4],
      [
        TrainPlasticOptions.episodes, TrainPlasticOptions.bits, TrainPlasticOptions.cycles,
        TrainPlasticOptions.present, TrainPlasticOptions.patterns,
      ])
    budget.work([networks, Int64(evalEpisodes), s, nn], [TrainPlasticOptions.evalEpisodes])
    budget.memory(
      [[networks, s + 7, nn], [s, Int64(bits)]],
      [TrainPlasticOptions.bits, TrainPlasticOptions.cycles, TrainPlasticOptions.present])
    try budget.check(quiet: o.has(OptionSpec.quiet))
    let start = hb_sys_monotonic_ns()
    if let path = o.string(TrainPlasticOptions.load) {
      // A saved model carries its rule and weights: training options do not apply to it.
      let training = [
        TrainPlasticOptions.rule, TrainPlasticOptions.episodes, TrainPlasticOptions.lr,
        TrainPlasticOptions.clip, TrainPlasticOptions.reportEvery, TrainPlasticOptions.save,
      ]
      for option in training where o.has(option) {
        throw .usage(
          "\(option.name): does not apply with --load (the saved model is evaluated, not trained)")
      }
      var loaded = try PlasticModelFile.decode(
        Files.readModel(path), path: path, maxSteps: task.steps)
      if loaded.size != bits {
        throw .usage("\(path): model has N = \(loaded.size), task has --bits \(bits)")
      }
      Console.outLine(
        "pattern completion: \(bits) bits, \(task.patterns) patterns x \(task.cycles) cycles, \(task.steps) steps/episode; evaluating \(path)"
      )
      let r = try train(
        &loaded, "loaded", task, 0, lr, clip, every, evalEpisodes, seed,
        quiet: o.has(OptionSpec.quiet))
      report("loaded", r, loaded)
      return
    }
    if episodes < 1 { throw .usage("--episodes: must be >= 1 when training") }
    Console.outLine(
      "pattern completion: \(bits) bits, \(task.patterns) patterns x \(task.cycles) cycles, \(task.steps) steps/episode, rule \(ruleName), \(episodes) episodes"
    )
    // The baseline learns the same episodes as the plastic network: only plasticity differs.
    func trained(_ label: String, plastic: Bool) throws(CLIError) -> PlasticNetwork {
      var net = try make(task, rule, plastic: plastic, seed: seed)
      let r = try train(
        &net, label, task, episodes, lr, clip, every, evalEpisodes, seed,
        quiet: o.has(OptionSpec.quiet))
      report(label, r, net)
      return net
    }
    let plastic = try trained("plastic", plastic: true)
    if !o.has(TrainPlasticOptions.noBaseline) { _ = try trained("baseline", plastic: false) }
    Console.errLine("time: \(Fmt.fixed(Double(hb_sys_monotonic_ns() - start) * 1e-9, 1)) s")
    if let path = o.string(TrainPlasticOptions.save) {
      try o.outputs.write(
        path, PlasticModelFile.encode(plastic), option: TrainPlasticOptions.save.name)
      Console.outLine("saved \(path)")
    }
  }

  /// The held-out result of one network, in columns shared by every label.
  static func report(
    _ label: String, _ r: (loss: Float, bitErrors: Float), _ net: borrowing PlasticNetwork
  ) {
    Console.outLine(
      Fmt.padRight(label, 10) + "held-out loss per bit \(Fmt.fixed(r.loss, 4))  bit errors "
        + "\(Fmt.fixed(100 * r.bitErrors, 2))%  "
        + (net.isPlastic ? "eta \(Fmt.fixed(net.eta, 4))" : "(non-plastic, same training)"))
  }

  static func make(
    _ task: PatternCompletionTask, _ rule: PlasticNetwork.TraceRule, plastic: Bool, seed: UInt64
  )
    throws(CLIError) -> PlasticNetwork
  {
    return try usageErrors { () throws(HebbianError) in
      try PlasticNetwork(
        size: task.bits, maxSteps: task.steps, rule: rule, plastic: plastic, seed: seed)
    }
  }

  /// Draws one episode into `inputs` and `target`. The spans end with the call, which leaves
  /// the arrays free to be read again.
  static func draw(
    _ task: PatternCompletionTask, _ inputs: inout [Float], _ target: inout [Float],
    _ scratch: inout [Float], _ rng: inout SeededGenerator
  ) throws(HebbianError) {
    var us = inputs.mutableSpan
    var ts = target.mutableSpan
    var ss = scratch.mutableSpan
    try task.episode(inputs: &us, target: &ts, scratch: &ss, rng: &rng)
  }

  /// Trains on fresh episodes, printing the mean training loss every `every` episodes, then
  /// returns the mean loss on `evalEpisodes` held-out episodes (a different seed stream).
  static func train(
    _ net: inout PlasticNetwork, _ label: String, _ task: PatternCompletionTask, _ episodes: Int,
    _ lr: Float, _ clip: Float, _ every: Int, _ evalEpisodes: Int, _ seed: UInt64,
    quiet: Bool = false
  ) throws(CLIError) -> (loss: Float, bitErrors: Float) {
    var inputs = [Float](repeating: 0, count: task.steps * task.bits)
    var target = [Float](repeating: 0, count: task.bits)
    var scratch = [Float](repeating: 0, count: task.patterns * task.bits)
    var rng = SeededGenerator(seed: seed &+ 1000)
    var sum: Float = 0
    do throws(HebbianError) {
      for e in stride(from: 1, through: episodes, by: 1) {
        try draw(task, &inputs, &target, &scratch, &rng)
        sum += try net.train(
          inputs: inputs.span, steps: task.steps, target: target.span, learningRate: lr,
          clipNorm: clip)
        if !sum.isFinite {
          throw .diverged(
            "\(label): training diverged at episode \(e) (the loss is not finite); lower --lr (now \(Fmt.sci(lr, 1))) or --clip"
          )
        }
        if e % every == 0 || e == episodes {
          let n = e % every == 0 ? every : e % every
          let etaText = net.isPlastic ? "  eta \(Fmt.fixed(net.eta, 4))" : ""
          if !quiet {
            Console.errLine(
              "\(label) episode \(e)/\(episodes)  loss \(Fmt.fixed(sum / Float(n), 4))" + etaText)
          }
          sum = 0
        }
      }
      var evalRNG = SeededGenerator(seed: seed &+ 7_777_777)
      var total: Float = 0
      var wrong = 0
      var output = [Float](repeating: 0, count: task.bits)
      for _ in 0..<evalEpisodes {
        try draw(task, &inputs, &target, &scratch, &evalRNG)
        var os = output.mutableSpan
        try net.run(inputs: inputs.span, steps: task.steps, output: &os)
        _ = consume os
        for j in 0..<task.bits {
          let e = output[j] - target[j]
          total += e * e
          if (output[j] > 0) != (target[j] > 0) { wrong += 1 }
        }
      }
      let count = Float(evalEpisodes) * Float(task.bits)
      if !total.isFinite {
        throw .diverged(
          "\(label): the held-out loss is not finite; lower --lr (now \(Fmt.sci(lr, 1)))")
      }
      return (total / count, Float(wrong) / count)
    } catch { throw .data(error.message) }
  }
}

/// The `train-plastic --save` file: the project's one model format (``ModelFile``: magic,
/// version, kind, shapes, parameters, arrays, CRC-32), kind "plastic.recurrent", shape [N],
/// parameters rule (0 decay, 1 Oja) and eta, arrays "w" and "alpha" (N·N, row-major pre × post).
enum PlasticModelFile {
  static let kind = "plastic.recurrent"

  static func encode(_ net: borrowing PlasticNetwork) -> [UInt8] {
    ModelFile(
      kind: kind, shapes: [net.size],
      parameters: [.init("rule", Double(net.rule.rawValue)), .init("eta", Double(net.eta))],
      arrays: [.init("w", net.weights), .init("alpha", net.plasticityCoefficients)]
    ).encoded()
  }

  /// Decodes a file written by ``encode(_:)``; every malformed input is a clear error.
  static func decode(_ bytes: [UInt8], path: String, maxSteps: Int = 1) throws(CLIError)
    -> PlasticNetwork
  {
    do throws(HebbianError) {
      let file = try ModelFile(decoding: bytes)
      guard file.kind.isBytes(kind), file.shapes.count == 1 else {
        throw .format("holds a '\(file.kind)' model, expected '\(kind)'")
      }
      let n = file.shapes[0]
      guard n >= 1, n <= 4096 else { throw .format("network size \(n) out of range 1...4096") }
      let ruleValue = try file.parameter("rule")
      // Compared as a Double first: a corrupted value may not even fit an integer.
      guard ruleValue == 0 || ruleValue == 1,
        let rule = PlasticNetwork.TraceRule(rawValue: Int32(ruleValue))
      else { throw .format("unknown trace rule parameter") }
      let eta = Float(try file.parameter("eta"))
      let w = try file.array("w", count: n * n)
      let a = try file.array("alpha", count: n * n)
      var net = try PlasticNetwork(size: n, maxSteps: maxSteps, rule: rule, seed: 0)
      try net.setParameters(w: w, alpha: a, eta: eta)
      return net
    } catch { throw .data("\(path): \(error.message)") }
  }
}

/// The options of `hebbian train-plastic`, each declared once: its table and every query read these.
enum TrainPlasticOptions {
  static let bits = OptionSpec.value(
    "--bits", "N", "pattern size = number of units (default 50)"
  ).within(2...4096)
  static let patterns = OptionSpec.value(
    "--patterns", "P", "patterns per episode (default 3)"
  ).within(1...10_000)
  static let cycles = OptionSpec.value(
    "--cycles", "C", "presentation cycles per episode (default 2)"
  ).within(1...10_000)
  static let present = OptionSpec.value(
    "--present", "S", "steps each pattern is shown (default 3)"
  ).within(1...10_000)
  static let delay = OptionSpec.value(
    "--delay", "S", "zero-input steps after each presentation (default 2)"
  ).within(
    0...10_000)
  static let testSteps = OptionSpec.value(
    "--test-steps", "S", "steps the degraded cue is shown (default 3)"
  ).within(1...10_000)
  static let degrade = OptionSpec.value(
    "--degrade", "F", "fraction of cue bits zeroed (default 0.5)"
  ).within(0...1)
  static let rule = OptionSpec.value("--rule", "R", "trace rule: decay|oja (default decay)")
  static let episodes = OptionSpec.value(
    "--episodes", "E", "training episodes (default 10000)"
  ).within(0...100_000_000)
  static let lr = OptionSpec.value(
    "--lr", "X", "Adam learning rate (default 0.001)"
  ).within(1e-9...1)
  static let clip = OptionSpec.value(
    "--clip", "X", "gradient-norm clip (default 10)"
  ).within(1e-6...1e6)
  static let reportEvery = OptionSpec.value(
    "--report-every", "E", "episodes per progress line (default 1000)"
  ).within(
    1...100_000_000)
  static let evalEpisodes = OptionSpec.value(
    "--eval-episodes", "E", "held-out episodes for the final loss (default 200)"
  ).within(
    1...10_000_000)
  static let seed = OptionSpec.value("--seed", "S", "seed (default 1)").within(0...2_147_483_647)
  static let save = OptionSpec.value(
    "--save", "FILE", "write the learned plastic model (w, alpha, eta)"
  ).output(
    mayReplace: [TrainPlasticOptions.load])
  static let load = OptionSpec.value(
    "--load", "FILE", "evaluate a saved model on held-out episodes instead of training"
  )
  .input()
  static let noBaseline = OptionSpec.flag("--no-baseline", "skip the non-plastic baseline")
}
