import CHebbianSys
import Hebbian

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

  /// A model or checkpoint file, read in bounded steps: its header (magic, version) first, so
  /// anything that is not a model fails after a dozen bytes; then a regular file's size is
  /// checked against the memory budget before its body is read, and any other file (a FIFO,
  /// a device) is read up to that budget. Sizes are Int64 on every target.
  static func readModel(_ path: String) throws(CLIError) -> [UInt8] {
    let limit = Int64(MemoryBudget.bytes)
    var input = try InputFile(path: path)
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: ModelFile.headerBytes)
    while bytes.count < ModelFile.headerBytes {
      let n = try input.read(into: &chunk)
      if n == 0 { break }
      bytes.append(contentsOf: chunk[0..<Swift.min(n, ModelFile.headerBytes - bytes.count)])
      chunk = [UInt8](repeating: 0, count: ModelFile.headerBytes - bytes.count)
    }
    do throws(HebbianError) {
      try ModelFile.checkHeader(bytes)
    } catch {
      throw .data("\(path): \(error.message)")
    }
    var info = hb_sys_file_info()
    if hb_sys_fstat(input.fd, &info) == 0 && Int(info.kind) == Int(HB_SYS_KIND_REGULAR)
      && info.size > limit
    {
      throw .data(
        "\(path): a model file of \(info.size) bytes, above the memory budget of \(limit >> 20) MiB"
      )
    }
    chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let n = try input.read(into: &chunk)
      if n == 0 { break }
      if Int64(bytes.count) + Int64(n) > limit {
        throw .data("\(path): larger than the memory budget of \(limit >> 20) MiB for a model file")
      }
      bytes.append(contentsOf: chunk[0..<n])
    }
    return bytes
  }

  /// Writes `bytes` so that `path` holds either its old content or all of the new one, even
  /// across a power cut, committed now: the output discipline of a command run (lock, a
  /// temporary in the target's directory, fsync, rename, fsync of the directory) for a file
  /// written outside one (test fixtures). Devices and FIFOs are written into.
  static func writeAtomically(_ path: String, _ bytes: [UInt8], option: String? = nil)
    throws(CLIError)
  {
    let session = OutputSession()
    defer { session.release() }
    try session.write(path, bytes, option: option)
    try session.commit()
  }

  /// A whole file written now; the same safe path as ``writeAtomically(_:_:option:)``.
  static func write(_ path: String, _ bytes: [UInt8]) throws(CLIError) {
    try writeAtomically(path, bytes)
  }

  /// The directory part of a path, for messages.
  static func directory(of path: String) -> String {
    guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "." }
    if slash == path.utf8.startIndex { return "/" }
    return String(path[..<slash])
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
    if path.isBytes("-") {
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

  /// The size of a regular file; nil for anything else (a pipe, a device, a missing path),
  /// whose length is not known before it is read.
  static func size(of path: String) -> Int64? {
    var info = hb_sys_file_info()
    guard hb_sys_stat(path, &info) == 0, Int(info.kind) == Int(HB_SYS_KIND_REGULAR) else {
      return nil
    }
    return info.size
  }

  /// Fills the front of `buffer`; returns the number of bytes read (0 at end of file).
  mutating func read(into buffer: inout [UInt8]) throws(CLIError) -> Int {
    let n = buffer.withUnsafeMutableBytes { hb_sys_read(fd, $0.baseAddress, $0.count) }
    if n < 0 { throw .data(Files.errno(Int(n), path)) }
    return Int(n)
  }
}

/// A buffered output: stdout, a device or FIFO written directly, or a regular file written
/// to a temporary in its target's directory. ``close()`` stages the temporary in the run's
/// ``OutputSession``, which puts it in place when the run commits. Until then, and if the
/// command fails first, the target keeps its old content. On a pipe, FIFO, terminal or device
/// every write is flushed at once, so a live consumer sees each row as it is produced.
struct OutputFile: ~Copyable {
  let fd: Int32
  let target: OutputTarget
  /// Each write reaches the descriptor at once.
  let live: Bool
  /// Bytes of the output so far: those kept from an earlier run plus those written.
  private(set) var length: Int64 = 0
  /// The temporary's name ("" when it has none: O_TMPFILE).
  private let temp: String?
  /// A regular file written in its place: after ``commitSoFar()``, or kept from an earlier
  /// run (``init(target:keeping:session:)``).
  private var inPlace = false
  private let session: OutputSession
  private var buffer: [UInt8] = []
  private var closed = false

