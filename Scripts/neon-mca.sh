#!/usr/bin/env bash
# Static timing of the NEON inner loops with llvm-mca: no board is needed, and qemu timings
# say nothing about a Cortex core.
#
#   bash Scripts/neon-mca.sh [aarch64|armv7|all] [--all-loops]
#
# Compiles every NEON body (Sources/CHebbian/*/*-neon.c and the NEON variant of *-vec.c) to
# assembly with the compiler and flags that Scripts/cross-build.sh ships (gcc by default),
# finds each innermost loop by its backward branch, and runs llvm-mca (Debian's llvm-19) on
# it for Cortex-A53 (in-order), Cortex-A72 and Neoverse-N1 (the A76-class model: llvm-mca's
# cortex-a76 uses the A57 model) on aarch64, and for the Cortex-A9 model on armv7 (the
# nearest armv7 model with NEON; llvm has none for the A7). For every loop it prints
#   elems  floats per iteration: floats stored, or for a reduction loop (no stores) the
#          floats folded into accumulators (fmla/fmls/fadd/fmax... whose destination is a
#          source), counted in 32-bit lanes for the integer popcount of bit_overlap
#   cyc/el predicted cycles per float (llvm-mca total cycles / iterations / elems)
#   bound  cycles per float of the loop's load/store ports and FP pipes alone: llvm-mca's
#          resource throughput of just its non-stack loads and stores and its vector
#          arithmetic (no spills, no address or counter updates, no dependencies)
#   x      cyc/el over bound; the header lists the port counts each model assumes.
# On armv7 a further column, floor, is the cycles per float the A9's NEON unit needs at least
# (see a9_floor below: llvm-19's A9 model charges NEON loads and stores nothing and a Q-register
# FP operation one cycle, so its bound is optimistic); '<' marks a prediction under the floor.
# The A53 model is in-order (llvm-mca issues in program order and stalls on an operand not
# ready), so an A53 ratio counts latency chains that an out-of-order core would overlap.
# Without --all-loops only loops with a vector instruction are listed; loops of the scalar
# leftovers are summarised as fused and unfused a*b+c counts.
set -euo pipefail
cd "$(dirname "$0")/.."

