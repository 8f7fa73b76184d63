// Splits the input on NUL into an argument vector and parses it against one command's option
// table, then reads every value option as each type; any input must parse or give a
// CLIError, never crash.
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
  // The first argument picks a command: its real option table is what gets parsed.
  let commands = Command.all
  let pick = args.first.map { $0.utf8.reduce(0) { Int($0) &+ Int($1) } } ?? 0
  let command = commands[((pick % commands.count) + commands.count) % commands.count]
  do {
    let p = try OptionParser.parse(
      args.dropFirst(), specs: command.options, allowPositionals: command.allowPositionals)
    for spec in command.options where spec.kind == .value {
      _ = try? p.int(spec.name)
      _ = try? p.int64(spec.name)
      _ = try? p.double(spec.name)
    }
  } catch {}
  return 0
}
