#!/usr/bin/env python3
"""Runs the code blocks of README.md and the DocC articles and checks the figures they quote.

Every fenced block tagged sh, c, swift or python is run or compiled:
  sh      run with bash -euo pipefail in a scratch folder per document (the blocks of one
          document share it, in order), with `hebbian` on PATH (the release build; the
          spellings `swift run [-c release] hebbian` and `.build/release/hebbian` are that
          binary). A block of `$ command` lines is a transcript: the lines after each command
          are what it must print.
  c       compiled with cc -std=c11 -Wall -Werror against include/ and the library's objects;
          a block with a main() is linked and run (and, when it calls hb_isa_init, run again
          with HEBBIAN_ISA naming a variant this CPU lacks: it must fail); a fragment is
          compiled inside a main().
  swift   each block is the main.swift of an executable in one scratch package that depends on
          this one; it is built and run. `import Hebbian` is added when missing, and `samples`
          (a seeded 6-axis stream of three directions plus noise) is provided when the block uses it without defining it.
  python  run with python3 in the document's folder.
A block with no language that follows a runnable block directly (the next line) is its
output; a `print(...)  // text` line of a Swift block quotes its own output. Quoted output is
compared line by line: the words must match, integers exactly, other numbers within 5 %
(kernel variants differ in the last digits); wall-clock figures (lines starting `time` or
`peak memory`, the last column of a table headed `ns/sample`) are not compared; a line "..." stands for lines left out.

Markers (an HTML comment on the line before the fence), rare and reported:
  <!-- check-docs: illustrative: REASON -->  never run (needs root, other machines, hours)
  <!-- check-docs: slow: REASON -->          run only with --full
  <!-- check-docs: excerpt: PATH -->         the block's lines must appear in PATH, in order

  Scripts/check-docs.sh [--full] [FILE.md ...]
  Scripts/check-docs.sh --self-check          a broken block of each kind must fail
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUNNABLE = ("sh", "c", "swift", "python")
MARKER = re.compile(r"<!--\s*check-docs:\s*(illustrative|slow|excerpt):\s*(.*?)\s*-->")
NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")
TOLERANCE = 0.05


class Block:
    def __init__(self, path, line, lang, body, marker, output):
        self.path, self.line, self.lang, self.body = path, line, lang, body
        self.marker, self.output = marker, output

    @property
    def where(self):
        return "%s:%d" % (os.path.relpath(self.path, ROOT), self.line)


def blocks_of(path):
    lines = open(path, encoding="utf-8").read().split("\n")
    found = []
    i = 0
    while i < len(lines):
        m = re.match(r"^\s*```(\w*)\s*$", lines[i])
        if not m:
            i += 1
            continue
        lang, start = m.group(1), i
        j = i + 1
        while j < len(lines) and not re.match(r"^\s*```\s*$", lines[j]):
            j += 1
        body = "\n".join(lines[start + 1:j]) + "\n"
        marker = None
        k = start - 1
        while k >= 0 and not lines[k].strip():
            k -= 1
        if k >= 0:
            mm = MARKER.search(lines[k])
            if mm:
                marker = (mm.group(1), mm.group(2))
        found.append(Block(path, start + 1, lang, body, marker, None))
        # A plain block on the very next line is the output of a runnable one.
        i = j + 1
        if lang in RUNNABLE and i < len(lines) and re.match(r"^\s*```\s*$", lines[i]):
            e = i + 1
            while e < len(lines) and not re.match(r"^\s*```\s*$", lines[e]):
                e += 1
            found[-1].output = "\n".join(lines[i + 1:e]) + "\n"
            i = e + 1
    return found


# MARK: comparing quoted output

def volatile_line(line):
    key = line.strip().lower()
    return key.startswith("time ") or key.startswith("peak memory")


def match_line(want, got, skip_last_number):
    wn, gn = NUMBER.findall(want), NUMBER.findall(got)
    if NUMBER.sub("#", " ".join(want.split())) != NUMBER.sub("#", " ".join(got.split())):
        return False
    if len(wn) != len(gn):
        return False
    if volatile_line(want):
        return True
    for idx, (a, b) in enumerate(zip(wn, gn)):
        if skip_last_number and idx == len(wn) - 1:
            continue
        if re.fullmatch(r"[-+]?\d+", a):
            if int(a) != int(float(b)):
                return False
        else:
            x, y = float(a), float(b)
            if abs(x - y) > TOLERANCE * max(abs(x), abs(y)) and abs(x - y) > 1e-12:
                return False
    return True


def compare(want, got):
    """None when every quoted line appears in the output, in order; else what is missing."""
    # "..." stands for lines left out of the quote.
    wl = [l for l in want.split("\n") if l.strip() and l.strip() not in ("...", "…")]
    gl = [l for l in got.split("\n") if l.strip()]
    skip_last = False
    at = 0
    for w in wl:
        if w.split() and w.split()[-1] == "ns/sample":
            skip_last = True
        while at < len(gl) and not match_line(w, gl[at], skip_last):
            at += 1
        if at == len(gl):
            return "quoted line not printed (or its figures differ): %r" % w
        at += 1
    return None


# MARK: running

class Runner:
    def __init__(self, work, full):
        self.work, self.full = work, full
        self.bin = os.path.join(work, "bin")
        os.makedirs(self.bin, exist_ok=True)
        self.hebbian = os.path.join(ROOT, ".build", "release", "hebbian")
        self.failures, self.skipped, self.ran = [], [], 0
        self.swift = []
        self.objects = None

    def env(self):
        e = dict(os.environ)
        e["PATH"] = self.bin + ":" + e["PATH"]
        return e

    def prepare(self):
        if subprocess.call(["swift", "build", "-c", "release", "--product", "hebbian"],
                           cwd=ROOT, stdout=subprocess.DEVNULL) != 0:
            sys.exit("check-docs: the release build failed")
        os.symlink(self.hebbian, os.path.join(self.bin, "hebbian"))
        fixtures = os.path.join(self.work, "fixtures")
        os.makedirs(fixtures)
        # A 6-axis log with a timestamp in column 1 (walk.csv, today.csv) and a "sensor" that
        # streams one, for the README's end-to-end example.
        subprocess.check_call([self.hebbian, "demo", "--samples", "4000", "--save-stream",
                               os.path.join(fixtures, "imu.csv")], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
        rows = open(os.path.join(fixtures, "imu.csv")).read().split("\n")
        for name, part in (("walk.csv", rows[1:3001]), ("today.csv", rows[3001:])):
            with open(os.path.join(fixtures, name), "w") as f:
                f.write("t," + rows[0] + "\n")
                for n, r in enumerate(part):
                    if r.strip():
                        f.write("%d,%s\n" % (1000 + 10 * n, r))
        with open(os.path.join(self.bin, "sensor-reader"), "w") as f:
            f.write("#!/bin/sh\n# A stand-in sensor: today's log without its header, then a "
                    "glitch that is far from the learned subspace.\n"
                    "tail -n +2 %s\necho 99999,40,40,-40,40,-40,40\n"
                    % os.path.join(fixtures, "today.csv"))
        os.chmod(os.path.join(self.bin, "sensor-reader"), 0o755)
        self.fixtures = fixtures

    def folder(self, doc):
        d = os.path.join(self.work, re.sub(r"[^A-Za-z0-9]", "_", os.path.relpath(doc, ROOT)))
        if not os.path.isdir(d):
            os.makedirs(d)
            for name in ("include", "Sources", "Scripts"):
                os.symlink(os.path.join(ROOT, name), os.path.join(d, name))
            for name in ("walk.csv", "today.csv"):
                shutil.copy(os.path.join(self.fixtures, name), d)
        return d

    def fail(self, block, why):
        self.failures.append("%s [%s]: %s" % (block.where, block.lang, why.strip()[-1500:]))

    @staticmethod
    def rewrite(cmd):
        cmd = re.sub(r"swift run (-c release )?hebbian\b", "hebbian", cmd)
        return cmd.replace(".build/release/hebbian", "hebbian")

    def run(self, block):
        if block.marker:
            kind, reason = block.marker
            if kind == "excerpt":
                return self.excerpt(block, reason)
            if kind == "illustrative" or (kind == "slow" and not self.full):
                self.skipped.append("%s [%s] %s: %s" % (block.where, block.lang, kind, reason))
                return
        self.ran += 1
        getattr(self, "run_" + block.lang)(block)

    def excerpt(self, block, path):
        self.ran += 1
        text = open(os.path.join(ROOT, path)).read()
        norm = lambda s: " ".join(s.split())
        if norm(block.body) not in norm(text):
            self.fail(block, "not an excerpt of %s (the source changed?)" % path)

    def shell(self, cmd, cwd, stdin=None):
        p = subprocess.run(["bash", "-euo", "pipefail", "-c", self.rewrite(cmd)], cwd=cwd,
                           env=self.env(), capture_output=True, text=True, timeout=900,
                           input=stdin)
        return p.returncode, p.stdout, p.stderr

    def run_sh(self, block):
        cwd = self.folder(block.path)
        lines = block.body.split("\n")
        if any(l.startswith("$ ") for l in lines):
            # A transcript: each command, then what it prints.
            steps, cmd, out = [], None, []
            for l in lines:
                if l.startswith("$ "):
                    if cmd is not None:
                        steps.append((cmd, "\n".join(out)))
                    cmd, out = l[2:], []
                elif cmd is not None and cmd.rstrip().endswith("\\"):
                    cmd += "\n" + l
                else:
                    out.append(l)
            steps.append((cmd, "\n".join(out)))
            for cmd, want in steps:
                status, so, se = self.shell(cmd, cwd)
                if status != 0:
                    return self.fail(block, "`%s` exited %d: %s" % (cmd, status, se))
                why = compare(want, so) and compare(want, so + se)
                if why:
                    return self.fail(block, "`%s`: %s" % (cmd.split("\n")[0], why))
            return
        status, so, se = self.shell(block.body, cwd)
        if status != 0:
            return self.fail(block, "exited %d: %s" % (status, se))
        if block.output is not None:
            why = compare(block.output, so)
            if why and compare(block.output, so + se):
                self.fail(block, why)

    def library_objects(self):
        if self.objects is None:
            objs = []
            for d, _, files in os.walk(os.path.join(ROOT, ".build", "release", "CHebbian.build")):
                objs += [os.path.join(d, f) for f in files if f.endswith(".o")]
            lib = os.path.join(self.work, "libchebbian.a")
            subprocess.check_call(["ar", "rcs", lib] + sorted(objs))
            self.objects = lib
        return self.objects

    def run_c(self, block):
        cwd = self.folder(block.path)
        src = os.path.join(cwd, "block-%d.c" % block.line)
        exe = src[:-2]
        body = block.body
        if not re.search(r"\bint\s+main\s*\(", body):
            heads = [l for l in body.split("\n") if l.startswith("#include")]
            rest = [l for l in body.split("\n") if not l.startswith("#include")]
            body = "\n".join(heads) + "\nint main(void) {\n" + "\n".join(rest) + "\nreturn 0;\n}\n"
        open(src, "w").write(body)
        if body is block.body:
            # A whole program is also the main.c that the shell blocks after it build.
            shutil.copy(src, os.path.join(cwd, "main.c"))
        cc = ["cc", "-std=c11", "-Wall", "-Werror", "-I" + os.path.join(ROOT, "include"), src,
              self.library_objects(), "-lm", "-o", exe]
        p = subprocess.run(cc, capture_output=True, text=True)
        if p.returncode != 0:
            return self.fail(block, "does not compile: " + p.stderr)
        p = subprocess.run([exe], cwd=cwd, capture_output=True, text=True, timeout=120)
        if p.returncode != 0:
            return self.fail(block, "exited %d: %s" % (p.returncode, p.stderr))
        if block.output is not None:
            why = compare(block.output, p.stdout)
            if why:
                return self.fail(block, why)
        if "hb_isa_init" in body:
            missing = "neon" if os.uname().machine in ("x86_64", "i686") else "avx2"
            env = dict(os.environ, HEBBIAN_ISA=missing)
            q = subprocess.run([exe], cwd=cwd, capture_output=True, text=True, env=env)
            if q.returncode == 0:
                self.fail(block, "HEBBIAN_ISA=%s (not on this CPU) did not make it fail" % missing)

    def run_python(self, block):
        cwd = self.folder(block.path)
        p = subprocess.run(["python3", "-"], input=block.body, cwd=cwd, env=self.env(),
                           capture_output=True, text=True, timeout=600)
        if p.returncode != 0:
            return self.fail(block, "exited %d: %s" % (p.returncode, p.stderr))
        if block.output is not None:
            why = compare(block.output, p.stdout)
            if why:
                self.fail(block, why)

    def run_swift(self, block):
        # Collected, then built together in one package (one build of the library).
        self.swift.append(block)

    def finish_swift(self):
        if not self.swift:
            return
        pkg = os.path.join(self.work, "swift")
        targets = []
        for b in self.swift:
            name = "Block%d_%s" % (b.line, re.sub(r"[^A-Za-z0-9]", "", os.path.basename(b.path)[:-3]))
            targets.append((name, b))
            d = os.path.join(pkg, "Sources", name)
            os.makedirs(d)
            body = b.body
            if "import Hebbian" not in body:
                body = "import Hebbian\n" + body
            open(os.path.join(d, "main.swift"), "w").write(body)
            if re.search(r"\bsamples\b", b.body) and not re.search(r"\b(let|var) samples\b", b.body):
                open(os.path.join(d, "Fixtures.swift"), "w").write(SAMPLES_SWIFT)
        # A block that does not compile is reported and left out; the rest are built again.
        while targets:
            self.write_manifest(pkg, targets)
            p = subprocess.run(["swift", "build"], cwd=pkg, capture_output=True, text=True)
            if p.returncode == 0:
                break
            log = (p.stdout + p.stderr).split("\n")
            broken = []
            for name, b in targets:
                errs = [l for l in log if "/%s/" % name in l and "error:" in l]
                if errs:
                    self.fail(b, "does not compile: " + "\n".join(errs))
                    broken.append(name)
            if not broken:
                for _, b in targets:
                    self.fail(b, "the package of Swift blocks does not build: " + p.stderr)
                return
            targets = [(n, b) for n, b in targets if n not in broken]
        for name, b in targets:
            q = subprocess.run(["swift", "run", "--skip-build", name], cwd=pkg,
                               capture_output=True, text=True, timeout=600)
            if q.returncode != 0:
                self.fail(b, "exited %d: %s" % (q.returncode, q.stderr))
                continue
            want = b.output
            if want is None:
                quoted = [m.group(1) for m in re.finditer(r"^\s*print\(.*\)\s*//\s*(.*)$", b.body, re.M)]
                want = "\n".join(quoted) if quoted else None
            if want is not None:
                why = compare(want, q.stdout)
                if why:
                    self.fail(b, why)

    @staticmethod
    def write_manifest(pkg, targets):
        manifest = ["// swift-tools-version:6.1", "import PackageDescription",
                    "let package = Package(name: \"DocBlocks\",",
                    "  dependencies: [.package(path: \"%s\")]," % ROOT, "  targets: ["]
        for name, _ in targets:
            package = os.path.basename(ROOT)
            manifest.append("    .executableTarget(name: \"%s\", dependencies: ["
                            ".product(name: \"Hebbian\", package: \"%s\"), "
                            ".product(name: \"HebbianExperiments\", package: \"%s\")]),"
                            % (name, package, package))
        manifest.append("  ])")
        open(os.path.join(pkg, "Package.swift"), "w").write("\n".join(manifest) + "\n")


SAMPLES_SWIFT = """import Hebbian

