import CHebbianSys
import Glibc

// Splits the input on NUL into an argument vector and parses it against one command's option
// table, then reads every value option as each type; any input must parse or give a
// CLIError, never crash. The commands whose work is budgeted (every option ranged, work and
// buffers counted before they start) are then run for real, under a budget lowered to what
// takes milliseconds: no case may trap, and none may outlive libFuzzer's per-case -timeout or
// -rss_limit_mb. They run in a scratch folder holding small fixtures (a sample stream, ±1
// patterns, a PCA model), with stdin and stdout on /dev/null; a line naming any path
// with a '/' is parsed only, so a case never reads or writes outside that folder.

/// The commands run for real: each declares a range for every numeric option and checks a
/// work budget before it starts.
private let runnable = [
  "stdp", "competing", "capacity", "train-plastic", "learn", "recall", "export",
]

private let scratch: Bool = {
  let dir =
    (hb_sys_file_size("/dev/shm") >= 0 ? "/dev/shm" : "/tmp") + "/hebbian-fuzz-options-"
    + String(hb_sys_getpid())
  _ = dir.withCString { mkdir($0, 0o700) }
  guard dir.withCString({ chdir($0) }) == 0 else { return false }
  // Fixtures the cases can name: s.csv (6 values per sample), p.f32 (two ±1 patterns of 4),
  // m.hbm (a PCA model of s.csv).
  var csv = ""
  for i in 0..<300 {
    csv += "\(i % 7),\(i % 5 - 2),\(i % 3),\(i % 11 - 5),\(i % 2),\(i % 13 - 6)\n"
  }
  try? Files.write("s.csv", Array(csv.utf8))
  var patterns: [UInt8] = []
  for v: Float in [1, -1, 1, -1, -1, -1, 1, 1] {
    withUnsafeBytes(of: v.bitPattern.littleEndian) { patterns.append(contentsOf: $0) }
  }
  try? Files.write("p.f32", patterns)
  _ = HebbianMain.run(["hebbian", "pca", "--input", "s.csv", "--quiet", "--save-model", "m.hbm"])
  // From here on a case's results go nowhere and it reads no terminal; its error lines stay
  // on stderr beside libFuzzer's report (fuzz.sh keeps only the report's lines).
  let null = open("/dev/null", O_RDWR)
  for fd: Int32 in [0, 1] { dup2(null, fd) }
  // Milliseconds of work and a few MiB per case: any line the budget lets through is quick.
  WorkBudget.maxSteps = 1 << 22
  WorkBudget.maxBytes = 16 << 20
  return true
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOptions(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  var args: [String] = []
  var current: [UInt8] = []
  for i in 0..<size {
    if data[i] == 0 {
      args.append(String(decoding: current, as: UTF8.self))
      current = []
    } else {
      current.append(data[i])
    }
  }
  args.append(String(decoding: current, as: UTF8.self))
  // The first argument picks a command, by name or else by the sum of its bytes: its real
  // option table is what gets parsed.
  let commands = Command.all
  let pick = args.first.map { $0.utf8.reduce(0) { Int($0) &+ Int($1) } } ?? 0
  let command =
    commands.first { $0.name.isBytes(args[0]) }
    ?? commands[((pick % commands.count) + commands.count) % commands.count]
  do {
    let p = try OptionParser.parse(
      args.dropFirst(), specs: command.options, allowPositionals: command.allowPositionals)
    for spec in command.options where spec.kind == .value {
      _ = try? p.int(spec)
      _ = try? p.int64(spec)
      _ = try? p.double(spec)
    }
  } catch {}
  if scratch && runnable.contains(command.name)
    && !args.contains(where: { $0.utf8.contains(UInt8(ascii: "/")) })
  {
    _ = HebbianMain.run(["hebbian", command.name] + args.dropFirst())
  }
  return 0
}
