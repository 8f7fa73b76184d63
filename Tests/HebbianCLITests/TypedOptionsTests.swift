import Hebbian
import Testing

@testable import HebbianCLI

/// The typed options of each command: built from the command's own table, with the defaults
/// and derived values the help promises, and refusals that name the option.
@Suite struct TypedOptionsTests {
  func parse(_ args: [String], _ table: [OptionSpec]) throws(CLIError) -> ParsedOptions {
    try OptionParser.parse(args[...], specs: table)
  }

  @Test func eachCommandIsBuiltFromItsOptionsTable() {
    let tables: [(String, [OptionSpec])] = [
      ("pca", PCAOptions.table), ("learn", LearnOptions.table), ("recall", RecallOptions.table),
      ("capacity", CapacityOptions.table), ("bench", BenchOptions.table),
    ]
    for (name, table) in tables {
      let command = Command.all.first { $0.name == name }
      #expect(command?.options.map(\.name) == table.map(\.name), "\(name)")
    }
  }

  @Test func pcaDefaultsFollowTheRule() throws {
    let oja = try PCAOptions(parse(["--input", "x.csv", "--rule", "oja"], PCAOptions.table))
    #expect(oja.components == 1)
    #expect(oja.batch == 1)
    #expect(oja.format == .csv)
    // An --eta without --t0 gets t0 = 10 x eta: the rate starts at 0.1.
    let gha = try PCAOptions(parse(["--input", "x.f32", "--eta", "0.5"], PCAOptions.table))
    #expect(gha.components == 2)
    #expect(gha.format == .f32)
    #expect(gha.rate == .inverse(scale: 0.5, offset: 5, floor: 0))
    // Oja's default is the power schedule; --schedule inverse alone gives its former default,
    // --schedule power on another rule the power schedule with Oja's constants.
    #expect(oja.rate == .power(scale: 0.35, offset: 10, floor: 0))
    let ojaInverse = try PCAOptions(
      parse(["--input", "x.csv", "--rule", "oja", "--schedule", "inverse"], PCAOptions.table))
    #expect(ojaInverse.rate == .inverse(scale: 3, offset: 100, floor: 0))
    let ghaPower = try PCAOptions(
      parse(["--input", "x.csv", "--schedule", "power", "--eta", "0.5"], PCAOptions.table))
    #expect(ghaPower.rate == .power(scale: 0.5, offset: 5, floor: 0))
  }

  @Test func pcaRefusesCSVLayoutOnF32InputNamingTheFirstOption() {
    do {
      _ = try PCAOptions(
        parse(["--input", "x.f32", "--id-column", "1", "--columns", "2-3"], PCAOptions.table))
      Issue.record("expected an error")
    } catch { #expect(error.message == "--columns: applies to CSV input, not f32") }
  }

  @Test func learnDefaultsFollowTheRule() throws {
    let instar = try LearnOptions(parse(["--rule", "instar"], LearnOptions.table))
    #expect(instar.eta == 0.05)
    #expect(instar.outputs == 1)
    let hebb = try LearnOptions(parse(["--rule", "hebb", "--normalize"], LearnOptions.table))
    #expect(hebb.eta == 0.001)
    #expect(hebb.normalizes)
    // Advice after a divergence: with --normalize, plain Hebb is told to raise the decay.
    #expect(hebb.advice.hasPrefix("; raise --decay"))
  }

  @Test func capacityAddsTheBaselinesOfTheEINetwork() throws {
    let both = try CapacityOptions(parse(["--dim", "64", "--model", "ei"], CapacityOptions.table))
    #expect(both.names == ["ei", "covariance", "cov-activity"])
    let alone = try CapacityOptions(
      parse(
        ["--dim", "64", "--model", "hopfield,dense", "--model", "ei", "--no-baseline"],
        CapacityOptions.table))
    #expect(alone.names == ["hopfield", "dense", "ei"])
    #expect(alone.settings.trials == 3)
  }

  @Test func benchRooflineTimesGHAWithoutTheBlockDriver() throws {
    let o = try BenchOptions(parse(["--roofline", "--dim", "64"], BenchOptions.table))
    #expect(o.rules == [.gha])
    #expect(o.block == 0)
    #expect(o.isas.count == 1)
    #expect(o.k % 8 == 0)
  }
}
