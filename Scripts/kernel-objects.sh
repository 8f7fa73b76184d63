# Sourced by the C harnesses' scripts (Scripts/plain-loop.sh, Scripts/imu-modes.sh) from the
# package root: sets $work to a temporary directory (removed on exit) holding every C file of
# Sources/CHebbian compiled as SwiftPM's release build compiles them (clang -O2, per-function
# AVX2), in parallel.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for f in $(find Sources/CHebbian -name '*.c'); do
  clang -O2 -fPIC -std=c11 -Iinclude -ISources/CHebbian -c "$f" -o "$work/$(echo "$f" | tr / _).o" &
done
wait
