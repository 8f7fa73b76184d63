import CHebbianSys
import Foundation
import Glibc
import Testing

/// A pipe on input is widened so that its writer runs ahead of the reader; anything else is
/// left as it is.
@Suite struct PipeWideningTests {
  // F_GETPIPE_SZ (Linux: F_LINUX_SPECIFIC_BASE + 8), which Glibc's module leaves out.
  let getPipeSize: Int32 = 1032

  /// The reading end of a new pipe, closed with its writing end after `body`.
  func withPipe(_ body: (Int32) -> Void) {
    var fds: [Int32] = [0, 0]
    #expect(pipe(&fds) == 0)
    defer {
      close(fds[0])
      close(fds[1])
    }
    body(fds[0])
  }

  @Test func aPipeIsWidenedToTheSizeAsked() throws {
    withPipe { fd in
      #expect(hb_sys_widen_pipe(fd, 1 << 20) == 1 << 20)
      #expect(fcntl(fd, getPipeSize) == 1 << 20)
    }
  }

  /// A writer may widen its pipe beyond what the reader asks; the reader keeps it so.
  @Test func aWiderPipeIsNotNarrowed() throws {
    withPipe { fd in
      #expect(hb_sys_widen_pipe(fd, 1 << 20) == 1 << 20)
      #expect(hb_sys_widen_pipe(fd, 1 << 16) == 1 << 20)
      #expect(fcntl(fd, getPipeSize) == 1 << 20)
    }
  }

  @Test func aRegularFileIsLeftAlone() throws {
    let path = NSTemporaryDirectory() + "hebbian-widen-\(getpid()).csv"
    FileManager.default.createFile(atPath: path, contents: Data("1,2\n".utf8))
    defer { unlink(path) }
    let fd = open(path, O_RDONLY)
    defer { close(fd) }
    #expect(hb_sys_widen_pipe(fd, 1 << 20) == 0)
  }
}
