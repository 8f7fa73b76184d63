# Sourced by the CSV and pipe benchmarks: the release `hebbian` ($HEBBIAN when given) in $bin,
# and the demo's IMU stream of $rows samples as CSV and f32 in a temporary $dir.
if [ -n "${HEBBIAN:-}" ]; then
  bin=$HEBBIAN
else
  swift build -c release --product hebbian >/dev/null
  bin="$(swift build -c release --show-bin-path)/hebbian"
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$bin" demo --samples "$rows" --save-stream "$dir/imu.csv" >/dev/null 2>&1
"$bin" demo --samples "$rows" --save-stream "$dir/imu.f32" >/dev/null 2>&1
