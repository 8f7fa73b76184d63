#!/usr/bin/env bash
# Runs a fixed list of absurd options and bad inputs through a `hebbian` binary and prints,
# for each, its exit status and first stderr line (temporary paths replaced by T). CI runs it
# with the host's release binary and with both board binaries under qemu and compares the
# outputs: a 32-bit board must refuse exactly what a 64-bit host refuses, with the same words.
#
#   bash Scripts/bad-inputs.sh .build/release/hebbian > host.txt
#   bash Scripts/bad-inputs.sh qemu-arm -L /usr/arm-linux-gnueabihf out/armv7/hebbian > armv7.txt
#   diff host.txt armv7.txt
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 HEBBIAN-COMMAND..." >&2; exit 2; }
bin=()
for a in "$@"; do  # paths made absolute: the cases run in a temporary folder
  if [ -e "$a" ]; then bin+=("$(cd "$(dirname "$a")" && pwd)/$(basename "$a")"); else bin+=("$a"); fi
done
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T"

# Fixtures: a small IMU stream, a tiny pattern file, samples at the edges of float32.
"${bin[@]}" demo --samples 2000 --save-stream s.f32 >/dev/null 2>&1
python3 - <<'EOF'
import struct, zlib
open("p1.f32", "wb").write(struct.pack("<4f", 1, -1, 1, -1))
open("p01.f32", "wb").write(struct.pack("<4f", 1, 0, 1, 0))
open("half.f32", "wb").write(struct.pack("<4f", 1, 0.5, 1, -1))
open("big.f32", "wb").write(struct.pack("<30000f", *([1.0, -1.0] * 15000)))
open("tiny.csv", "w").write("".join("%g,%g,%g\n" % (1e-21 * (i % 3 + 1), -2e-21, 1.5e-21) for i in range(50)))
open("huge.csv", "w").write("".join("%g,%g,%g\n" % (1e19, 1e19 * (i % 2), 1e19) for i in range(50)))
EOF
"${bin[@]}" pca --input s.f32 --dim 6 --components 3 --quiet --save-model m.hbm >/dev/null 2>&1
# A checkpoint whose counter is forged (CRC recomputed): samples = 2^31 and 2^63.
python3 - <<'EOF'
import struct, zlib
data = bytearray(open("m.hbm", "rb").read())
def forge(name, value, out, fmt="<Q"):
    b = bytearray(data)
    key = bytes([len(name), 0]) + name.encode()
    at = b.index(key) + len(key)
    b[at:at + 8] = struct.pack(fmt, value)
    body = bytes(b[:-4])
    b[-4:] = struct.pack("<I", zlib.crc32(body) & 0xFFFFFFFF)
    open(out, "wb").write(b)
forge("samples", 1 << 31, "m31.hbm")
forge("samples", 1 << 63, "m63.hbm")
forge("maxBatch", 0x80000000, "mbatch.hbm")
# A schedule this version does not know (0 constant, 1 inverse, 2 power).
forge("schedule", 3.0, "msched.hbm", "<d")
# The model's mean forged to 3e38: every score would be inf.
b = bytearray(data)
key = bytes([4, 0]) + b"mean"
at = b.index(key) + len(key) + 8
b[at:at + 4] = struct.pack("<f", 3e38)
b[-4:] = struct.pack("<I", zlib.crc32(bytes(b[:-4])) & 0xFFFFFFFF)
open("mmean.hbm", "wb").write(b)
open("glitch.csv", "w").write("1,1,1,1,1,1\n1e20,1e20,1e20,1e20,1e20,1e20\n")
open("labels.csv", "w").write("a,1,2\nb,2,3\n")
# PCA models with a valid CRC whose k*d or k*k overflow a 32-bit Int.
def model(kind, shapes, arrays):
    def s(x): return struct.pack("<H", len(x)) + x.encode()
    out = b"HEBBMODL" + struct.pack("<I", 1) + s(kind) + struct.pack("<I", len(shapes))
    out += b"".join(struct.pack("<q", v) for v in shapes) + struct.pack("<II", 0, 0)
    out += struct.pack("<I", len(arrays))
    for name, count in arrays: out += s(name) + struct.pack("<Q", count) + bytes(4 * count)
    return out + struct.pack("<I", zlib.crc32(out) & 0xFFFFFFFF)