/// A seeded 6-axis stream for blocks that use `samples`: three directions of decreasing
/// variance plus noise, long enough for GHA's third row to converge.
let samples: [[Float]] = {
  var rng = SeededGenerator(seed: 7)
  return (0..<30000).map { _ in
    let a = 2 * rng.gaussian(), b = rng.gaussian(), c = 0.5 * rng.gaussian()
    return (0..<6).map { j in
      Float(a * Double(j % 2) + b * Double(j / 3) + c * Double(j == 0 ? 1 : 0) + 0.05 * rng.gaussian())
    }
  }
}()
"""


def documents():
    docc = os.path.join(ROOT, "Sources", "Hebbian", "Hebbian.docc")
    return [os.path.join(ROOT, "README.md")] + sorted(
        os.path.join(docc, f) for f in os.listdir(docc) if f.endswith(".md"))


def check(paths, full, work):
    r = Runner(work, full)
    r.prepare()
    for path in paths:
        for b in blocks_of(path):
            if b.lang in RUNNABLE or (b.marker and b.marker[0] == "excerpt"):
                try:
                    r.run(b)
                except subprocess.TimeoutExpired:
                    r.fail(b, "timed out")
    r.finish_swift()
    return r


SELF_CHECK = r"""
# A document of known blocks: the good ones must pass, each broken one must fail.