  var path: String { target.userPath }

  init(target: OutputTarget, session: OutputSession) throws(CLIError) {
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
      let r = hb_sys_temp_open(target.path, &name, name.count)
      if r < 0 { throw .data(Files.errno(Int(r), target.label)) }
      fd = r
      temp = String(cString: name)
      live = false
    }
    buffer.reserveCapacity(1 << 16)
  }

  /// Appends to the regular file `target` after its first `keep` bytes, which an earlier run
  /// committed (``commitSoFar()``); any bytes past them are cut. Fails when the file holds
  /// fewer.
  init(target: OutputTarget, keeping keep: Int64, session: OutputSession) throws(CLIError) {
    self.target = target
    self.session = session
    let r = hb_sys_open_keeping(target.path, keep)
    if r == -34 /* ERANGE */ {
      throw .data(
        "\(target.label): holds fewer than the \(keep) bytes the checkpoint committed to it (not the file that run wrote?)"
      )
    }
    if r < 0 { throw .data(Files.errno(Int(r), target.label)) }
    fd = r
    temp = nil
    live = false
    inPlace = true
    length = keep
    buffer.reserveCapacity(1 << 16)
  }

  /// Makes everything written so far durable in the target itself, so that a checkpoint can
  /// record ``length``: the first call puts the temporary in place (with the checks of the
  /// session's commit), and later writes go on in place. A device, FIFO or stdout only
  /// flushes. Returns ``length``.
  mutating func commitSoFar() throws(CLIError) -> Int64 {
    try flush()
    guard target.kind == .replace else { return length }
    if inPlace {
      let rc = hb_sys_fsync(fd)
      if rc != 0 { throw .data(Files.errno(Int(rc), target.label)) }
      return length
    }
    // The commit consumes a descriptor; this one goes on writing the same file.
    let copy = hb_sys_dup(fd)
    if copy < 0 { throw .data(Files.errno(Int(copy), target.label)) }
    try session.commitNow(fd: copy, temp: temp ?? "", target: target)
    inPlace = true
    return length
  }

  mutating func write(_ bytes: [UInt8]) throws(CLIError) {
    buffer.append(contentsOf: bytes)
    length += Int64(bytes.count)
    if live || buffer.count >= 1 << 16 { try flush() }
  }

  mutating func write(_ s: String) throws(CLIError) {
    buffer.append(contentsOf: s.utf8)
    length += Int64(s.utf8.count)
    if live || buffer.count >= 1 << 16 { try flush() }
  }

  mutating func write(floats: UnsafeBufferPointer<Float>) throws(CLIError) {
    // f32 files are little-endian; every supported target is.
    buffer.append(contentsOf: UnsafeRawBufferPointer(floats))
    length += Int64(floats.count * 4)
    if live || buffer.count >= 1 << 16 { try flush() }
  }

  mutating func flush() throws(CLIError) {
    if buffer.isEmpty { return }
    let rc = buffer.withUnsafeBytes { hb_sys_write_all(fd, $0.baseAddress, $0.count) }
    buffer.removeAll(keepingCapacity: true)
    if rc != 0 { throw .data(Files.errno(Int(rc), target.label)) }
  }

  /// Flushes; a temporary then waits in the session for the run's commit.
  mutating func close() throws(CLIError) {
    if closed { return }
    try flush()
    closed = true
    switch target.kind {
    case .stdout: return
    case .direct:
      let rc = hb_sys_close(fd)
      if rc != 0 { throw .data(Files.errno(Int(rc), target.label)) }
    case .replace:
      if inPlace {
        var rc = hb_sys_fsync(fd)
        let closeRC = hb_sys_close(fd)
        if rc == 0 { rc = closeRC }
        if rc != 0 { throw .data(Files.errno(Int(rc), target.label)) }
        return
      }
      session.stage(fd: fd, temp: temp ?? "", target: target)
    }
  }

  deinit {
    if !closed {
      // Abandoned (the command failed): the target keeps its old content.
      switch target.kind {
      case .stdout: break
      case .direct: _ = hb_sys_close(fd)
      case .replace:
        // Rows already in place stay: a checkpoint may have recorded them.
        if inPlace { _ = hb_sys_close(fd) } else { hb_sys_temp_discard(fd, temp ?? "") }
      }
    }
  }
}
