import CHebbianSys
import Hebbian

enum HebbianMain {
  static let usage = """
    usage: hebbian <command> [options]     (hebbian <command> --help for its options)

    commands:
    """

  static func main() {
    // A closed 0, 1 or 2 would be handed to the first file opened and receive progress lines.
    _ = hb_sys_ensure_std_fds()
    var argv: [String] = []
    for i in 0..<hb_sys_argc() { argv.append(String(cString: hb_sys_argv(i))) }
    let code = run(argv)
    if code != 0 { exitProcess(code) }
  }

  /// Runs one command line; returns the exit status. Separate from `main` so tests can drive
  /// it in-process.
  static func run(_ argv: [String]) -> Int32 {
    var args = argv.dropFirst()
    if let first = args.first, first.isBytes("--version") || first.isBytes("-V") {
      Console.outLine("hebbian \(hebbianVersion)")
      return 0
    }
    // `hebbian help CMD [MODE]` is `hebbian CMD [MODE] --help`.
    if args.first?.isBytes("help") == true, args.count >= 2 {
      args = args.dropFirst() + ["--help"]
    }
    guard let name = args.first, !["--help", "-h", "help"].containsBytes(name) else {
      var s = usage + "\n"
      for c in Command.all { s += "  " + Fmt.padRight(c.name, 16) + c.summary + "\n" }
      if args.first == nil {
        Console.err(s)
        return 2
      }
      Console.out(s)
      return 0
    }
    guard let command = Command.all.first(where: { $0.name.isBytes(name) }) else {
      Console.errorLine("hebbian: error: unknown command '\(name)' (see hebbian --help)")
      return 2
    }
    let rest = args.dropFirst()
    // Every command accepts --quiet: nothing on stderr but errors.
    var specs = command.options
    if !specs.contains(where: { $0.name.isBytes(OptionSpec.quiet.name) }) { specs.append(.quiet) }
    if rest.containsBytes("--help") || rest.containsBytes("-h") {
      // `hebbian stdp balance --help`: that mode's options only.
      if let mode = rest.first, let allowed = command.modes.first(where: { $0.name.isBytes(mode) })?.options {
        let specs = command.options.filter { allowed.containsBytes($0.name) }
        Console.out(
          OptionParser.help(command: name + " " + mode, summary: command.summary, specs: specs))
        return 0
      }
      var text = OptionParser.help(command: name, summary: command.summary, specs: specs)
      if !command.modes.isEmpty {
        text += "\nmodes (hebbian \(name) MODE --help for its options): "
        text += command.modes.map { $0.name }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
          .joined(separator: ", ") + "\n"
      }
      Console.out(text)
      return 0
    }
    do throws(CLIError) {
      if let requested = hb_sys_getenv("HEBBIAN_ISA") {
        do throws(HebbianError) {
          try ISA.validateEnvironment(requested: String(cString: requested))
        } catch {
          throw .usage("HEBBIAN_ISA: " + error.message)
        }
      }
      let options = try OptionParser.parse(
        rest, specs: specs, allowPositionals: command.allowPositionals)
      Console.quiet = options.has(.quiet)
      defer { Console.quiet = false }
      // Outputs are locked as they are declared, and stay locked until every one is in place.
      defer { options.outputs.release() }
      try declareFiles(options, specs)
      do throws(CLIError) {
        try command.run(options)
      } catch {
        options.outputs.abandon()
        throw error
      }
      try options.outputs.commit()
      return 0
    } catch {
      Console.errorLine("hebbian \(name): error: \(error.message)")
      return error.status
    }
  }

  /// Records the inputs and checks the outputs the command line names, before any work: a
  /// refused output costs nothing and touches nothing.
  static func declareFiles(_ o: ParsedOptions, _ specs: [OptionSpec]) throws(CLIError) {
    for spec in specs where spec.role == .input {
      for path in o.strings(spec) { o.outputs.input(spec.name, path) }
    }
    for spec in specs {
      guard case .output(let allowed) = spec.role, let path = o.string(spec) else { continue }
      // The table's value name states the format (FILE.svg, OUT.f32): the path must agree.
      if spec.valueName.hasByteSuffix(".svg") {
        try OutputFormat.requireSVG(path, option: spec.name)
      }
      if spec.valueName.hasByteSuffix(".f32") {
        try OutputFormat.requireF32(path, option: spec.name)
      }
      try o.outputs.output(spec.name, path, mayBe: allowed)
    }
  }
}
