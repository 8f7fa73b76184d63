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
  /// across a power cut: temp file in the same directory, fsync, rename, fsync of the
  /// directory.
  static func writeAtomically(_ path: String, _ bytes: [UInt8]) throws(CLIError) {
    let temp = path + ".tmp." + String(hb_sys_getpid())
    let fd = hb_sys_open(temp, Int32(HB_SYS_WRITE_TRUNCATE))
    if fd < 0 { throw .data(errno(Int(fd), temp)) }
    var rc = bytes.withUnsafeBytes { hb_sys_write_all(fd, $0.baseAddress, $0.count) }
    if rc == 0 { rc = hb_sys_fsync(fd) }
    let closeRC = hb_sys_close(fd)
    if rc == 0 { rc = closeRC }
    if rc == 0 { rc = hb_sys_rename(temp, path) }
    if rc != 0 {
      _ = hb_sys_unlink(temp)
      throw .data(errno(Int(rc), path))
    }
    _ = hb_sys_fsync_parent_dir(path)
  }

  /// Plain (non-atomic) write of a whole file, for outputs such as projections and plots.
  static func write(_ path: String, _ bytes: [UInt8]) throws(CLIError) {
    var out = try OutputFile(path: path)
    try out.write(bytes)
    try out.close()
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

/// A buffered output file or stdout ("-"). An `atomic` file is written to a temporary file
/// beside `path` and renamed over it by ``close()``, so until then (and if the command fails
/// first) `path` keeps its old content.
struct OutputFile: ~Copyable {
  let fd: Int32
  let path: String
  private let owned: Bool
  private let temp: String?
  private var buffer: [UInt8] = []
  private var closed = false

  init(path: String, atomic: Bool = false) throws(CLIError) {
    self.path = path
    if path == "-" {
      fd = 1
      owned = false
      temp = nil
    } else {
      let target = atomic ? path + ".tmp." + String(hb_sys_getpid()) : path
      temp = atomic ? target : nil
      let r = hb_sys_open(target, Int32(HB_SYS_WRITE_TRUNCATE))
      if r < 0 { throw .data(Files.errno(Int(r), target)) }
      fd = r
      owned = true
    }
    buffer.reserveCapacity(1 << 16)
  }

  mutating func write(_ bytes: [UInt8]) throws(CLIError) {
    buffer.append(contentsOf: bytes)
    if buffer.count >= 1 << 16 { try flush() }
  }

  mutating func write(_ s: String) throws(CLIError) {
    buffer.append(contentsOf: s.utf8)
    if buffer.count >= 1 << 16 { try flush() }
  }

  mutating func write(floats: UnsafeBufferPointer<Float>) throws(CLIError) {
    // f32 files are little-endian; every supported target is.
    buffer.append(contentsOf: UnsafeRawBufferPointer(floats))
    if buffer.count >= 1 << 16 { try flush() }
  }

  mutating func flush() throws(CLIError) {
    if buffer.isEmpty { return }
    let rc = buffer.withUnsafeBytes { hb_sys_write_all(fd, $0.baseAddress, $0.count) }
    buffer.removeAll(keepingCapacity: true)
    if rc != 0 { throw .data(Files.errno(Int(rc), path)) }
  }

  mutating func close() throws(CLIError) {
    try flush()
    if owned && !closed {
      closed = true
      var rc: Int32 = 0
      if temp != nil { rc = hb_sys_fsync(fd) }
      let closeRC = hb_sys_close(fd)
      if rc == 0 { rc = closeRC }
      if let t = temp {
        if rc == 0 { rc = hb_sys_rename(t, path) }
        if rc != 0 { _ = hb_sys_unlink(t) }
      }
      if rc != 0 { throw .data(Files.errno(Int(rc), path)) }
      if temp != nil { _ = hb_sys_fsync_parent_dir(path) }
    }
  }

  deinit {
    if owned && !closed {
      _ = hb_sys_close(fd)
      // Abandoned (the command failed): the old file at `path` stays as it was.
      if let t = temp { _ = hb_sys_unlink(t) }
    }
  }
}
