import CHebbianSys
import Hebbian

/// A command-line failure: one line for the user and the exit status.
struct CLIError: Error {
  var message: String
  /// 2 for usage errors, 1 for bad data or I/O.
  var status: Int32

  static func usage(_ message: String) -> CLIError { CLIError(message: message, status: 2) }
  static func data(_ message: String) -> CLIError { CLIError(message: message, status: 1) }
}

/// One option a subcommand accepts. The table of specs is the whole grammar: `--name value`,
/// `--name=value` or a bare `--flag`.
struct OptionSpec: Sendable {
  enum Kind: Sendable { case flag, value }
  /// What a path value is to the output discipline (``OutputSession``): inputs are recorded
  /// so that no output replaces them; outputs are checked before the command runs.
  enum Role: Sendable, Equatable {
    case plain
    case input
    /// `mayReplace` names the input options whose file this output may rewrite in place.
    case output(mayReplace: [String])
  }
  var name: String
  var kind: Kind
  var valueName: String
  var help: String
  var role: Role = .plain
  /// The values a numeric option accepts, the same on every target; the typed accessors of
  /// ``ParsedOptions`` refuse anything outside it with a message naming the option.
  var range: ClosedRange<Double>? = nil

  /// This option takes a number in `range`.
  func within(_ range: ClosedRange<Double>) -> OptionSpec {
    var s = self
    s.range = range
    return s
  }

  /// This option names an input file (or `-`).
  func input() -> OptionSpec {
    var s = self
    s.role = .input
    return s
  }

  /// This option names an output file (or `-`); it may rewrite in place the file of the
  /// input options `mayReplace`.
  func output(mayReplace: [OptionSpec] = []) -> OptionSpec {
    var s = self
    s.role = .output(mayReplace: mayReplace.map { $0.name })
    return s
  }

  static func flag(_ name: String, _ help: String) -> OptionSpec {
    OptionSpec(name: name, kind: .flag, valueName: "", help: help)
  }
  static func value(_ name: String, _ valueName: String, _ help: String) -> OptionSpec {
    OptionSpec(name: name, kind: .value, valueName: valueName, help: help)
  }
}

/// Options that several commands accept with the same meaning, defined once so that their
/// help and file roles cannot drift apart between commands.
extension OptionSpec {
  static let quiet = OptionSpec.flag("--quiet", "nothing on stderr but errors")
  static let samplesFile = OptionSpec.value(
    "--input", "P|-", "samples: CSV or f32 file, or - for stdin (default -)"
  ).input()
  static let samplesFormat = OptionSpec.value(
    "--format", "csv|f32", "input format (default: f32 for .f32/.bin, else csv)")
  /// A stream of samples: the file, its format and its width, in the order the help lists them.
  static let samplesDimension = OptionSpec.value(
    "--dim", "D", "values per sample (required for f32; CSV: from the first line)")
  static let samples: [OptionSpec] = [samplesFile, samplesFormat, samplesDimension]
  static let delimiter = OptionSpec.value(
    "--delimiter", "C", "CSV field separator: , ; tab or \\t (default: from the first line)")
  /// How a CSV log is read: its delimiter, its feature columns and an id column. One
  /// definition for every command that reads samples, so `learn`, `pca` and `apply` read a
  /// logger's file the same way.
  static let columns = OptionSpec.value(
    "--columns", "LIST", "CSV columns to read, 1-based: 2-7 or 2,4,6-8 (default all)")
  static let idColumn = OptionSpec.value(
    "--id-column", "N",
    "CSV column (e.g. a timestamp) read verbatim: the first field of each output row")
  static let csvLayout: [OptionSpec] = [delimiter, columns, idColumn]
  static let passes = OptionSpec.value(
    "--passes", "N", "passes over the input (files only; default 1)")
  static let savedModel = OptionSpec.value(
    "--model", "M", "a model from pca --save-model (or a pca checkpoint)"
  ).input()
}

/// The parsed command line of one subcommand, with typed accessors whose errors name the
/// option. It is queried only through the ``OptionSpec`` values the tables are built from, so
/// an option a command reads is an option its table declares: a misspelt name does not compile.
struct ParsedOptions {
  /// The run's outputs: checked before the command runs, committed after it succeeded.
  var outputs = OutputSession()
  var values: [(name: String, value: String)] = []
  var flags: [String] = []
  var positionals: [String] = []
  /// The table the line was parsed against: the declared ranges of its options.
  var specs: [OptionSpec] = []

