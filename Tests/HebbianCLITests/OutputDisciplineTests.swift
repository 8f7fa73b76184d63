import Foundation
import Glibc
import Hebbian
import Testing

@testable import HebbianCLI

/// No run ever destroys a file: outputs never replace an input, a device or a symlink; they
/// are checked before any work and committed together; a failing, refused or interrupted run
/// leaves every earlier file byte for byte. Each case is a reproducer of a past defect, run
/// against the built binary (debug or release, whichever the suite was built as).
@Suite(.serialized) struct OutputDisciplineTests {
  let common = ["pca", "--format", "f32", "--dim", "5", "--components", "2", "--quiet"]

  func fixture() throws -> (dir: String, input: String, bytes: [UInt8]) {
    let dir = temporaryDirectory()
    let bytes = f32Bytes(seededStream(samples: 600, dimension: 5, seed: 21))
    try Files.write(dir + "/in.f32", bytes)
    return (dir, dir + "/in.f32", bytes)
  }

  func entries(_ dir: String) -> [String] { directoryEntries(dir) }

  /// An output naming the input (directly, through another spelling, or through a symlink) is
  /// refused before anything is read, and the input is untouched.
  @Test func outputsNeverReplaceAnInput() throws {
    let (dir, input, bytes) = try fixture()
    try FileManager.default.createSymbolicLink(
      atPath: dir + "/alias.f32", withDestinationPath: input)
    for (option, path) in [
      ("--project", input), ("--save-components", input), ("--checkpoint", input),
      ("--save-model", dir + "/./in.f32"), ("--project", dir + "/alias.f32"),
    ] {
      let r = try spawnHebbian(common + ["--input", input, option, path], in: dir)
      #expect(r.status == 2, "\(option) \(path): \(r.stderr)")
      #expect(
        r.stderr
          == "hebbian pca: error: \(option) \(path): is the same file as the input --input \(input); choose another output\n"
      )
      #expect(fileBytes(input) == bytes)
    }
    // stdin redirected from the file is the same input.
    let r = try spawnHebbian(
      ["pca", "--input", "-", "--format", "f32", "--dim", "5", "--quiet", "--project", input],
      stdinFile: input, in: dir)
    #expect(r.status == 2)
    #expect(r.stderr.hasSuffix("is the same file as the input --input -; choose another output\n"))
    #expect(fileBytes(input) == bytes)
    #expect(entries(dir) == ["alias.f32", "in.f32"])
  }

  /// Devices and FIFOs are written into, symlinks written through, `-` is stdout for every
  /// output option.
  @Test func nonRegularTargetsAreWrittenNotReplaced() throws {
    let (dir, input, _) = try fixture()
    // /dev/null stays the device.
    let r1 = try spawnHebbian(common + ["--input", input, "--project", "/dev/null"], in: dir)
    #expect(r1.status == 0, "\(r1.stderr)")
    var st = stat()
    #expect(stat("/dev/null", &st) == 0 && (st.st_mode & S_IFMT) == S_IFCHR)
    // A symlinked output: the link stays a link, its target gets the content.
    writeText(dir + "/target.csv", "old\n")
    try FileManager.default.createSymbolicLink(
      atPath: dir + "/link.csv", withDestinationPath: "target.csv")
    let r2 = try spawnHebbian(common + ["--input", input, "--project", dir + "/link.csv"], in: dir)
    #expect(r2.status == 0, "\(r2.stderr)")
    #expect(lstat(dir + "/link.csv", &st) == 0 && (st.st_mode & S_IFMT) == S_IFLNK)
    let rows = String(decoding: fileBytes(dir + "/target.csv") ?? [], as: UTF8.self)
    #expect(rows.split(separator: "\n").count == 600)
    // A FIFO: read by a reader thread, never replaced by a regular file.
    #expect(mkfifo(dir + "/pipe", 0o644) == 0)
    nonisolated(unsafe) var received = 0
    let reader = Thread {
      let h = FileHandle(forReadingAtPath: dir + "/pipe")!
      received = h.readDataToEndOfFile().count
    }
    reader.start()
    let r3 = try spawnHebbian(common + ["--input", input, "--project", dir + "/pipe"], in: dir)
    #expect(r3.status == 0, "\(r3.stderr)")
    while !reader.isFinished { usleep(1000) }
    #expect(received == rows.utf8.count)
    #expect(stat(dir + "/pipe", &st) == 0 && (st.st_mode & S_IFMT) == S_IFIFO)
    // `-`: the components on stdout (2 x 5 float32), the summary on stderr (none with
    // --quiet: nothing on stderr but errors).
    let loud = common.filter { $0 != "--quiet" }
    let r4 = try spawnHebbian(loud + ["--input", input, "--save-components", "-"], in: dir)
    #expect(r4.status == 0)
    #expect(fileBytes(dir + "/.stdout")?.count == 2 * 5 * 4)
    #expect(r4.stderr.contains("components written    -"))
    let quiet = try spawnHebbian(common + ["--input", input, "--save-components", "-"], in: dir)
    #expect(quiet.status == 0 && quiet.stderr.isEmpty)
    #expect(!FileManager.default.fileExists(atPath: dir + "/-"))
    // Two outputs cannot share stdout, nor one file.
    let r5 = try spawnHebbian(
      common + ["--input", input, "--save-components", "-", "--project", "-"], in: dir)
    #expect(
      r5.stderr
        == "hebbian pca: error: --project -: standard output is already taken by --save-components -\n"
    )
    let r6 = try spawnHebbian(
      common + ["--input", input, "--save-components", dir + "/w", "--save-model", dir + "/w"],
      in: dir)
    #expect(
      r6.stderr.hasSuffix("--save-model \(dir)/w: is also written by --save-components \(dir)/w\n"))
  }

  /// With stderr closed, nothing the run opens lands on descriptor 2: the projections hold
  /// rows only.
  @Test func closedStandardDescriptorsAreReopened() throws {
    let (dir, input, _) = try fixture()
    let exe = hebbianExecutable()
    let cmd =
      "exec 2>&-; '\(exe)' pca --input '\(input)' --format f32 --dim 5 --components 2 --project '\(dir)/p.csv'"
    let r = try spawnProcess("/bin/sh", ["-c", cmd], in: dir)
    #expect(r.status == 0)
    let text = String(decoding: fileBytes(dir + "/p.csv") ?? [], as: UTF8.self)
    let lines = text.split(separator: "\n")
    #expect(lines.count == 600)
    #expect(lines.allSatisfy { $0.split(separator: ",").count == 2 })
  }

  /// A run that fails while writing one output commits none of them; one refused for a bad
  /// output path fails before reading its input (a stdin stream is not consumed for nothing);
  /// messages name the user's path, never a temporary.
  @Test func failedRunsCommitNothing() throws {
    let (dir, input, _) = try fixture()
    let ok = try spawnHebbian(
      common + [
        "--input", input, "--save-components", dir + "/w.f32", "--save-model", dir + "/m.hbm",
      ],
      in: dir)
    #expect(ok.status == 0)
    let w = fileBytes(dir + "/w.f32")!
    let m = fileBytes(dir + "/m.hbm")!
    // /dev/full accepts the open and fails every write (ENOSPC): a full disk.
    let full = try spawnHebbian(
      common + [
        "--input", input, "--eta", "4", "--save-components", dir + "/w.f32", "--save-model",
        dir + "/m.hbm", "--project", "/dev/full",
      ], in: dir)
    #expect(full.status == 1)
    #expect(full.stderr == "hebbian pca: error: --project /dev/full: No space left on device\n")
    #expect(fileBytes(dir + "/w.f32") == w)
    #expect(fileBytes(dir + "/m.hbm") == m)
    #expect(entries(dir) == ["in.f32", "m.hbm", "w.f32"])
    // A missing directory is reported before the stream is read.
    let r = try spawnHebbian(
      ["pca", "--input", "-", "--format", "f32", "--dim", "5", "--save-model", dir + "/no/m.hbm"],
      stdin: [1, 2, 3], in: dir)
    #expect(r.status == 1)
    #expect(
      r.stderr
        == "hebbian pca: error: --save-model \(dir)/no/m.hbm: the directory \(dir)/no does not exist\n"
    )
    let r2 = try spawnHebbian(common + ["--input", input, "--plot", dir], in: dir)
    #expect(r2.stderr == "hebbian pca: error: --plot \(dir): is a directory\n")
  }

  /// SIGTERM and SIGINT remove the run's temporaries and its locks, whether the temporaries
  /// are anonymous (O_TMPFILE) or named (HEBBIAN_NO_TMPFILE=1, as on a file system without
  /// it); the earlier output stays as it was.
  @Test(arguments: [false, true]) func signalsLeaveNoTemporaries(named: Bool) throws {
    for sig in [SIGTERM, SIGINT] {
      let (dir, _, _) = try fixture()
      writeText(dir + "/p.csv", "earlier\n")
      let (p, writer) = try startOnFIFO(
        [
          "pca", "--input", dir + "/feed", "--format", "f32", "--dim", "5", "--quiet",
          "--project", dir + "/p.csv", "--checkpoint", dir + "/c.hbm",
        ], in: dir, named: named)
      // The run has locked its outputs (and, with named temporaries, opened one) and waits.
      let namedTemp = { (e: [String]) in
        e.contains { $0.hasPrefix(".p.csv.") && $0.hasSuffix(".tmp") }
      }
      waitFor(dir) { e in
        e.contains("c.hbm.lock") && e.contains("p.csv.lock") && (!named || namedTemp(e))
      }
      #expect(entries(dir).contains("p.csv.lock"))
      #expect(entries(dir).contains("c.hbm.lock"))
      #expect(namedTemp(entries(dir)) == named)
      kill(p.processIdentifier, sig)
      p.waitUntilExit()
      close(writer)
      #expect(p.terminationReason == .uncaughtSignal)
      #expect(entries(dir) == ["feed", "in.f32", "p.csv"])
      #expect(fileBytes(dir + "/p.csv") == Array("earlier\n".utf8))
    }
  }

  /// --resume continues the same stream only: another file of the same width, another
  /// --batch, or a checkpoint at the end of its input is refused with what differs; a second
  /// process writing the same checkpoint is refused while the first holds it.
  @Test func resumeIdentityAndTheCheckpointLock() throws {
    let (dir, input, bytes) = try fixture()
    let first = try spawnHebbian(
      common + ["--input", input, "--checkpoint", dir + "/c.hbm", "--max-samples", "200"], in: dir)
    #expect(first.status == 0)
    let ckpt = fileBytes(dir + "/c.hbm")!
    try Files.write(dir + "/other.f32", Array(bytes.reversed()))
    let other = try spawnHebbian(
      common + [
        "--input", dir + "/other.f32", "--resume", dir + "/c.hbm", "--checkpoint", dir + "/c.hbm",
      ],
      in: dir)
    #expect(other.status == 1)
    #expect(
      other.stderr
        == "hebbian pca: error: \(dir)/c.hbm: \(dir)/other.f32 differs from the checkpoint's input in its first 65536 bytes (not the same input? --continue \(dir)/c.hbm learns new data)\n"
    )
    let batch = try spawnHebbian(
      common + ["--input", input, "--resume", dir + "/c.hbm", "--batch", "4"], in: dir)
    #expect(batch.status == 2)
    #expect(
      batch.stderr
        == "hebbian pca: error: --batch 4: --resume \(dir)/c.hbm was taken with --batch 1\n")
    #expect(fileBytes(dir + "/c.hbm") == ckpt)
    // Finish the stream, then try to resume the end checkpoint.
    let rest = try spawnHebbian(
      common + ["--input", input, "--resume", dir + "/c.hbm", "--checkpoint", dir + "/c.hbm"],
      in: dir)
    #expect(rest.status == 0, "\(rest.stderr)")
    let end = fileBytes(dir + "/c.hbm")!
    let again = try spawnHebbian(
      common + ["--input", input, "--resume", dir + "/c.hbm", "--checkpoint", dir + "/c.hbm"],
      in: dir)
    #expect(again.status == 1)
    #expect(
      again.stderr
        == "hebbian pca: error: \(dir)/c.hbm: the checkpoint is at the end of its input (600 samples, 1 pass): nothing left to learn; give more --passes, or train the model on new data with --continue \(dir)/c.hbm\n"
    )
    let stdinAgain = try spawnHebbian(
      ["pca", "--input", "-", "--format", "f32", "--dim", "5", "--resume", dir + "/c.hbm"],
      stdin: bytes, in: dir)
    #expect(stdinAgain.status == 1)
    #expect(
      stdinAgain.stderr.contains(
        "the checkpoint was taken from a file, this run reads a stream (stdin or a pipe)"))
    #expect(fileBytes(dir + "/c.hbm") == end)
    // The lock: a first run holds c2.hbm while it waits on a FIFO; a second is refused.
    #expect(mkfifo(dir + "/feed", 0o644) == 0)
    let holder = Process()
    holder.executableURL = URL(fileURLWithPath: hebbianExecutable())
    holder.arguments = [
      "pca", "--input", dir + "/feed", "--format", "f32", "--dim", "5", "--quiet", "--checkpoint",
      dir + "/c2.hbm",
    ]
    try holder.run()
    let writer = open(dir + "/feed", O_WRONLY)
    var waited = 0
    while !entries(dir).contains("c2.hbm.lock") && waited < 5000 {
      usleep(1000)
      waited += 1
    }
    let second = try spawnHebbian(
      common + ["--input", input, "--checkpoint", dir + "/c2.hbm"], in: dir)
    #expect(second.status == 1)
    #expect(
      second.stderr
        == "hebbian pca: error: --checkpoint \(dir)/c2.hbm: another process is writing this checkpoint (\(dir)/c2.hbm.lock is locked)\n"
    )
    _ = bytes.withUnsafeBytes { write(writer, $0.baseAddress, 4 * 5 * 100) }
    close(writer)
    holder.waitUntilExit()
    #expect(holder.terminationStatus == 0)
    #expect(!entries(dir).contains("c2.hbm.lock"))
  }

  /// A run stopped by --max-samples says where it stopped instead of dividing by the passes.
  @Test func maxSamplesSummaryNamesThePass() throws {
    let (dir, input, _) = try fixture()
    let r = try spawnHebbian(
      common + ["--input", input, "--passes", "2", "--max-samples", "10"], in: dir)
    #expect(r.status == 0)
    #expect(
      r.stdout.contains("samples               10 (stopped by --max-samples in pass 1 of 2)\n"))
  }

  /// --continue trains a saved model on a new stream; --resume would refuse that stream.
  @Test func continueLearnsANewStream() throws {
    let (dir, input, bytes) = try fixture()
    let half = 4 * 5 * 300
    try Files.write(dir + "/a.f32", Array(bytes[0..<half]))
    try Files.write(dir + "/b.f32", Array(bytes[half...]))
    let whole = try spawnHebbian(
      common + ["--input", input, "--save-components", dir + "/whole.f32"], in: dir)
    #expect(whole.status == 0)
    let a = try spawnHebbian(
      common + ["--input", dir + "/a.f32", "--save-model", dir + "/m.hbm"], in: dir)
    #expect(a.status == 0)
    let b = try spawnHebbian(
      [
        "pca", "--format", "f32", "--quiet", "--input", dir + "/b.f32", "--continue",
        dir + "/m.hbm",
        "--save-components", dir + "/cont.f32", "--save-model", dir + "/m.hbm",
      ], in: dir)
    #expect(b.status == 0, "\(b.stderr)")
    #expect(b.stdout.contains("samples               600\n"))
    #expect(b.stdout.contains("continued from"))
    // Same samples in the same order through the same arithmetic: the same components.
    #expect(fileBytes(dir + "/cont.f32") == fileBytes(dir + "/whole.f32"))
  }
}

