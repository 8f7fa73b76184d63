import CHebbianSys
import Foundation
import Glibc
import Testing

/// A pipe on input is widened so that its writer runs ahead of the reader; anything else is
/// left as it is.
@Suite struct PipeWideningTests {
  @Test func aPipeIsWidenedToTheSizeAsked() throws {
    var fds: [Int32] = [0, 0]
    #expect(pipe(&fds) == 0)
    defer {
      close(fds[0])
      close(fds[1])
    }
    // F_GETPIPE_SZ (Linux: F_LINUX_SPECIFIC_BASE + 8), which Glibc's module leaves out.
    let getPipeSize: Int32 = 1032
    #expect(hb_sys_widen_pipe(fds[0], 1 << 20) == 1 << 20)
    #expect(fcntl(fds[0], getPipeSize) == 1 << 20)
  }

  /// A writer may widen its pipe beyond what the reader asks; the reader keeps it so.
  @Test func aWiderPipeIsNotNarrowed() throws {
    var fds: [Int32] = [0, 0]
    #expect(pipe(&fds) == 0)
    defer {
      close(fds[0])
      close(fds[1])
    }
    let getPipeSize: Int32 = 1032
    #expect(hb_sys_widen_pipe(fds[0], 1 << 20) == 1 << 20)
    #expect(hb_sys_widen_pipe(fds[0], 1 << 16) == 1 << 20)
    #expect(fcntl(fds[0], getPipeSize) == 1 << 20)
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