  func has(_ option: OptionSpec) -> Bool { has(named: option.name) }

  /// Whether any of `options` was given.
  func hasAny(_ options: [OptionSpec]) -> Bool { options.contains { has($0) } }

  /// The last value given for the option (later occurrences override earlier ones).
  func string(_ option: OptionSpec) -> String? { string(named: option.name) }

  func string(_ option: OptionSpec, default value: String) -> String {
    string(option) ?? value
  }

  /// Every value given for the option, in command-line order.
  func strings(_ option: OptionSpec) -> [String] {
    var result: [String] = []
    for v in values where v.name.isBytes(option.name) { result.append(v.value) }
    return result
  }

  func required(_ option: OptionSpec) throws(CLIError) -> String {
    guard let v = string(option) else { throw .usage("missing required option \(option.name)") }
    return v
  }

  /// An integer option (a size, a count of things held in memory). Parsed as 64 bits and
  /// bounded to ±(2^31 − 1) on every platform, so a 32-bit board refuses exactly what a 64-bit
  /// host refuses, with the same words. Counts of streamed samples use ``int64(_:)``.
  func int(_ option: OptionSpec) throws(CLIError) -> Int? { try int(named: option.name) }

  /// A 64-bit integer option (counts of samples: a stream may outlive 2^31 of them).
  func int64(_ option: OptionSpec) throws(CLIError) -> Int64? { try int64(named: option.name) }

  func int64(_ option: OptionSpec, default value: Int64, min: Int64 = Int64.min)
    throws(CLIError) -> Int64
  {
    let v = try int64(option) ?? value
    if v < min { throw .usage("\(option.name): must be >= \(min), got \(v)") }
    return v
  }

  func int(_ option: OptionSpec, default value: Int, min: Int = Int.min) throws(CLIError) -> Int {
    let v = try int(option) ?? value
    if v < min { throw .usage("\(option.name): must be >= \(min), got \(v)") }
    return v
  }

  func requiredInt(_ option: OptionSpec, min: Int = Int.min) throws(CLIError) -> Int {
    guard let v = try int(option) else { throw .usage("missing required option \(option.name)") }
    if v < min { throw .usage("\(option.name): must be >= \(min), got \(v)") }
    return v
  }

  func double(_ option: OptionSpec) throws(CLIError) -> Double? {
    try double(named: option.name)
  }

  func double(_ option: OptionSpec, default value: Double) throws(CLIError) -> Double {
    try double(option) ?? value
  }

  /// One of a fixed set of words.
  func choice(_ option: OptionSpec, _ allowed: [String], default value: String)
    throws(CLIError) -> String
  {
    let v = string(option) ?? value
    guard allowed.containsBytes(v) else {
      var list = ""
      for (i, a) in allowed.enumerated() { list += (i == 0 ? "" : "|") + a }
      throw .usage("\(option.name): expected \(list), got '\(v)'")
    }
    return v
  }

  static func outOfRange(_ name: String, _ r: ClosedRange<Double>, _ given: String) -> CLIError {
    .usage(
      "\(name): must be in [\(Fmt.number(r.lowerBound)), \(Fmt.number(r.upperBound))], got '\(excerpt(given))'"
    )
  }

  /// A value quoted in a message, cut to a readable length.
  static func excerpt(_ s: String) -> String {
    s.utf8.count <= 40 ? s : String(decoding: Array(s.utf8.prefix(40)), as: UTF8.self) + "…"
  }

  // The lookups by name behind the typed accessors; the parser, which checks every value
  // against its table as it reads it, is their only other user.

  fileprivate func has(named name: String) -> Bool {
    flags.containsBytes(name) || values.contains { $0.name.isBytes(name) }
  }

  fileprivate func string(named name: String) -> String? {
    var result: String? = nil
    for v in values where v.name.isBytes(name) { result = v.value }
    return result
  }

  fileprivate func int(named name: String) throws(CLIError) -> Int? {
    guard let v = try int64(named: name) else { return nil }
    if range(of: name) != nil { return Int(v) }
    guard v <= Int64(Int32.max) && v >= -Int64(Int32.max) else {
      throw .usage("\(name): \(v) is out of range (at most \(Int32.max))")
    }
    return Int(v)
  }

