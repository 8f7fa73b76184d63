import Testing

@testable import HebbianCLI

@Suite struct OptionParserTests {
  let specs: [OptionSpec] = [
    .value("--dim", "D", "dimension"),
    .value("--eta", "X", "rate"),
    .flag("--center", "centre"),
  ]

  @Test func parsesValuesFlagsAndInlineForms() throws {
    let p = try OptionParser.parse(["--dim", "6", "--eta=0.5", "--center"], specs: specs)
    #expect(try p.int("--dim") == 6)
    #expect(try p.double("--eta") == 0.5)
    #expect(p.has("--center"))
    #expect(!p.has("--nothing"))
  }

  @Test func laterOccurrenceWins() throws {
    let p = try OptionParser.parse(["--dim", "6", "--dim", "8"], specs: specs)
    #expect(try p.int("--dim") == 8)
  }

  @Test func unknownOptionIsUsageErrorNamingIt() {
    do {
      _ = try OptionParser.parse(["--bogus"], specs: specs)
      Issue.record("expected an error")
    } catch {
      #expect(error.status == 2)
      #expect(error.message.contains("--bogus"))
    }
  }

  @Test func missingValueAndFlagWithValueAreErrors() {
    #expect(throws: CLIError.self) { try OptionParser.parse(["--dim"], specs: specs) }
    #expect(throws: CLIError.self) { try OptionParser.parse(["--center=1"], specs: specs) }
    #expect(throws: CLIError.self) { try OptionParser.parse(["stray"], specs: specs) }
  }

  @Test func badNumbersNameTheOption() throws {
    let p = try OptionParser.parse(["--dim", "six", "--eta", "1e"], specs: specs)
    #expect(throws: CLIError.self) { try p.int("--dim") }
    do {
      _ = try p.double("--eta")
      Issue.record("expected an error")
    } catch { #expect(error.message.contains("--eta")) }
  }

  @Test func choiceListsAllowedWords() throws {
    let p = try OptionParser.parse(["--eta", "fast"], specs: specs)
    do {
      _ = try p.choice("--eta", ["constant", "inverse"], default: "constant")
      Issue.record("expected an error")
    } catch { #expect(error.message.contains("constant|inverse")) }
  }

  @Test func formatsFloatsWithoutFoundation() {
    #expect(Fmt.fixed(3.14159, 2) == "3.14")
    #expect(Fmt.sci(0.000123, 2) == "1.23e-04")
    #expect(Fmt.shortest(0.1) == "0.1")
    #expect(Fmt.shortest(1.0 / 3.0) == "0.33333334")
    #expect(Fmt.pad("7", 3) == "  7")
  }

  @Test func unknownCommandExitsWithUsageStatus() {
    #expect(HebbianMain.run(["hebbian", "nonsense"]) == 2)
    #expect(HebbianMain.run(["hebbian", "info"]) == 0)
  }
}
