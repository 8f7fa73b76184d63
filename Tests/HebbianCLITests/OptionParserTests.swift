import Testing

@testable import HebbianCLI

@Suite struct OptionParserTests {
  static let dim = OptionSpec.value("--dim", "D", "dimension")
  static let eta = OptionSpec.value("--eta", "X", "rate")
  static let center = OptionSpec.flag("--center", "centre")
  let specs: [OptionSpec] = [dim, eta, center]

  @Test func parsesValuesFlagsAndInlineForms() throws {
    let p = try OptionParser.parse(["--dim", "6", "--eta=0.5", "--center"], specs: specs)
    #expect(try p.int(Self.dim) == 6)
    #expect(try p.double(Self.eta) == 0.5)
    #expect(p.has(Self.center))
    #expect(!p.has(.flag("--nothing", "")))
  }

  @Test func laterOccurrenceWins() throws {
    let p = try OptionParser.parse(["--dim", "6", "--dim", "8"], specs: specs)
    #expect(try p.int(Self.dim) == 8)
    #expect(p.strings(Self.dim) == ["6", "8"])
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
    #expect(throws: CLIError.self) { try p.int(Self.dim) }
    do {
      _ = try p.double(Self.eta)
      Issue.record("expected an error")
    } catch { #expect(error.message.contains("--eta")) }
  }

  @Test func choiceListsAllowedWords() throws {
    let p = try OptionParser.parse(["--eta", "fast"], specs: specs)
    do {
      _ = try p.choice(Self.eta, ["constant", "inverse"], default: "constant")
      Issue.record("expected an error")
    } catch { #expect(error.message.contains("constant|inverse")) }
  }

  /// A spec's range is the one of the table the line was parsed against: a copy of the spec
  /// with another range reads the same value under the same bounds.
  @Test func rangesComeFromTheParsedTable() throws {
    let bounded = Self.dim.within(1...10)
    let p = try OptionParser.parse(["--dim", "6"], specs: [bounded])
    #expect(try p.int(Self.dim) == 6)
    do {
      _ = try OptionParser.parse(["--dim", "11"], specs: [bounded])
      Issue.record("expected an error")
    } catch { #expect(error.message == "--dim: must be in [1, 10], got '11'") }
  }

  /// Every command's table names each option once, and the help lists them in table order.
  @Test func everyTableDeclaresEachOptionOnce() {
    for command in Command.all {
      var seen: [String] = []
      for spec in command.options {
        #expect(!seen.contains(spec.name), "\(command.name): \(spec.name) twice")
        seen.append(spec.name)
      }
    }
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
