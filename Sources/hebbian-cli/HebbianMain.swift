import CHebbianSys
import Hebbian

enum HebbianMain {
  static let usage = """
    usage: hebbian <command> [options]     (hebbian <command> --help for its options)

    commands:
    """

  static func main() {
    var argv: [String] = []
    for i in 0..<hb_sys_argc() { argv.append(String(cString: hb_sys_argv(i))) }
    let code = run(argv)
    if code != 0 { exitProcess(code) }
  }

  /// Runs one command line; returns the exit status. Separate from `main` so tests can drive
  /// it in-process.
  static func run(_ argv: [String]) -> Int32 {
    let args = argv.dropFirst()
    guard let name = args.first, name != "--help", name != "-h", name != "help" else {
      var s = usage + "\n"
      for c in Command.all { s += "  " + Fmt.padRight(c.name, 16) + c.summary + "\n" }
      if args.first == nil {
        Console.err(s)
        return 2
      }
      Console.out(s)
      return 0
    }
    guard let command = Command.all.first(where: { $0.name == name }) else {
      Console.errLine("hebbian: error: unknown command '\(name)' (see hebbian --help)")
      return 2
    }
    let rest = args.dropFirst()
    if rest.contains("--help") || rest.contains("-h") {
      Console.out(OptionParser.help(command: name, summary: command.summary, specs: command.options))
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
        rest, specs: command.options, allowPositionals: command.allowPositionals)
      try command.run(options)
      return 0
    } catch {
      Console.errLine("hebbian \(name): error: \(error.message)")
      return error.status
    }
  }
}