/// Starts the binary on a FIFO `dir/feed` and opens the FIFO's writing end, so the run has
/// declared (and locked) its outputs and read its saved model, and waits for samples. `named`
/// forces named temporaries; `stderr` collects the run's messages.
func startOnFIFO(
  _ args: [String], in dir: String, named: Bool = false, stderr: String? = nil
) throws -> (Process, Int32) {
  #expect(mkfifo(dir + "/feed", 0o644) == 0)
  let p = Process()
  p.executableURL = URL(fileURLWithPath: hebbianExecutable())
  p.arguments = args
  if named {
    var env = ProcessInfo.processInfo.environment
    env["HEBBIAN_NO_TMPFILE"] = "1"
    p.environment = env
  }
  if let log = stderr {
    _ = FileManager.default.createFile(atPath: log, contents: nil)
    p.standardError = FileHandle(forWritingAtPath: log)
  }
  try p.run()
  let writer = open(dir + "/feed", O_WRONLY)
  #expect(writer >= 0)
  return (p, writer)
}

/// Waits (at most 10 s) until the entries of `dir` satisfy `done`.
func waitFor(_ dir: String, _ done: ([String]) -> Bool) {
  var waited = 0
  while !done(directoryEntries(dir)) && waited < 10_000 {
    usleep(1000)
    waited += 1
  }
}

