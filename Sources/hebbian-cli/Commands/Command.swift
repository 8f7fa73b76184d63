/// A subcommand: its name, a one-line summary, its option table and what it runs. Each
/// subcommand lives in its own file and is listed once in ``Command/all``.
struct Command: Sendable {
  var name: String
  var summary: String
  var options: [OptionSpec]
  /// Positional arguments allowed (e.g. `hebbian stdp window`).
  var allowPositionals: Bool = false
  /// Modes (the first positional) and the options each accepts, for per-mode help: a list,
  /// looked up by bytes (a String-keyed dictionary hashes through the Unicode tables).
  var modes: [(name: String, options: [String])] = []
  var run: @Sendable (ParsedOptions) throws(CLIError) -> Void

  /// The commands in `hebbian --help` order. A board build (`HEBBIAN_BOARD`, from
  /// `Scripts/cross-build.sh`) keeps the deployment commands and leaves out `demo`, the
  /// science commands and the experiments module they use.
  static let all: [Command] = {
    #if HEBBIAN_BOARD
      return deployment
    #else
      return [deployment[0], deployment[1], deployment[2], RecallCommand.command,
        CapacityCommand.command] + deployment[3...] + [
        DemoCommand.command, TrainPlasticCommand.command, CompetingCommand.command,
        LearnCommand.command, STDPCommand.command,
      ]
    #endif
  }()

  static let deployment: [Command] = [
    InfoCommand.command,
    SelfTestCommand.command,
    BenchCommand.command,
    PCACommand.command,
    ApplyCommand.command,
    ExportCommand.command,
    MonitorCommand.command,
  ]
}