```sh
echo "samples 12  error 1.50e-03"
```
```
samples 12  error 1.50e-03
```

```sh
echo "samples 12  error 1.50e-03"
```
```
samples 12  error 7.20e-03
```

```sh
$ hebbian --version | sed 's/[0-9.]*$/X/'
hebbian X
$ printf 'time 9.1 s\n'
time 0.2 s
```

```sh
hebbian pca --no-such-option
```

```c
#include <hebbian/hebbian.h>
#include <stdio.h>
int main(void) {
  if (hb_isa_init() != HB_OK) return 2;
  float W[2] = {1, 0}, y[1];
  const float x[2] = {0.5f, 0.25f}, eta[1] = {0.1f};
  hb_gha_step_f32(1, 2, eta, x, W, 2, y);
  printf("y = %.4f\n", y[0]);
  return 0;
}
```
```
y = 0.5000
```

```c
#include <hebbian/hebbian.h>
float W[2] = {1, 0}, y[1];
const float x[2] = {0.5f, 0.25f};
hb_gha_step_f32(1, 2, 0.1f, x, W, 2, y);
```

```c
#include <hebbian/hebbian.h>
int main(void) {
  (void)hb_isa_init();
  return 0;
}
```

```python
print(sum(range(5)))
```
```
10
```

