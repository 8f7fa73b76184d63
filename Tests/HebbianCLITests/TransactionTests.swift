import CHebbianSys
import Foundation
import Glibc
import Hebbian
import Testing

@testable import HebbianCLI

/// Model files as transactions: every replaced output is locked for its run, a model read and
/// written back is replaced only if nobody changed it meanwhile, replacing keeps what the
/// user set, links are followed only where the kernel would follow them, and no temporary
/// outlives its run. Run against the built binary, several processes at once where that is
/// the point.
@Suite(.serialized) struct TransactionTests {
  let pca = ["pca", "--format", "f32", "--dim", "5", "--components", "2", "--quiet"]

  func stream(_ n: Int, seed: UInt64) -> [UInt8] {
    f32Bytes(seededStream(samples: n, dimension: 5, seed: seed))
  }

  func samplesSeen(_ path: String) throws -> Int64 {
    try OnlinePCA(restoring: ModelFile(decoding: fileBytes(path) ?? [])).samplesSeen
  }

  func lockedMessage(_ option: String, _ path: String, _ what: String = "file") -> String {
    "another process is writing this \(what) (\(path).lock is locked)"
  }

  /// Starts the binary without waiting; its stderr goes to `log`.
  func launch(_ args: [String], log: String) throws -> Process {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: hebbianExecutable())
    p.arguments = args
    _ = FileManager.default.createFile(atPath: log, contents: nil)
    p.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
    p.standardError = FileHandle(forWritingAtPath: log)
    try p.run()
    return p
  }

  func text(_ path: String) -> String { String(decoding: fileBytes(path) ?? [], as: UTF8.self) }

  func mode(_ path: String) -> (mode: UInt32, uid: UInt32, gid: UInt32, links: Int) {
    var st = stat()
    #expect(stat(path, &st) == 0, "\(path)")
    return (UInt32(st.st_mode & 0o7777), st.st_uid, st.st_gid, Int(st.st_nlink))
  }

  /// 2, 3 and 4 runs at once, three rounds, each `--continue m.hbm --save-model m.hbm` on
  /// its own input: every run either lands its learning or fails with one clear line, and
  /// the model's sample count is the start plus the samples of exactly the runs that exited 0.
  @Test func concurrentContinuesNeverLoseAnUpdate() throws {
    let dir = temporaryDirectory()
    let logs = temporaryDirectory()
    let sizes = [400, 700, 1100, 1600]
    for (i, n) in sizes.enumerated() {
      try Files.write(dir + "/x\(i).f32", stream(n, seed: UInt64(30 + i)))
    }
    try Files.write(dir + "/start.f32", stream(300, seed: 29))
    let model = dir + "/m.hbm"
    var landed = 0
    var refused = 0
    for round in 0..<3 {
      for runs in 2...4 {
        let first = try spawnHebbian(
          pca + ["--input", dir + "/start.f32", "--save-model", model], in: dir)
        #expect(first.status == 0, "\(first.stderr)")
        var started: [Process] = []
        for r in 0..<runs {
          started.append(
            try launch(
              [
                "pca", "--format", "f32", "--quiet", "--input", dir + "/x\(r).f32", "--continue",
                model, "--save-model", model,
              ], log: logs + "/err\(r)"))
        }
        var expected: Int64 = 300
        for (r, p) in started.enumerated() {
          p.waitUntilExit()
          let err = text(logs + "/err\(r)")
          if p.terminationStatus == 0 {
            landed += 1
            expected += Int64(sizes[r])
            #expect(err.isEmpty, "\(err)")
          } else {
            refused += 1
            #expect(p.terminationStatus == 1)
            let prefix = "hebbian pca: error: --save-model \(model): "
            #expect(
              err == prefix + lockedMessage("--save-model", model) + "\n"
                || (err.hasPrefix(prefix + "the file changed after this run read it")
                  && err.split(separator: "\n").count == 1),
              "\(err)")
          }
        }
        #expect(try samplesSeen(model) == expected, "round \(round), \(runs) runs")
        #expect(
          directoryEntries(dir) == ["m.hbm", "start.f32", "x0.f32", "x1.f32", "x2.f32", "x3.f32"])
      }
    }
    // The lock holder of every group lands.
    #expect(landed >= 9)
    #expect(landed + refused == 3 * (2 + 3 + 4))
  }

  /// A checkpointing run holds its checkpoint's lock for the whole run: a `--continue C
  /// --save-model C` (or a second checkpointing run) is refused at once and C keeps its
  /// bytes; once the run has ended, the same command goes through.
  @Test func aCheckpointLockStopsAContinue() throws {
    let dir = temporaryDirectory()
    let input = dir + "/in.f32"
    let bytes = stream(600, seed: 41)
    try Files.write(input, bytes)
    let ckpt = dir + "/c.hbm"
    let first = try spawnHebbian(
      pca + ["--input", input, "--checkpoint", ckpt, "--max-samples", "200"], in: dir)
    #expect(first.status == 0)
    let before = fileBytes(ckpt)
    let (holder, writer) = try startOnFIFO(
      pca + ["--input", dir + "/feed", "--checkpoint", ckpt, "--checkpoint-every", "50"], in: dir)
    waitFor(dir) { $0.contains("c.hbm.lock") }
    let r = try spawnHebbian(
      [
        "pca", "--format", "f32", "--quiet", "--input", input, "--continue", ckpt, "--save-model",
        ckpt,
      ], in: dir)
    #expect(r.status == 1)
    #expect(
      r.stderr
        == "hebbian pca: error: --save-model \(ckpt): \(lockedMessage("--save-model", ckpt))\n")
    let resume = try spawnHebbian(
      pca + ["--input", input, "--resume", ckpt, "--checkpoint", ckpt], in: dir)
    #expect(resume.status == 1)
    #expect(
      resume.stderr
        == "hebbian pca: error: --checkpoint \(ckpt): \(lockedMessage("--checkpoint", ckpt, "checkpoint"))\n"
    )
    #expect(fileBytes(ckpt) == before)
    _ = bytes.withUnsafeBytes { write(writer, $0.baseAddress, 4 * 5 * 100) }
    close(writer)
    holder.waitUntilExit()
    #expect(holder.terminationStatus == 0)
    #expect(try samplesSeen(ckpt) == 100)
    let after = try spawnHebbian(
      [
        "pca", "--format", "f32", "--quiet", "--input", input, "--continue", ckpt, "--save-model",
        ckpt,
      ], in: dir)
    #expect(after.status == 0, "\(after.stderr)")
    #expect(try samplesSeen(ckpt) == 700)
    #expect(directoryEntries(dir) == ["c.hbm", "feed", "in.f32"])
  }

  /// A program that ignores the lock replaces the model while a `--continue` run learns: the
  /// run fails with one line, writes none of its outputs, and the other program's file stays.
  @Test func aModelReplacedMeanwhileIsNotOverwritten() throws {
    let dir = temporaryDirectory()
    let input = dir + "/in.f32"
    let bytes = stream(600, seed: 43)
    try Files.write(input, bytes)
    let model = dir + "/m.hbm"
    #expect(try spawnHebbian(pca + ["--input", input, "--save-model", model], in: dir).status == 0)
    #expect(
      try spawnHebbian(
        pca + ["--input", input, "--max-samples", "300", "--save-model", dir + "/n.hbm"], in: dir
      ).status == 0)
    let logs = temporaryDirectory()
    let (p, writer) = try startOnFIFO(
      [
        "pca", "--format", "f32", "--quiet", "--input", dir + "/feed", "--continue", model,
        "--save-model", model, "--save-components", dir + "/w.f32",
      ], in: dir, stderr: logs + "/err")
    // The FIFO is open: the run has read the model. Another program now replaces it.
    #expect(rename(dir + "/n.hbm", model) == 0)
    let replaced = fileBytes(model)
    _ = bytes.withUnsafeBytes { write(writer, $0.baseAddress, 4 * 5 * 100) }
    close(writer)
    p.waitUntilExit()
    #expect(p.terminationStatus == 1)
    #expect(
      text(logs + "/err")
        == "hebbian pca: error: --save-model \(model): the file changed after this run read it (--continue \(model)); nothing was written, to keep the other update (run again on the new file)\n"
    )
    #expect(fileBytes(model) == replaced)
    #expect(try samplesSeen(model) == 300)
    #expect(directoryEntries(dir) == ["feed", "in.f32", "m.hbm"])
  }

  /// A replaced file keeps its mode and (where permitted: as root) its owner and group; a new
  /// file gets what open(2) would give it, 0666 less the umask.
  @Test func replacingKeepsModeAndOwner() throws {
    let dir = temporaryDirectory()
    let input = dir + "/in.f32"
    try Files.write(input, stream(300, seed: 47))
    let model = dir + "/m.hbm"
    let outputs = ["--save-model", model, "--project", dir + "/p.csv"]
    #expect(try spawnHebbian(pca + ["--input", input] + outputs, in: dir).status == 0)
    #expect(chmod(model, 0o600) == 0)
    #expect(chmod(dir + "/p.csv", 0o640) == 0)
    let root = geteuid() == 0
    if root { #expect(chown(model, 65534, 65534) == 0) }
    let again = try spawnHebbian(
      ["pca", "--format", "f32", "--quiet", "--input", input, "--continue", model] + outputs,
      in: dir)
    #expect(again.status == 0, "\(again.stderr)")
    #expect(try samplesSeen(model) == 600)
    let m = mode(model)
    #expect(m.mode == 0o600)
    if root {
      #expect(m.uid == 65534 && m.gid == 65534)
    } else {
      #expect(m.uid == geteuid())
    }
    #expect(mode(dir + "/p.csv").mode == 0o640)
    // A new file.
    #expect(
      try spawnHebbian(pca + ["--input", input, "--save-model", dir + "/new.hbm"], in: dir).status
        == 0)
    let status = text("/proc/self/status")
    let umaskLine = status.split(separator: "\n").first { $0.hasPrefix("Umask:") }
    let mask =
      UInt32(umaskLine.map { $0.dropFirst(6).trimmingCharacters(in: .whitespaces) } ?? "", radix: 8)
      ?? 0o022
    #expect(mode(dir + "/new.hbm").mode == 0o666 & ~mask)
  }

  /// A target with several hard links is refused, before the run and (should it gain a link
  /// meanwhile) at commit: both names keep their bytes and stay linked.
  @Test func hardLinkedTargetsAreRefused() throws {
    let dir = temporaryDirectory()
    let input = dir + "/in.f32"
    let bytes = stream(300, seed: 53)
    try Files.write(input, bytes)
    let model = dir + "/m.hbm"
    #expect(
      try spawnHebbian(
        pca + ["--input", input, "--save-model", model, "--project", dir + "/p.csv"], in: dir
      )
      .status == 0)
    #expect(link(model, dir + "/backup.hbm") == 0)
    #expect(link(dir + "/p.csv", dir + "/p-copy.csv") == 0)
    let m = fileBytes(model)
    let p = fileBytes(dir + "/p.csv")
    let message = { (label: String) in
      "hebbian pca: error: \(label): the file has 2 hard links; replacing it would detach them and writing in place would not be atomic (remove the other links, or write to another path)\n"
    }
    let r = try spawnHebbian(
      [
        "pca", "--format", "f32", "--quiet", "--input", input, "--continue", model, "--save-model",
        model,
      ], in: dir)
    #expect(r.status == 1)
    #expect(r.stderr == message("--save-model \(model)"))
    let r2 = try spawnHebbian(pca + ["--input", input, "--project", dir + "/p.csv"], in: dir)
    #expect(r2.status == 1)
    #expect(r2.stderr == message("--project \(dir)/p.csv"))
    #expect(fileBytes(model) == m && fileBytes(dir + "/backup.hbm") == m)
    #expect(fileBytes(dir + "/p.csv") == p && fileBytes(dir + "/p-copy.csv") == p)
    #expect(mode(model).links == 2 && mode(dir + "/p.csv").links == 2)
    // A link made while the run learns is caught before anything is replaced.
    #expect(
      try spawnHebbian(pca + ["--input", input, "--save-model", dir + "/solo.hbm"], in: dir)
        .status == 0)
    let solo = fileBytes(dir + "/solo.hbm")
    let logs = temporaryDirectory()
    let (run, writer) = try startOnFIFO(
      pca + [
        "--input", dir + "/feed", "--save-model", dir + "/solo.hbm", "--save-components",
        dir + "/w.f32",
      ], in: dir, stderr: logs + "/err")
    #expect(link(dir + "/solo.hbm", dir + "/solo-2.hbm") == 0)
    _ = bytes.withUnsafeBytes { write(writer, $0.baseAddress, 4 * 5 * 100) }
    close(writer)
    run.waitUntilExit()
    #expect(run.terminationStatus == 1)
    #expect(text(logs + "/err") == message("--save-model \(dir)/solo.hbm"))
    #expect(fileBytes(dir + "/solo.hbm") == solo)
    #expect(
      directoryEntries(dir)
        == [
          "backup.hbm", "feed", "in.f32", "m.hbm", "p-copy.csv", "p.csv", "solo-2.hbm", "solo.hbm",
        ])
  }

  /// protected_symlinks, whatever the sysctl says: a symlink in a sticky world-writable
  /// directory is followed only if the caller or the directory's owner owns it. The refusal
  /// needs a link owned by another user, which only root can make (lchown to nobody); every
  /// caller checks the rule itself and the links it may follow.
  @Test func protectedSymlinksAreNotFollowed() throws {
    // The rule: directory mode, directory owner, link owner, caller.
    #expect(hb_sys_link_refused(0o41777, 0, 65534, 0) == 1)
    #expect(hb_sys_link_refused(0o41777, 1000, 65534, 0) == 1)
    #expect(hb_sys_link_refused(0o41777, 0, 0, 1000) == 0)
    #expect(hb_sys_link_refused(0o41777, 0, 1000, 1000) == 0)
    #expect(hb_sys_link_refused(0o40777, 0, 65534, 0) == 0)
    #expect(hb_sys_link_refused(0o41775, 0, 65534, 0) == 0)

    let dir = temporaryDirectory()
    let input = dir + "/in.f32"
    try Files.write(input, stream(300, seed: 59))
    let model = dir + "/m.hbm"
    #expect(try spawnHebbian(pca + ["--input", input, "--save-model", model], in: dir).status == 0)
    let shared = dir + "/shared"
    #expect(mkdir(shared, 0o755) == 0 && chmod(shared, 0o1777) == 0)
    #expect(mkdir(dir + "/victim", 0o755) == 0)
    let secret = dir + "/victim/secret.json"
    func plantSecret() {
      writeText(secret, "secret\n")
      #expect(chmod(secret, 0o600) == 0)
    }
    plantSecret()
    // The caller's own link is written through.
    #expect(symlink(secret, shared + "/mine.json") == 0)
    let own = try spawnHebbian(
      ["export", "--model", model, "--output", shared + "/mine.json"], in: dir)
    #expect(own.status == 0, "\(own.stderr)")
    #expect(text(secret).hasPrefix("{"))
    var st = stat()
    #expect(lstat(shared + "/mine.json", &st) == 0 && (st.st_mode & S_IFMT) == S_IFLNK)
    guard geteuid() == 0 else { return }

    plantSecret()
    #expect(symlink(secret, shared + "/out.json") == 0)
    #expect(lchown(shared + "/out.json", 65534, 65534) == 0)
    let refusal = { (link: String, output: String) in
      "hebbian export: error: --output \(output): refusing to follow the symlink \(link): it is in a sticky world-writable directory and owned by neither this user nor the directory's owner (the kernel's protected_symlinks rule)\n"
    }
    let r = try spawnHebbian(
      ["export", "--model", model, "--output", shared + "/out.json"], in: dir)
    #expect(r.status == 1)
    #expect(r.stderr == refusal(shared + "/out.json", shared + "/out.json"))
    // A directory link on the way is judged the same.
    #expect(symlink(dir + "/victim", shared + "/d") == 0)
    #expect(lchown(shared + "/d", 65534, 65534) == 0)
    let r2 = try spawnHebbian(
      ["export", "--model", model, "--output", shared + "/d/secret.json"], in: dir)
    #expect(r2.status == 1)
    #expect(r2.stderr == refusal(shared + "/d", shared + "/d/secret.json"))
    #expect(text(secret) == "secret\n")
    #expect(mode(secret).mode == 0o600)
    #expect(directoryEntries(dir + "/victim") == ["secret.json"])
    // The same link in a sticky directory that its owner owns is followed.
    #expect(chown(shared, 65534, 65534) == 0)
    let r3 = try spawnHebbian(
      ["export", "--model", model, "--output", shared + "/out.json"], in: dir)
    #expect(r3.status == 0, "\(r3.stderr)")
    #expect(text(secret).hasPrefix("{"))
    #expect(mode(secret).mode == 0o600)
  }

  /// SIGKILL, which no handler sees, in the middle of a checkpointing run before its first
  /// checkpoint (which puts the --project rows so far in place): with O_TMPFILE it leaves no
  /// temporary at all; with named temporaries it leaves one, and the next run on the same
  /// outputs removes it. Either way the rerun leaves nothing but its outputs.
  @Test(arguments: [false, true]) func sigkillThenARerunLeavesNoTemporary(named: Bool) throws {
    let dir = temporaryDirectory()
    let input = dir + "/in.f32"
    let bytes = stream(600, seed: 61)
    try Files.write(input, bytes)
    writeText(dir + "/p.csv", "earlier\n")
    let outputs = [
      "--project", dir + "/p.csv", "--save-model", dir + "/m.hbm", "--checkpoint", dir + "/c.hbm",
      "--checkpoint-every", "100000",
    ]
    let (p, writer) = try startOnFIFO(
      pca + ["--input", dir + "/feed"] + outputs, in: dir, named: named)
    _ = bytes.withUnsafeBytes { write(writer, $0.baseAddress, 4 * 5 * 120) }
    let namedTemp = { (e: [String]) in
      e.contains { $0.hasPrefix(".p.csv.") && $0.hasSuffix(".tmp") }
    }
    waitFor(dir) { e in e.contains("p.csv.lock") && (!named || namedTemp(e)) }
    kill(p.processIdentifier, SIGKILL)
    p.waitUntilExit()
    close(writer)
    let left = directoryEntries(dir)
    #expect(!left.contains("c.hbm"))
    #expect(left.contains("p.csv.lock"))
    #expect(namedTemp(left) == named, "\(left)")
    if !named { #expect(!left.contains { $0.hasSuffix(".tmp") }, "\(left)") }
    #expect(fileBytes(dir + "/p.csv") == Array("earlier\n".utf8))
    let rerun = try spawnHebbian(pca + ["--input", input] + outputs, in: dir)
    #expect(rerun.status == 0, "\(rerun.stderr)")
    #expect(directoryEntries(dir) == ["c.hbm", "feed", "in.f32", "m.hbm", "p.csv"])
  }

  /// The lock holder of an output sweeps that output's stale named temporaries, for every
  /// kind of output and command, and only names the tool makes (".NAME.<16 hex>.tmp"); a
  /// lock file that is not empty is someone's file and is neither used nor removed.
  @Test func staleTemporariesOfEveryOutputAreSwept() throws {
    let dir = temporaryDirectory()
    let input = dir + "/in.f32"
    try Files.write(input, stream(300, seed: 67))
    let stale = [
      ".p.csv.0123456789abcdef.tmp", ".m.hbm.fedcba9876543210.tmp", ".c.hbm.00000000deadbeef.tmp",
      ".w.f32.0000000000000001.tmp", ".m.json.abcdefabcdefabcd.tmp",
    ]
    let kept = [
      ".p.csv.tmp", ".p.csv.0123456789ABCDEF.tmp", ".p.csv.0123456789abcde.tmp",
      ".q.csv.0123456789abcdef.tmp", "p.csv.0123456789abcdef.tmp", ".p.csv.0123456789abcdef.tmpx",
    ]
    for name in stale + kept {
      #expect(FileManager.default.createFile(atPath: dir + "/" + name, contents: Data([1, 2, 3])))
    }
    let r = try spawnHebbian(
      pca + [
        "--input", input, "--project", dir + "/p.csv", "--save-model", dir + "/m.hbm",
        "--checkpoint", dir + "/c.hbm", "--save-components", dir + "/w.f32",
      ], in: dir)
    #expect(r.status == 0, "\(r.stderr)")
    let e = try spawnHebbian(
      ["export", "--model", dir + "/m.hbm", "--output", dir + "/m.json"], in: dir)
    #expect(e.status == 0, "\(e.stderr)")
    #expect(
      directoryEntries(dir)
        == (kept + ["c.hbm", "in.f32", "m.hbm", "m.json", "p.csv", "w.f32"]).sorted())
    writeText(dir + "/q.csv.lock", "mine\n")
    let q = try spawnHebbian(pca + ["--input", input, "--project", dir + "/q.csv"], in: dir)
    #expect(q.status == 1)
    #expect(
      q.stderr
        == "hebbian pca: error: --project \(dir)/q.csv: \(dir)/q.csv.lock exists and is not empty, so it is not a lock this tool made (remove it, or write to another path)\n"
    )
    #expect(text(dir + "/q.csv.lock") == "mine\n")
    #expect(!FileManager.default.fileExists(atPath: dir + "/q.csv"))
  }
}
