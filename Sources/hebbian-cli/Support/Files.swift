import CHebbianSys

/// The CLI's file layer over the libc shim. Everything that touches the file system goes
/// through here, so the rest of the tool is platform-free.
enum Files {
  static func errno(_ code: Int, _ path: String) -> String {
    let msg = String(cString: hb_sys_strerror(Int32(truncatingIfNeeded: code)))
    return "\(path): \(msg)"
  }

  /// Reads a whole (small) file: patterns, cues, checkpoints. `limit` guards against
  /// accidentally slurping a huge file.
  static func readAll(_ path: String, limit: Int = 1 << 30) throws(CLIError) -> [UInt8] {
    var input = try InputFile(path: path)
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let n = try input.read(into: &chunk)
      if n == 0 { break }
      bytes.append(contentsOf: chunk[0..<n])
      if bytes.count > limit { throw .data("\(path): larger than \(limit) bytes") }
    }
    return bytes
  }

  /// Writes `bytes` so that `path` holds either its old content or all of the new one, even
  /// across a power cut, committed now (checkpoints): an exclusive temporary beside the
  /// target, fsync, rename, fsync of the directory. Devices and FIFOs are written into.
  static func writeAtomically(_ path: String, _ bytes: [UInt8], option: String? = nil)
    throws(CLIError)
  {
    var out = try OutputFile(target: try OutputTarget.resolve(path, option: option), session: nil)
    try out.write(bytes)
    try out.close()
  }

  /// A whole file written now (test fixtures, files outside a command run); the same safe
  /// path as ``writeAtomically(_:_:option:)``.
  static func write(_ path: String, _ bytes: [UInt8]) throws(CLIError) {
    try writeAtomically(path, bytes)
  }

  /// The directory part of a path, for messages.
  static func directory(of path: String) -> String {
    guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "." }
    if slash == path.utf8.startIndex { return "/" }
    return String(path[..<slash])
  }

  /// An exclusive lock beside `target` (`C.lock`) held while a run writes a checkpoint, so a
  /// second process cannot interleave its checkpoints with this one's.
  static func lock(_ target: OutputTarget) throws(CLIError) -> Int32? {
    guard target.kind == .replace else { return nil }
    let fd = hb_sys_lock(target.path)
    if fd == -11 {
      throw .data(
        "\(target.label): another process is writing this checkpoint (\(target.userPath).lock is locked)"
      )
    }
    if fd < 0 { throw .data(errno(Int(fd), target.label + ".lock")) }
    return fd
  }

  static func unlock(_ target: OutputTarget, _ fd: Int32?) {
    if let fd { hb_sys_unlock(target.path, fd) }
  }
}

/// A readable file or stdin ("-"), read in caller-sized chunks so memory does not depend on
/// the stream length.
struct InputFile: ~Copyable {
  let fd: Int32
  let path: String
  private let owned: Bool

  init(path: String) throws(CLIError) {
    self.path = path
    if path == "-" {
      fd = 0
      owned = false
    } else {
      let r = hb_sys_open(path, Int32(HB_SYS_READ))
      if r < 0 { throw .data(Files.errno(Int(r), path)) }
      fd = r
      owned = true
    }
  }

  deinit { if owned { _ = hb_sys_close(fd) } }

  /// Fills the front of `buffer`; returns the number of bytes read (0 at end of file).
  mutating func read(into buffer: inout [UInt8]) throws(CLIError) -> Int {
    let n = buffer.withUnsafeMutableBytes { hb_sys_read(fd, $0.baseAddress, $0.count) }
    if n < 0 { throw .data(Files.errno(Int(n), path)) }
    return Int(n)
  }
}

/// A buffered output: stdout, a device or FIFO written directly, or a regular file written
/// to an exclusive temporary beside its target. ``close()`` stages the temporary in the run's
/// ``OutputSession`` (renamed when the run commits) or, without a session, renames it at once.
/// Until then, and if the command fails first, the target keeps its old content. On a pipe,
/// FIFO, terminal or device every write is flushed at once, so a live consumer sees each row
/// as it is produced.
struct OutputFile: ~Copyable {
  let fd: Int32
  let target: OutputTarget
  /// Each write reaches the descriptor at once.
  let live: Bool
  private let temp: String?
  private let session: OutputSession?
  private var buffer: [UInt8] = []
  private var closed = false

  var path: String { target.userPath }

  init(target: OutputTarget, session: OutputSession?) throws(CLIError) {
    self.target = target
    self.session = session
    switch target.kind {
    case .stdout:
      fd = 1
      temp = nil
      var info = hb_sys_file_info()
      live = hb_sys_fstat(1, &info) != 0 || Int(info.kind) != Int(HB_SYS_KIND_REGULAR)
    case .direct:
      let r = hb_sys_open(target.path, Int32(HB_SYS_WRITE_EXISTING))
      if r < 0 { throw .data(Files.errno(Int(r), target.label)) }
      fd = r
      temp = nil
      live = true
    case .replace:
      var name = [CChar](repeating: 0, count: 4200)
      let r = hb_sys_create_temp(target.path, &name, name.count)
      if r < 0 { throw .data(Files.errno(Int(r), target.label)) }
      fd = r
      temp = String(cString: name)
      live = false
    }
    buffer.reserveCapacity(1 << 16)
  }

  /// An output the command line did not declare, checked now, renamed over its target by
  /// ``close()``.
  init(path: String) throws(CLIError) {
    try self.init(target: try OutputTarget.resolve(path, option: nil), session: nil)
  }

  mutating func write(_ bytes: [UInt8]) throws(CLIError) {
    buffer.append(contentsOf: bytes)
    if live || buffer.count >= 1 << 16 { try flush() }
  }

  mutating func write(_ s: String) throws(CLIError) {
    buffer.append(contentsOf: s.utf8)
    if live || buffer.count >= 1 << 16 { try flush() }
  }

  mutating func write(floats: UnsafeBufferPointer<Float>) throws(CLIError) {
    // f32 files are little-endian; every supported target is.
    buffer.append(contentsOf: UnsafeRawBufferPointer(floats))
    if live || buffer.count >= 1 << 16 { try flush() }
  }

  mutating func flush() throws(CLIError) {
    if buffer.isEmpty { return }
    let rc = buffer.withUnsafeBytes { hb_sys_write_all(fd, $0.baseAddress, $0.count) }
    buffer.removeAll(keepingCapacity: true)
    if rc != 0 { throw .data(Files.errno(Int(rc), target.label)) }
  }

  mutating func close() throws(CLIError) {
    if closed { return }
    try flush()
    closed = true
    guard target.kind != .stdout else { return }
    var rc: Int32 = 0
    if temp != nil { rc = hb_sys_fsync(fd) }
    let closeRC = hb_sys_close(fd)
    if rc == 0 { rc = closeRC }
    guard let t = temp else {
      if rc != 0 { throw .data(Files.errno(Int(rc), target.label)) }
      return
    }
    if rc == 0 {
      if let s = session {
        s.stage(temp: t, target: target)
        return
      }
      rc = hb_sys_rename(t, target.path)
    }
    if rc != 0 {
      _ = hb_sys_unlink(t)
      hb_sys_forget_temp(t)
      throw .data(Files.errno(Int(rc), target.label))
    }
    hb_sys_forget_temp(t)
    _ = hb_sys_fsync_parent_dir(target.path)
  }

  deinit {
    if !closed {
      if target.kind != .stdout { _ = hb_sys_close(fd) }
      // Abandoned (the command failed): the target keeps its old content.
      if let t = temp {
        _ = hb_sys_unlink(t)
        hb_sys_forget_temp(t)
      }
    }
  }
}