```python
import json
json.loads("{not json")
```

```swift
var pca = try OnlinePCA(dimension: 2, components: 1, rule: .oja)
try pca.update([Float(3), 4].span)
print(pca.samplesSeen, pca.componentCount)  // 1 1
```

```swift
var pca = try OnlinePCA(dimension: 2, components: 1, rule: .oja)
let w = pca.components(orthonormalized: true)
print(w.rows)   // the flat array has no rows
```
"""

# Line of each block of SELF_CHECK and whether it must pass.
SELF_EXPECT = {"good sh + output": True, "stale figure": False, "transcript": True,
               "failing command": False, "C program + isa check": True,
               "C with the old one-rate signature": False, "C ignoring hb_isa_init's status": False,
               "python + output": True, "python that raises": False,
               "Swift program + quoted output": True, "Swift that does not compile": False}


def self_check(work):
    doc = os.path.join(work, "selfcheck.md")
    open(doc, "w").write(SELF_CHECK)
    r = check([doc], False, os.path.join(work, "run"))
    failed_lines = {int(f.split(":")[1].split(" ")[0]) for f in r.failures}
    blocks = [b for b in blocks_of(doc) if b.lang in RUNNABLE]
    ok = len(blocks) == len(SELF_EXPECT)
    for b, (label, should_pass) in zip(blocks, SELF_EXPECT.items()):
        passed = b.line not in failed_lines
        print("self-check: %-36s %s (expected to %s)" % (label, "passed" if passed else "failed",
                                                          "pass" if should_pass else "fail"))
        ok = ok and passed == should_pass
    for f in r.failures:
        print("  reported: " + f.split("\n")[0][:160])
    print("self-check: " + ("ok" if ok else "FAILED"))
    return 0 if ok else 1


def main(argv):
    full = "--full" in argv
    args = [a for a in argv if not a.startswith("--")]
    work = tempfile.mkdtemp(prefix="check-docs-")
    try:
        if "--self-check" in argv:
            return self_check(work)
        paths = [os.path.abspath(a) for a in args] or documents()
        r = check(paths, full, work)
        for s in r.skipped:
            print("not run: " + s)
        for f in r.failures:
            print("FAILED: " + f)
        print("check-docs: %d blocks run, %d not run, %d failed" % (r.ran, len(r.skipped),
                                                                     len(r.failures)))
        return 1 if r.failures else 0
    finally:
        if "--keep" not in argv:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
