import CHebbianSys
import Hebbian

/// A file's identity: two paths name the same file when these are equal.
struct FileIdentity: Equatable, Sendable {
  var device: UInt64
  var inode: UInt64
}

/// A file as it was at one moment: the same file (identity) with the same size and
/// modification time. A file written back by a run must still have the stamp it had when the
/// run read it.
struct FileStamp: Equatable, Sendable {
  var identity: FileIdentity
  var size: Int64
  var modified: Int64

  init(_ info: hb_sys_file_info) {
    identity = FileIdentity(device: info.device, inode: info.inode)
    size = info.size
    modified = info.mtime_ns
  }
}

/// Where one output goes, decided (and checked) before a run does any work.
struct OutputTarget: Sendable {
  enum Kind: Sendable {
    /// `-`: standard output.
    case stdout
    /// An existing character device, FIFO or socket: written into, never replaced.
    case direct
    /// A regular file, existing or new: written to a temporary in its directory and put in
    /// its place when the run commits, with its mode (and owner, where permitted). Symlinks
    /// are followed first, so a link stays a link and its target receives the new content;
    /// a link that protected_symlinks would refuse is not followed. Locked for the run.
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
    if userPath.isBytes("-") {
      return OutputTarget(
        option: option, userPath: userPath, path: "-", kind: .stdout, identity: nil)
    }
    if userPath.isEmpty { throw .usage("\(option ?? "output"): empty path") }
    var buf = [CChar](repeating: 0, count: 4096)
    let n = hb_sys_resolve_output(userPath, &buf, buf.count)
    if n == -Int32(HB_SYS_REFUSED_LINK) {
      throw .data(
        "\(label): refusing to follow the symlink \(String(cString: buf)): it is in a sticky world-writable directory and owned by neither this user nor the directory's owner (the kernel's protected_symlinks rule)"
      )
    }
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
      if info.links > 1 { throw hardLinked(label, info.links) }
      return OutputTarget(
        option: option, userPath: userPath, path: path, kind: .replace, identity: identity)
    }
  }

  /// A file with several names is refused rather than replaced (which would split its names
  /// apart) or written in place (which would not be atomic).
  static func hardLinked(_ label: String, _ links: UInt64) -> CLIError {
    .data(
      "\(label): the file has \(links) hard links; replacing it would detach them and writing in place would not be atomic (remove the other links, or write to another path)"
    )
  }
}

/// The outputs of one command run. Every output path is checked when the command line is
/// parsed, before any work: its directory exists and is writable, it is not a directory, a
/// block device or a file with several hard links, and it names neither an input nor another
/// output. Each regular file is then locked for the run (``OutputSession/release()`` unlocks),
/// written to a temporary in its directory and put in place together with the others by
/// ``commit()`` once everything succeeded; a failing run calls ``abandon()`` and every earlier
/// file keeps its bytes. A file the run also reads (`--continue M --save-model M`) is replaced
/// only if it is still the file that was read. Checkpoints are the one output committed as
/// they are taken (``writeNow(_:_:option:)``), which is their purpose.
final class OutputSession {
  private(set) var inputs: [(label: String, identity: FileIdentity)] = []
  private(set) var outputs: [OutputTarget] = []
  private var staged: [(fd: Int32, temp: String, target: OutputTarget)] = []
  private var locks: [(path: String, fd: Int32)] = []
  /// Files this run reads and writes back: the stamp each must still have when replaced (the
  /// one it had when the run locked it, then the one of the run's own last write).
  private var expected: [(path: String, stamp: FileStamp, input: String)] = []

  init() {}

  deinit {
    abandon()
    release()
  }

  /// Records an input (a path or `-`) so no output can replace it. A missing input is left
  /// for its reader to report.
  func input(_ option: String, _ path: String) {
    var info = hb_sys_file_info()
    let rc = path.isBytes("-") ? hb_sys_fstat(0, &info) : hb_sys_stat(path, &info)
    guard rc == 0, Int(info.kind) == Int(HB_SYS_KIND_REGULAR) else { return }
    inputs.append(
      ("\(option) \(path)", FileIdentity(device: info.device, inode: info.inode)))
  }

  /// Checks, records and locks an output. `mayBe` names the input options this output may
  /// replace (`--checkpoint C --resume C` updates a checkpoint in place); such a file is
  /// stamped once locked, before the command reads it.
  @discardableResult
  func output(_ option: String?, _ path: String, mayBe allowed: [String] = []) throws(CLIError)
    -> OutputTarget
  {
    let t = try OutputTarget.resolve(path, option: option)
    if t.kind == .stdout, let other = outputs.first(where: { $0.kind == .stdout }) {
      throw .usage("\(t.label): standard output is already taken by \(other.label)")
    }
    var writesBack: String? = nil
    if let id = t.identity {
      for i in inputs where i.identity == id {
        if allowed.contains(where: { i.label.hasBytePrefix($0 + " ") }) {
          writesBack = i.label
          continue
        }
        throw .usage("\(t.label): is the same file as the input \(i.label); choose another output")
      }
    }
    if t.kind != .stdout {
      for o in outputs
      where o.path.isBytes(t.path) || (t.identity != nil && o.identity == t.identity) {
        throw .usage("\(t.label): is also written by \(o.label)")
      }
    }
    if t.kind == .replace {
      try lock(t)
      if let input = writesBack {
        var info = hb_sys_file_info()
        let rc = hb_sys_stat(t.path, &info)
        if rc < 0 { throw .data(Files.errno(Int(rc), t.label)) }
        expected.append((t.path, FileStamp(info), input))
      }
    }
    outputs.append(t)
    return t
  }