arches=${1:-all}
all_loops=0
[ "${2:-}" = --all-loops ] && all_loops=1
[ "$arches" = all ] && arches="aarch64 armv7"
mca=${LLVM_MCA:-$(command -v llvm-mca-19 || true)}
[ -n "$mca" ] || { echo "neon-mca: llvm-mca-19 not found (apt-get install llvm-19)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for arch in $arches; do
  read -r -a cc <<<"$(bash Scripts/cross-build.sh "$arch" --print-cc)"
  for f in ${NEON_MCA_FILES:-$(find Sources/CHebbian -name '*-neon.c' -o -name '*-vec.c' | LC_ALL=C sort)}; do
    op=$(basename "$(dirname "$f")")
    "${cc[@]}" -S "$f" -o "$tmp/$arch.$op.$(basename "$f" .c).s"
  done
  python3 - "$arch" "$mca" "$all_loops" "$tmp"/"$arch".*.s <<'PY'
import os, re, subprocess, sys

arch, mca, all_loops, files = sys.argv[1], sys.argv[2], sys.argv[3] == "1", sys.argv[4:]
if arch == "aarch64":
    cpus = [("A53", ["-mtriple=aarch64", "-mcpu=cortex-a53"]),
            ("A72", ["-mtriple=aarch64", "-mcpu=cortex-a72"]),
            ("N1", ["-mtriple=aarch64", "-mcpu=neoverse-n1"])]
    branch = re.compile(r"^(b\.?(eq|ne|cs|hs|cc|lo|mi|pl|vs|vc|hi|ls|ge|lt|gt|le|al)?|cbn?z|tbn?z)$")
    vec = re.compile(r"\bv\d+\.\d*[bhsd]\b|\bq\d+\b")
    stack = re.compile(r"\[(sp|x29)\b")
else:
    cpus = [("A9", ["-mtriple=armv7-linux-gnueabihf", "-mcpu=cortex-a9", "-mattr=+neon,+vfp4"])]
    branch = re.compile(r"^b(eq|ne|cs|hs|cc|lo|mi|pl|vs|vc|hi|ls|ge|lt|gt|le|al)?$")
    vec = re.compile(r"\bq\d+\b|\{d\d+")
    # gcc's Thumb-2 code keeps its frame pointer in r7: [r7, #...] is a spill slot.
    stack = re.compile(r"\[(sp|r7)\b|\[fp, #-|^v?(push|pop)")

def is_load(m):  return re.match(r"^(ld|vld)", m) is not None
def is_store(m): return re.match(r"^(st|vst)", m) is not None

def mca_run(cpu_flags, lines, iterations=200):
    src = "\n".join(lines) + "\n"
    r = subprocess.run([mca, *cpu_flags, f"-iterations={iterations}", "-"], input=src,
                       capture_output=True, text=True)
    if r.returncode != 0 and "skip-unsupported" in r.stderr:
        # A few lane loads and stores have no class in the A9 model: timed without them.
        r = subprocess.run([mca, *cpu_flags, f"-iterations={iterations}",
                            "-skip-unsupported-instructions=lack-sched", "-"], input=src,
                           capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(r.stderr.strip().splitlines()[0] if r.stderr.strip() else "llvm-mca failed")
    total = float(re.search(r"Total Cycles:\s+(\d+)", r.stdout).group(1))
    rthr = float(re.search(r"Block RThroughput:\s+([\d.]+)", r.stdout).group(1))
    return total / iterations, rthr

# Port counts each model assumes, from its resource throughput of independent 128-bit ops.
if arch == "aarch64":
    probes = {"loads": "ldr q{i}, [x{j}]", "stores": "str q{i}, [x{j}]",
              "fma": "fmla v{i}.4s, v20.4s, v21.4s"}
else:
    probes = {"loads": "vld1.32 {{d{i2}-d{i3}}}, [r{j}]", "stores": "vst1.32 {{d{i2}-d{i3}}}, [r{j}]",
              "fma": "vfma.f32 q{i}, q14, q15"}
ports = {}
for name, flags in cpus:
    per = {}
    for kind, t in probes.items():
        lines = [t.format(i=i, i2=2 * i, i3=2 * i + 1, j=i % 4) for i in range(8)]
        per[kind] = 8 / mca_run(flags, lines)[1]
    mixed = [probes["loads"].format(i=i, i2=2 * i, i3=2 * i + 1, j=i % 4) for i in range(4)] + \
            [probes["stores"].format(i=i, i2=2 * i, i3=2 * i + 1, j=i % 4) for i in range(4, 8)]
    per["ld+st"] = 8 / mca_run(flags, mixed)[1]
    ports[name] = per
print(f"== {arch}: 128-bit ops per cycle each model assumes ==")
for name, per in ports.items():
    print(f"  {name:4} " + "  ".join(f"{k} {v:.2g}" for k, v in per.items()))

def parse(path):
    """Functions -> list of (kind, payload): ('label', name) | ('ins', text, loc)."""
    files, funcs, cur, loc = {}, {}, None, None
    for raw in open(path):
        line = raw.split("//")[0].split("@")[0].rstrip() if arch == "aarch64" else raw.split("@")[0].rstrip()
        s = line.strip()
        if not s:
            continue
        m = re.match(r'\.file\s+(\d+)\s+"([^"]+)"(?:\s+"([^"]+)")?', s)
        if m:
            files[m.group(1)] = m.group(3) or m.group(2)
            continue
        m = re.match(r"\.loc\s+(\d+)\s+(\d+)", s)
        if m:
            loc = (files.get(m.group(1), "?"), int(m.group(2)))
            continue
        m = re.match(r"\.type\s+([\w.]+),\s*%function", s)
        if m:
            cur = m.group(1); funcs[cur] = []
            continue
        if s.startswith(".size") and cur:
            cur = None
            continue
        if cur is None:
            continue
        m = re.match(r"^([\w.$]+):$", s)
        if m:
            funcs[cur].append(("label", m.group(1)))
        elif not s.startswith("."):
            funcs[cur].append(("ins", s, loc))
    return funcs

def loops(body):
    labels = {}
    out = []
    for idx, item in enumerate(body):
        if item[0] == "label":
            labels[item[1]] = idx
        else:
            parts = item[1].split(None, 1)
            ops = parts[1].split(",") if len(parts) > 1 else []
            if branch.match(parts[0]) and ops and ops[-1].strip() in labels:
                out.append((labels[ops[-1].strip()], idx))
    # Innermost: no other backward branch range inside. A range with a return in it, or that
    # an unconditional branch leaves before its end, is not a loop body that can be timed as
    # written: gcc's block layout (an out-of-line block jumping back) or a loop with part of
    # its body out of line. Such ranges are listed, untimed.
    ret = re.compile(r"^(ret|bx\s+lr|pop\s*\{[^}]*\bpc\}|ldm\S*\s+sp!?,\s*\{[^}]*\bpc\})")
    def broken(a, b):
        for x in body[a:b + 1]:
            if x[0] != "ins":
                continue
            if ret.match(x[1]):
                return True
            parts = x[1].split(None, 1)
            if x is not body[b] and parts[0] == "b" and len(parts) > 1:
                t = labels.get(parts[1].strip())
                if t is None or not a <= t <= b:
                    return True
        return False
    inner = [(a, b) for a, b in out if not any(a <= c and d <= b and (c, d) != (a, b) for c, d in out)]
    return [(a, b, broken(a, b)) for a, b in inner]

def srcline(loc):
    try:
        return open(loc[0]).read().splitlines()[loc[1] - 1].strip()
    except (OSError, IndexError):
        return ""

acc_ops = re.compile(r"^(fml[as]|fadd|fmax|fmin|fsub|vfm[as]|vadd|vmax|vmin|vsub|vpadal|uadalp|add)")

def floats_in(operands):
    """Floats a vector store writes: its register list, up to the address."""
    regs = operands.split("[")[0]
    n = 0
    for a, b in re.findall(r"\bd(\d+)-d(\d+)", regs):
        n += 2 * (int(b) - int(a) + 1)
    regs = re.sub(r"\bd\d+-d\d+", "", regs)
    n += len(re.findall(r"\bq\d+|\bv\d+\.4s", regs)) * 4
    n += len(re.findall(r"\bd\d+(?!\[)|\bv\d+\.2s", regs)) * 2
    n += len(re.findall(r"\bd\d+\[\d\]|\bv\d+\.s\[\d\]|\bs\d+", regs))
    return n

def elems(ins):
    stored = 0
    acc = 0
    for s in ins:
        m = s.split(None, 1)[0]
        rest = s.split(None, 1)[1] if " " in s or "\t" in s else ""
        if stack.search(s):
            continue
        if is_store(m) and (m.startswith("v") or vec.search(rest)):
            stored += floats_in(rest)
        elif acc_ops.match(m) and vec.search(rest):
            regs = [r.strip() for r in rest.split(",")]
            if len(regs) >= 2 and (regs[0] in regs[1:] or m.startswith(("fml", "vfm", "vpadal", "uadalp"))):
                acc += 4 if re.search(r"4s|\bq\d+|16b|8h", rest) else 2
    return stored or acc

def essential(ins):
    """Non-stack loads/stores and vector arithmetic: what the pipe bound counts."""
    keep = []
    for s in ins:
        m = s.split(None, 1)[0]
        if stack.search(s) or branch.match(m):
            continue
        if (is_load(m) or is_store(m)) or (vec.search(s) and not m.startswith(("mov", "dup", "vdup", "vmov"))):
            keep.append(s)
    return keep

def a9_floor(ins):
    """Cycles a Cortex-A9's NEON unit needs at least for ins, from GCC's Cortex-A9 NEON pipeline
    description (config/arm/cortex-a9-neon.md, contributed by ARM): one NEON or VFP
    instruction issues per cycle; a Q-register data-processing instruction holds the
    data-processing pipe two cycles, a VLD1 or VST1 of one or two D registers holds the
    load/store (permute) pipe two cycles and of three or four three. llvm-19's Cortex-A9 model
    charges no pipe at all to VLD1/VST1 and one cycle to a Q-register FP operation, so its
    bound (and its prediction) can fall below this floor."""
    issue = dp = ls = 0
    for s in ins:
        m = s.split(None, 1)[0]
        if not m.startswith("v"):
            continue
        rest = s.split(None, 1)[1] if len(s.split(None, 1)) > 1 else ""
        issue += 1
        if re.match(r"^v(ld|st)[1-4]", m) and "[" not in rest.split("]")[0].split("}")[0]:
            n = sum(int(b) - int(a) + 1 for a, b in re.findall(r"d(\d+)-d(\d+)", rest.split("}")[0]))
            n += len(re.findall(r"d\d+(?![-\d])", re.sub(r"d\d+-d\d+", "", rest.split("}")[0])))
            ls += 2 if n <= 2 else 3
        elif re.match(r"^v(ld|st|dup|mov|ext|zip|uzp|trn|rev|tbl|tbx|swp)", m):
            ls += 1
        else:
            dp += 2 if re.search(r"\bq\d+", rest) else 1
    return max(issue, dp, ls)

rows, fused, unfused = [], 0, 0
for path in files:
    for fn, body in parse(path).items():
        for a, b, broken in loops(body):
            items = [x for x in body[a:b + 1] if x[0] == "ins"]
            ins = [x[1] for x in items]
            isvec = any(vec.search(s) for s in ins)
            if not isvec:
                for s in ins:
                    m = s.split(None, 1)[0]
                    if m in ("fmadd", "fmsub", "fnmsub", "fnmadd", "vfma.f32", "vfms.f32"):
                        fused += 1
                    elif m in ("vmla.f32", "vmls.f32"):
                        unfused += 1
                    elif m in ("fmul",) and any(n.split(None, 1)[0] in ("fadd", "fsub") for n in ins):
                        unfused += 1
                if not all_loops:
                    continue
            loc = body[b][2]
            e = elems(ins)
            if e == 0:
                continue
            res = []
            for name, flags in ([] if broken else cpus):
                try:
                    cyc, _ = mca_run(flags, ins)
                    _, bound = mca_run(flags, essential(ins) or ins)
                    res.append((cyc / e, bound / e))
                except RuntimeError as err:
                    res.append((float("nan"), float("nan")))
                    print(f"  {fn}: llvm-mca: {err}", file=sys.stderr)
            where = f"{os.path.basename(loc[0])}:{loc[1]}" if loc else "?"
            floor = a9_floor(ins) / e if arch == "armv7" and not broken else None
            rows.append((fn.replace("_f32__neon", "").replace("hb_", ""), where, e, res,
                         srcline(loc)[:44] if loc else "", floor))

hdr = f"{'kernel':22} {'loop':22} {'elems':>5}"
for name, _ in cpus:
    hdr += f" | {name + ' cyc/el':>10} {'bound':>6} {'x':>5}"
if arch == "armv7":
    hdr += f" | {'floor':>6}"
print(hdr + " | source")
for fn, where, e, res, text, floor in rows:
    line = f"{fn:22} {where:22} {e:5d}"
    if not res:
        print(line + " | not a loop body as laid out (a return, or a branch out): not timed | " + text)
        continue
    for cyc, bound in res:
        line += f" | {cyc:10.3f} {bound:6.3f} {cyc / bound if bound else float('nan'):5.2f}"
    if floor is not None:
        # '<': llvm-mca predicts the loop faster than the A9's NEON unit can issue it.
        line += f" | {floor:6.3f}" + ("<" if res[0][0] < floor else " ")
    print(line + " | " + text)
print(f"scalar leftover loops: {fused} fused and {unfused} unfused multiply-adds")
PY
done
