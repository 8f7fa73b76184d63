/// A subcommand: its name, a one-line summary, its option table and what it runs. Each
/// subcommand lives in its own file and is listed once in ``Command/all``.
struct Command: Sendable {
  var name: String
  var summary: String
  var options: [OptionSpec]
  /// Positional arguments allowed (e.g. `hebbian stdp window`).
  var allowPositionals: Bool = false
  /// Modes (the first positional) and the options each accepts, for per-mode help.
  var modes: [String: [String]] = [:]
  var run: @Sendable (ParsedOptions) throws(CLIError) -> Void

  static let all: [Command] = [
    InfoCommand.command,
    SelfTestCommand.command,
    BenchCommand.command,
    RecallCommand.command,
    CapacityCommand.command,
    PCACommand.command,
    ApplyCommand.command,
    ExportCommand.command,
    MonitorCommand.command,
    DemoCommand.command,
    TrainPlasticCommand.command,
    CompetingCommand.command,
    LearnCommand.command,
    STDPCommand.command,
  ]
}