open("k1.hbm", "wb").write(model("pca.ccipca", [1, 65536], [("W", 65536)]))
open("k2.hbm", "wb").write(model("pca.ccipca", [2, 2**31 - 1], [("W", 9)]))
open("k3.hbm", "wb").write(model("pca.ccipca", [65536, 65536], [("W", 9)]))
EOF
"${bin[@]}" demo --samples 20000 --save-stream imu.csv >/dev/null 2>&1
# The IMU stream with one defect deep inside it, where the reader takes whole blocks of rows:
# each must be reported at its line and column as in a short file.
python3 - <<'EOF'
lines = open("imu.csv").read().split("\n")
def defect(name, line, edit):
    copy = list(lines)
    copy[line - 1] = edit(copy[line - 1])
    open(name, "w").write("\n".join(copy))
def field(i, text):
    return lambda row: ",".join(text if k == i else f for k, f in enumerate(row.split(",")))
defect("deep-nan.csv", 12345, field(2, "nan"))
defect("deep-junk.csv", 4321, field(5, "1.2.3"))
defect("deep-range.csv", 777, field(0, "-1e40"))
defect("deep-nul.csv", 9999, field(3, "1\0"))
defect("deep-short.csv", 15000, lambda row: row.rsplit(",", 1)[0])
defect("deep-long.csv", 3001, lambda row: row + ",7")
defect("deep-blank.csv", 5000, lambda row: row.replace(",", ", ", 1))
EOF

# A model with a second name (hard link), a symlink planted by another user in a sticky
# world-writable folder (owned by nobody where this runs as root), a lock-named file that is
# someone's.
cp m.hbm h.hbm && ln h.hbm h2.hbm
mkdir -m 1777 sticky && ln -s ../victim.json sticky/out.json
chown -h 65534 sticky/out.json 2>/dev/null || true
echo mine > q.csv.lock

