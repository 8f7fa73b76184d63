import CHebbianSys

/// A file's identity: two paths name the same file when these are equal.
struct FileIdentity: Equatable, Sendable {
  var device: UInt64
  var inode: UInt64
}

/// Where one output goes, decided (and checked) before a run does any work.
struct OutputTarget: Sendable {
  enum Kind: Sendable {
    /// `-`: standard output.
    case stdout
    /// An existing character device, FIFO or socket: written into, never replaced.
    case direct
    /// A regular file, existing or new: written to an exclusive temporary beside it and
    /// renamed over it when the run commits. Symlinks are followed first, so a link stays a
    /// link and its target receives the new content.
    case replace
  }
  /// The option that named it, for messages (nil for outputs not on the command line).
  var option: String?
  /// The path as the user gave it: every message names this one.
  var userPath: String
  /// Where the bytes land (symlinks followed, directory absolute).
  var path: String
  var kind: Kind
  /// The existing file's identity, if there is one.
  var identity: FileIdentity?

  /// "--project out.csv" or "out.csv".
  var label: String { option.map { "\($0) \(userPath)" } ?? userPath }

  /// Decides where `path` goes without comparing it with anything: `-` is stdout, devices and
  /// FIFOs are written directly, everything else is replaced atomically; the directory must
  /// exist and be writable.
  static func resolve(_ userPath: String, option: String?) throws(CLIError) -> OutputTarget {
    let label = option.map { "\($0) \(userPath)" } ?? userPath
    if userPath == "-" {
      return OutputTarget(
        option: option, userPath: userPath, path: "-", kind: .stdout, identity: nil)
    }
    if userPath.isEmpty { throw .usage("\(option ?? "output"): empty path") }
    var buf = [CChar](repeating: 0, count: 4096)
    let n = hb_sys_resolve_output(userPath, &buf, buf.count)
    if n < 0 {
      if -n == 2 {
        throw .data("\(label): the directory \(Files.directory(of: userPath)) does not exist")
      }
      throw .data(Files.errno(Int(n), label))
    }
    let path = String(decoding: buf[0..<Int(n)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    var info = hb_sys_file_info()
    let rc = hb_sys_stat(path, &info)
    if rc < 0 { throw .data(Files.errno(Int(rc), label)) }
    let identity = FileIdentity(device: info.device, inode: info.inode)
    switch Int(info.kind) {
    case Int(HB_SYS_KIND_DIRECTORY): throw .data("\(label): is a directory")
    case Int(HB_SYS_KIND_BLOCK_DEVICE):
      throw .data("\(label): is a block device; refusing to write to it")
    case Int(HB_SYS_KIND_CHAR_DEVICE), Int(HB_SYS_KIND_FIFO), Int(HB_SYS_KIND_SOCKET):
      return OutputTarget(
        option: option, userPath: userPath, path: path, kind: .direct, identity: identity)
    case Int(HB_SYS_KIND_MISSING):
      let w = hb_sys_parent_writable(path)
      if w < 0 {
        throw .data(
          "\(label): cannot create a file in \(Files.directory(of: userPath)): "
            + String(cString: hb_sys_strerror(w)))
      }
      return OutputTarget(option: option, userPath: userPath, path: path, kind: .replace)
    default:
      let w = hb_sys_parent_writable(path)
      if w < 0 {
        throw .data(
          "\(label): cannot replace it in \(Files.directory(of: userPath)): "
            + String(cString: hb_sys_strerror(w)))
      }
      return OutputTarget(
        option: option, userPath: userPath, path: path, kind: .replace, identity: identity)
    }
  }
}

/// The outputs of one command run. Every output path is checked when the command line is
/// parsed, before any work: its directory exists and is writable, it is not a directory or
/// a block device, and it names neither an input nor another output. Regular files are
/// written to exclusive temporaries beside their targets and renamed over them together by
/// ``commit()`` once everything succeeded; a failing run calls ``abandon()`` and every
/// earlier file keeps its bytes. Checkpoints are the one exception: they are committed as
/// they are taken (``OutputFile/close()`` without a session), which is their purpose.
final class OutputSession {
  private(set) var inputs: [(label: String, identity: FileIdentity)] = []
  private(set) var outputs: [OutputTarget] = []
  private var staged: [(temp: String, target: OutputTarget)] = []

  init() {}

  deinit { abandon() }

  /// Records an input (a path or `-`) so no output can replace it. A missing input is left
  /// for its reader to report.
  func input(_ option: String, _ path: String) {
    var info = hb_sys_file_info()
    let rc = path == "-" ? hb_sys_fstat(0, &info) : hb_sys_stat(path, &info)
    guard rc == 0, Int(info.kind) == Int(HB_SYS_KIND_REGULAR) else { return }
    inputs.append(
      ("\(option) \(path)", FileIdentity(device: info.device, inode: info.inode)))
  }

  /// Checks and records an output. `mayBe` names the input option this output may replace
  /// (`--checkpoint C --resume C` updates a checkpoint in place).
  @discardableResult
  func output(_ option: String?, _ path: String, mayBe allowed: [String] = []) throws(CLIError)
    -> OutputTarget
  {
    let t = try OutputTarget.resolve(path, option: option)
    if t.kind == .stdout, let other = outputs.first(where: { $0.kind == .stdout }) {
      throw .usage("\(t.label): standard output is already taken by \(other.label)")
    }
    if let id = t.identity {
      for i in inputs where i.identity == id {
        if allowed.contains(where: { i.label.hasPrefix($0 + " ") }) { continue }
        throw .usage("\(t.label): is the same file as the input \(i.label); choose another output")
      }
    }
    if t.kind != .stdout {
      for o in outputs where o.path == t.path || (t.identity != nil && o.identity == t.identity) {
        throw .usage("\(t.label): is also written by \(o.label)")
      }
    }
    outputs.append(t)
    return t
  }

  /// The checked target of `path`, or a newly checked one for an output the command line
  /// did not declare.
  func target(_ path: String, option: String? = nil) throws(CLIError) -> OutputTarget {
    if let t = outputs.first(where: {
      $0.userPath == path && (option == nil || $0.option == option)
    }) {
      return t
    }
    return try output(option, path)
  }

  /// Whether an output goes to stdout (the summary then goes to stderr).
  var writesStdout: Bool { outputs.contains { $0.kind == .stdout } }

  func stage(temp: String, target: OutputTarget) { staged.append((temp, target)) }

  /// Renames every staged temporary over its target.
  func commit() throws(CLIError) {
    while let (temp, target) = staged.first {
      let rc = hb_sys_rename(temp, target.path)
      if rc != 0 {
        let message = Files.errno(Int(rc), target.label)
        abandon()
        throw .data(message)
      }
      hb_sys_forget_temp(temp)
      staged.removeFirst()
      _ = hb_sys_fsync_parent_dir(target.path)
    }
  }

  /// Removes every staged temporary: the targets keep their old content.
  func abandon() {
    for (temp, _) in staged {
      _ = hb_sys_unlink(temp)
      hb_sys_forget_temp(temp)
    }
    staged.removeAll()
  }

  /// A whole output file, committed with the run.
  func write(_ path: String, _ bytes: [UInt8], option: String? = nil) throws(CLIError) {
    var out = try OutputFile(target: try target(path, option: option), session: self)
    try out.write(bytes)
    try out.close()
  }
}