  private func lock(_ t: OutputTarget) throws(CLIError) {
    let fd = hb_sys_lock(t.path)
    if fd == -11 {
      let what = t.option.map { $0.isBytes("--checkpoint") } == true ? "checkpoint" : "file"
      throw .data(
        "\(t.label): another process is writing this \(what) (\(t.userPath).lock is locked)")
    }
    if fd == -17 {
      throw .data(
        "\(t.label): \(t.userPath).lock exists and is not empty, so it is not a lock this tool made (remove it, or write to another path)"
      )
    }
    if fd < 0 { throw .data(Files.errno(Int(fd), t.userPath + ".lock")) }
    locks.append((t.path, fd))
  }

  /// Unlocks every output (after ``commit()`` or ``abandon()``).
  func release() {
    for (path, fd) in locks { hb_sys_unlock(path, fd) }
    locks.removeAll()
  }

  /// The checked target of `path`, or a newly checked one for an output the command line
  /// did not declare.
  func target(_ path: String, option: String? = nil) throws(CLIError) -> OutputTarget {
    if let t = outputs.first(where: {
      $0.userPath.isBytes(path) && (option == nil || $0.option.map { $0.isBytes(option!) } == true)
    }) {
      return t
    }
    return try output(option, path)
  }

  /// Whether an output goes to stdout (the summary then goes to stderr).
  var writesStdout: Bool { outputs.contains { $0.kind == .stdout } }

  func stage(fd: Int32, temp: String, target: OutputTarget) {
    staged.append((fd, temp, target))
  }

  /// Refuses to replace a file that has gained hard links, or that this run writes back and
  /// that is no longer the file it read.
  private func check(_ target: OutputTarget) throws(CLIError) {
    var info = hb_sys_file_info()
    let rc = hb_sys_stat(target.path, &info)
    if rc < 0 { throw .data(Files.errno(Int(rc), target.label)) }
    if Int(info.kind) == Int(HB_SYS_KIND_REGULAR) && info.links > 1 {
      throw OutputTarget.hardLinked(target.label, info.links)
    }
    guard let e = expected.first(where: { $0.path.isBytes(target.path) }) else { return }
    if Int(info.kind) != Int(HB_SYS_KIND_REGULAR) || FileStamp(info) != e.stamp {
      throw .data(
        "\(target.label): the file changed after this run read it (\(e.input)); nothing was written, to keep the other update (run again on the new file)"
      )
    }
  }

  /// Puts every staged temporary in place of its target, after checking all of them.
  func commit() throws(CLIError) {
    try commit(staged.indices.map { $0 })
  }

  private func commit(_ which: [Int]) throws(CLIError) {
    do throws(CLIError) {
      for i in which { try check(staged[i].target) }
    } catch {
      abandon()
      throw error
    }
    var done: [Int] = []
    for i in which {
      let (fd, temp, target) = staged[i]
      var written = hb_sys_file_info()
      let rc = hb_sys_temp_commit(fd, temp, target.path, &written)
      done.append(i)
      if rc != 0 {
        for j in done.reversed() { staged.remove(at: j) }
        let message = Files.errno(Int(rc), target.label)
        abandon()
        throw .data(message)
      }
      for e in expected.indices where expected[e].path.isBytes(target.path) {
        expected[e].stamp = FileStamp(written)
      }
    }
    for j in done.sorted().reversed() { staged.remove(at: j) }
  }

  /// Removes every staged temporary: the targets keep their old content.
  func abandon() {
    for (fd, temp, _) in staged { hb_sys_temp_discard(fd, temp) }
    staged.removeAll()
  }

  /// A whole output file, committed with the run.
  func write(_ path: String, _ bytes: [UInt8], option: String? = nil) throws(CLIError) {
    var out = try OutputFile(target: try target(path, option: option), session: self)
    try out.write(bytes)
    try out.close()
  }

  /// Puts one temporary in place now (consuming `fd`), with the same checks as ``commit()``:
  /// an output that a checkpoint commits as it goes.
  func commitNow(fd: Int32, temp: String, target: OutputTarget) throws(CLIError) {
    stage(fd: fd, temp: temp, target: target)
    try commit([staged.count - 1])
  }

  /// A whole output file, committed now (a checkpoint), with the same checks as ``commit()``.
  func writeNow(_ path: String, _ bytes: [UInt8], option: String? = nil) throws(CLIError) {
    try write(path, bytes, option: option)
    try commit([staged.count - 1])
  }
}