# Every fixture, its bytes: no refused run may change one (inputs, the model, the checkpoints).
snapshot() { sha256sum ./*.f32 ./*.csv ./*.hbm 2>/dev/null; stat -c '%F' /dev/null; }
before=$(snapshot)

run() {
  local status=0
  "${bin[@]}" "$@" >/dev/null 2>err.txt </dev/null || status=$?
  printf '%-3s %s\n' "$status" "$(head -n 1 err.txt | sed "s#$T/##g; s#$T#T#g")"
}

run pca --input s.f32 --dim 6 --batch 9223372036854775807
run pca --input s.f32 --dim 6 --batch 357913942
run pca --input s.f32 --dim 262144 --components 8192
run bench --dim 100000000 --components 100000
run bench --roofline --dim 16384 --components 8192
run pca --input s.f32 --dim 6 --max-samples 5000000000 --quiet
run pca --input s.f32 --dim 6 --max-samples 99999999999999999999
run pca --input s.f32 --dim 6 --eta -1
run pca --input s.f32 --dim 6 --t0 -5
run pca --input s.f32 --dim 6 --floor 2
run pca --input s.f32 --dim 6 --schedule cosine
run pca --input tiny.csv --quiet
run pca --input huge.csv --rule fsm --quiet
run pca --input s.f32 --dim 6 --components 3 --resume m31.hbm --quiet
run pca --input s.f32 --dim 6 --components 3 --resume m63.hbm --quiet
run pca --input s.f32 --dim 6 --components 3 --resume mbatch.hbm --quiet
run pca --input s.f32 --dim 6 --components 3 --resume msched.hbm --quiet
run pca --input s.f32 --dim 7
run monitor --input s.f32 --dim 6
run monitor --input s.f32 --dim 6 --learn 1000 --components 6
run monitor --input s.f32 --dim 6 --learn 1000 --window 3 --alarm 4
run monitor --input s.f32 --dim 6 --learn 1000 --false-alarm 1e-30
run monitor --input s.f32 --dim 6 --learn 1000000 --passes 1000000
run monitor --input s.f32 --dim 6 --learn 1000 --passes 2000000000
run monitor --input s.f32 --dim 6 --learn 9223372036854775807
run monitor --input s.f32 --dim 6 --learn 5000
run monitor --input s.f32 --dim 6 --learn 1000 --lags 100000
run monitor --input s.f32 --dim 6 --model m.hbm
run monitor --input s.f32 --dim 6 --resume m.hbm
run recall --dim 2305843009213693952 --patterns p1.f32 --cues p1.f32 --output r.f32
run recall --dim 536870912 --patterns p1.f32 --cues p1.f32 --output r.f32
run recall --dim 30000 --patterns big.f32 --cues big.f32 --output r.f32
run recall --model ei --dim 4 --inhibitory 9223372036854775807 --patterns p01.f32 --cues p01.f32 --output r.f32
run recall --model dense --dim 4 --degree 100000000 --patterns p1.f32 --cues p1.f32 --output r.f32
run recall --model modern --dim 4 --beta 1e300 --patterns p1.f32 --cues p1.f32 --output r.f32
run recall --dim 4 --patterns p1.f32 --cues half.f32 --output r.f32
run recall --dim 4 --patterns p1.f32 --cues p1.f32 --output p1.f32
run pca --input s.f32 --dim 6 --continue h.hbm --save-model h.hbm --quiet
run export --model m.hbm --output sticky/out.json
run pca --input s.f32 --dim 6 --project q.csv --quiet
rm q.csv.lock
run apply --model m.hbm --input glitch.csv --residual
run apply --model mmean.hbm --input glitch.csv --residual
run export --model mmean.hbm
run apply --model m.hbm --input glitch.csv --id-column 4294967297
run pca --input glitch.csv --id-column 4294967297 --project p.csv
run competing --input labels.csv --label-column 4294967297
run competing --input labels.csv --label-column 1
run pca --continue m.hbm --input glitch.csv --columns 1-5
run recall --dim 4 --steps 2000000 --patterns p1.f32 --cues p1.f32 --output r.f32

# Every command bounded: declared ranges, a work and memory budget before any work.
run export --model k1.hbm --output -
run export --model k2.hbm --output -
run export --model k3.hbm --output -
run export --model /dev/zero --output -
run train-plastic --bits 50 --cycles 2000000000 --present 2000000000 --episodes 1
run train-plastic --bits 100000000
run train-plastic --patterns 100000000
run train-plastic --cycles 100000 --present 100000
run train-plastic --cycles 10000 --present 10000 --episodes 1
run train-plastic --bits 4096
run train-plastic --lr 1e39
run stdp window --dt 1e-30
run stdp window --range 1e30
run stdp window --spacing 1e-30
run stdp window --range 1e9
run stdp window --range 1e6 --spacing 0.001
run stdp balance --seconds 1e30
run stdp balance --seconds 1e12
run stdp balance --seconds 1e7
run stdp balance --dt 1e-12
run stdp competitive --inputs 2000000000
run stdp reward --inputs 2000000000
run stdp window --seed 99999999999
run competing --rate 1e30 --epochs 1
run competing --hidden 2000000000
run competing --train 2000000000
run competing --test 2000000000
run competing --batch 2000000000
run competing --epochs 2000000000
run competing --readout-epochs 2000000000
run competing --epochs 1000000
run capacity --model hopfield --dim 100 --from 1e20 --to 1e20
run capacity --dim 100 --step 1e-30
run capacity --dim 100 --step 1e-6
run capacity --dim 100 --to 1e300
run capacity --dim 1000000 --from 100 --to 100
run capacity --dim 100 --trials 2000000000
run capacity --dim 100 --search 2000000000 --model ei
run capacity --dim 1000 --trials 100000
run learn --rule hebb --input imu.csv --save-weights w.f32
run learn --rule bcm --input imu.csv --threshold-tau 1e30
run learn --rule bcm --input imu.csv --threshold-tau 1e9
run learn --rule hebb --input imu.csv --passes 2000000000
run learn --rule hebb --input imu.csv --passes 1000000
run stdp window --dt "$(printf '1e-30\nsecond line')"
for f in nan junk range nul short long blank; do run pca --input deep-$f.csv --quiet; done

# Refused runs leave every file as it was, /dev/null a device, and no temporary behind.
after=$(snapshot)
[ "$before" = "$after" ] || { echo "a refused run changed a file:"; diff <(echo "$before") <(echo "$after"); exit 1; }
left=$(find . -name '.*.tmp' -o -name '*.lock' | wc -l)
[ "$left" = 0 ] || { echo "refused runs left $left temporaries"; exit 1; }
echo "files unchanged, no temporaries"
