#!/usr/bin/env bash
# The reduced case of the Embedded runtime bug that Sources/EmbeddedRuntime works around:
# swift_bridgeObjectRetain must return its argument, and Swift 6.3's Embedded runtime returns it
# with the tag bits cleared. A C caller retains the second word of a small String ("m.hbm":
# 0xE5 in the top byte) through the runtime that any Embedded Swift object carries, once with
# the toolchain's definition and once with the replacement the cross builds link.
#
#   bash Scripts/bridge-retain-check.sh [host|aarch64|armv7]
#
# Prints both results; fails if the replacement does not return its argument. 32-bit targets
# have no tag bits in that word (it retains an immortal object there), so both agree.
set -euo pipefail
cd "$(dirname "$0")/.."
arch=${1:-host}
case $arch in
  host) target=x86_64-unknown-linux-gnu; flags=(); cc=gcc; run=(env) ;;
  aarch64) target=aarch64-none-none-elf; flags=(); cc=aarch64-linux-gnu-gcc
    run=(qemu-aarch64 -L /usr/aarch64-linux-gnu) ;;
  armv7) target=armv7-none-none-eabi; flags=(-Xcc -mfloat-abi=hard -Xcc -mfpu=neon-vfpv4)
    cc=arm-linux-gnueabihf-gcc; run=(qemu-arm -L /usr/arm-linux-gnueabihf) ;;
  *) echo "unknown arch '$arch' (host, aarch64, armv7)" >&2; exit 2 ;;
esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Any Embedded Swift object that copies a String or an Array carries the runtime (weak).
echo 'public func copies(_ a: [String]) -> [String] { var b = a; b.append("x"); return b }' \
  > "$tmp/lib.swift"
cat > "$tmp/check.c" <<'C'
#include <stdint.h>
#include <stdio.h>
void *swift_bridgeObjectRetain(void *object);
/* 32-bit: an immortal heap object (its refcount all ones below the top bit), untagged. */
static struct { void *metadata; intptr_t refcount; } object = {0, INTPTR_MAX};
int main(void) {
  uintptr_t word = UINTPTR_MAX > 0xffffffffu ? (uintptr_t)0xE500000000000000u
                                             : (uintptr_t)&object;
  void *back = swift_bridgeObjectRetain((void *)word);
  printf("%#jx -> %#jx: %s\n", (uintmax_t)word, (uintmax_t)(uintptr_t)back,
         (uintptr_t)back == word ? "returned unchanged" : "corrupted");
  return (uintptr_t)back != word;
}
C
swiftc -target "$target" "${flags[@]}" -enable-experimental-feature Embedded -wmo -Osize \
  -parse-as-library -Xllvm -relocation-model=pic -module-name Lib -c "$tmp/lib.swift" \
  -o "$tmp/lib.o"
"$cc" -O2 -fPIC -c "$tmp/check.c" -o "$tmp/check.o"
"$cc" -O2 -fPIC -c Sources/EmbeddedRuntime/bridge-object-retain.c -o "$tmp/fix.o"
"$cc" "$tmp/check.o" "$tmp/lib.o" -o "$tmp/toolchain"
"$cc" "$tmp/check.o" "$tmp/lib.o" "$tmp/fix.o" -o "$tmp/replaced"
printf 'toolchain runtime:   '
"${run[@]}" "$tmp/toolchain" || true
printf 'with the replacement: '
"${run[@]}" "$tmp/replaced"
