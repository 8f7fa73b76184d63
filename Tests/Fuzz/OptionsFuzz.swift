// Splits the input on NUL into an argument vector and parses it against a table that has
// every kind of option; any input must parse or give a CLIError, never crash.
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
  let specs: [OptionSpec] = [
    .value("--dim", "D", ""), .value("--eta", "X", ""), .value("--rule", "R", ""),
    .flag("--center", ""),
  ]
  do {
    let p = try OptionParser.parse(args[...], specs: specs, allowPositionals: args.count % 2 == 0)
    _ = try? p.int("--dim")
    _ = try? p.double("--eta")
    _ = try? p.choice("--rule", ["oja", "gha"], default: "oja")
  } catch {}
  return 0
}