/// The entries of `dir`, without the spawn helpers' .stdin/.stdout/.stderr.
func directoryEntries(_ dir: String) -> [String] {
  ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter {
    ![".stdin", ".stdout", ".stderr"].contains($0)
  }.sorted()
}

/// Runs the binary with stdin read from a file (so the child sees that file on descriptor 0).
func spawnHebbian(_ args: [String], stdinFile: String, in dir: String) throws -> CLIRun {
  let p = Process()
  p.executableURL = URL(fileURLWithPath: hebbianExecutable())
  p.arguments = args
  _ = FileManager.default.createFile(atPath: dir + "/.stdout", contents: nil)
  _ = FileManager.default.createFile(atPath: dir + "/.stderr", contents: nil)
  p.standardInput = FileHandle(forReadingAtPath: stdinFile)
  p.standardOutput = FileHandle(forWritingAtPath: dir + "/.stdout")
  p.standardError = FileHandle(forWritingAtPath: dir + "/.stderr")
  try p.run()
  p.waitUntilExit()
  defer {
    unlink(dir + "/.stdout")
    unlink(dir + "/.stderr")
  }
  return CLIRun(
    status: p.terminationStatus,
    stdout: String(decoding: fileBytes(dir + "/.stdout") ?? [], as: UTF8.self),
    stderr: String(decoding: fileBytes(dir + "/.stderr") ?? [], as: UTF8.self))
}

/// Runs any program and waits.
func spawnProcess(_ exe: String, _ args: [String], in dir: String) throws -> CLIRun {
  let p = Process()
  p.executableURL = URL(fileURLWithPath: exe)
  p.arguments = args
  p.currentDirectoryURL = URL(fileURLWithPath: dir)
  try p.run()
  p.waitUntilExit()
  return CLIRun(status: p.terminationStatus, stdout: "", stderr: "")
}