  fileprivate func int64(named name: String) throws(CLIError) -> Int64? {
    guard let s = string(named: name) else { return nil }
    guard let v = Int64(s) else {
      let digits =
        s.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } || (s.hasBytePrefix("-") && s.utf8.count > 1)
      if digits && !s.isEmpty {
        throw .usage("\(name): \(s) is out of range (at most \(Int64.max))")
      }
      throw .usage("\(name): expected an integer, got '\(Self.excerpt(s))'")
    }
    if let r = range(of: name), !(Double(v) >= r.lowerBound && Double(v) <= r.upperBound) {
      throw Self.outOfRange(name, r, s)
    }
    return v
  }

  fileprivate func double(named name: String) throws(CLIError) -> Double? {
    guard let s = string(named: name) else { return nil }
    var v = 0.0
    let ok = s.utf8.withContiguousStorageIfAvailable { buf in
      buf.withMemoryRebound(to: CChar.self) { hb_sys_parse_f64($0.baseAddress, $0.count, &v) }
    }
    guard ok == 0 else { throw .usage("\(name): expected a number, got '\(Self.excerpt(s))'") }
    if let r = range(of: name), !(v >= r.lowerBound && v <= r.upperBound) {
      throw Self.outOfRange(name, r, s)
    }
    return v
  }

  /// The declared range of an option of this line's table, if it has one.
  private func range(of name: String) -> ClosedRange<Double>? {
    specs.first { $0.name.isBytes(name) }?.range
  }
}

enum OptionParser {
  /// Parses `args` against `specs`. Unknown options, missing values and values given to
  /// flags are usage errors that name the option.
  static func parse(_ args: ArraySlice<String>, specs: [OptionSpec], allowPositionals: Bool = false)
    throws(CLIError) -> ParsedOptions
  {
    var result = ParsedOptions()
    result.specs = specs
    var i = args.startIndex
    while i < args.endIndex {
      let arg = args[i]
      i += 1
      if arg.isBytes("--") {
        // The conventional end of options: what follows is positional, even "--x".
        if let first = args[i...].first, !allowPositionals {
          throw .usage("unexpected argument '\(first)'")
        }
        result.positionals.append(contentsOf: args[i...])
        break
      }
      guard arg.hasBytePrefix("--") else {
        // A lone "-" is the conventional name for stdin and counts as a positional.
        guard allowPositionals else { throw .usage("unexpected argument '\(arg)'") }
        result.positionals.append(arg)
        continue
      }
      var name = arg
      var inline: String? = nil
      if let eq = arg.utf8.firstIndex(of: UInt8(ascii: "=")) {
        name = String(arg[..<eq])
        inline = String(arg[arg.utf8.index(after: eq)...])
      }
      guard let spec = specs.first(where: { $0.name.isBytes(name) }) else {
        throw .usage("unknown option '\(name)' (see --help)")
      }
      switch spec.kind {
      case .flag:
        if inline != nil { throw .usage("\(name) takes no value") }
        result.flags.append(name)
      case .value:
        if let v = inline {
          result.values.append((name, v))
        } else {
          guard i < args.endIndex else { throw .usage("\(name) needs a value (\(spec.valueName))") }
          result.values.append((name, args[i]))
          i += 1
        }
        // A declared range holds whether or not this run reads the option.
        if spec.range != nil { _ = try result.double(named: name) }
      }
    }
    return result
  }

  /// The help text of a subcommand, generated from its table.
  static func help(command: String, summary: String, specs: [OptionSpec]) -> String {
    var s = "usage: hebbian \(command) [options]\n\n\(summary)\n\noptions:\n"
    var width = "--help".utf8.count
    for spec in specs {
      width = max(width, spec.name.utf8.count + spec.valueName.utf8.count + 1)
    }
    for spec in specs {
      let left = spec.kind == .flag ? spec.name : spec.name + " " + spec.valueName
      s += "  " + Fmt.padRight(left, width + 2) + spec.help + "\n"
    }
    s += "  " + Fmt.padRight("--help", width + 2) + "show this help\n"
    return s
  }
}
