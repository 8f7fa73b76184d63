#!/usr/bin/env bash
# Cross-compiles the `hebbian` tool and the C kernel library for ARM Linux boards with
# Embedded Swift and Debian's GNU cross toolchains (no Swift SDK needed).
#
#   bash Scripts/cross-build.sh [aarch64|armv7|all|host] [--objects-only|--no-footprint|--print-cc]
#
# Outputs in out/<arch>/: hebbian (stripped), hebbian.map (the linker map), hebbian-board (the
# deployment commands only: pca, apply, export, monitor, info, selftest, bench; no demo and
# no experiments module), libchebbian.a,
# the object files (one per Swift module, LLVM bitcode: the board examples link Hebbian.o, never
# HebbianExperiments.o), board-monitor (Examples/board-monitor: stdin f32 -> NoveltyMonitor -> alarm
# lines on stdout) and board-pca (Examples/board-pca: stdin f32 -> OnlinePCA -> stdout, the
# smallest useful program). Every program is linked without the Unicode data tables, so the
# link fails if any of its code compares or hashes Strings
# (Sources/Hebbian/Support/ByteText.swift). `host` builds the same Embedded Swift binaries for
# this x86_64 Linux machine (the toolchain's embedded x86_64-unknown-linux-gnu target): the
# footprint a board would have, measured natively (Scripts/footprint.sh).
# --objects-only stops after compiling (no cross linker needed): the board-build check.
# --print-cc prints the C compiler and flags the kernels are built with, and builds nothing.
# All Swift code is built -Osize (the per-sample work is in the C kernels, built -O3);
# HB_SWIFT_OPT=-O builds the CLIs' Swift for speed; the board examples always link their own
# -Osize copy of the library (obj/size) without the monitor's speed attributes. Every program links Sources/EmbeddedRuntime, which replaces the
# toolchain's swift_bridgeObjectRetain: Swift 6.3's Embedded runtime returns the retained
# object with its tag bits cleared, which corrupted a small String in the -Osize CLI (the
# reduced case: Scripts/bridge-retain-check.sh); the link fails if the replacement is not used.
set -euo pipefail
cd "$(dirname "$0")/.."

arches=${1:-all}
objects_only=0
no_footprint=0
print_cc=0
[ "${2:-}" = "--objects-only" ] && objects_only=1
[ "${2:-}" = "--no-footprint" ] && no_footprint=1
[ "${2:-}" = "--print-cc" ] && print_cc=1
[ "$arches" = all ] && arches="aarch64 armv7"
swift_opt=${HB_SWIFT_OPT:--Osize}

swift_sources() { find "$1" -name '*.swift' | LC_ALL=C sort; }
science_commands='Capacity|Competing|Learn|Recall|STDP|TrainPlastic'
# The science commands and demo, left out of the board CLI.
board_cli_sources() {
  swift_sources Sources/hebbian-cli |
    grep -Ev "/Commands/($science_commands|Demo)Command[^/]*\.swift$"
}
c_kernel_sources() { find Sources/CHebbian -name '*.c' | LC_ALL=C sort; }

for arch in $arches; do
  case "$arch" in
    aarch64)
      swift_target=aarch64-none-none-elf
      swift_arch_flags=()
      cc=aarch64-linux-gnu-gcc
      strip=aarch64-linux-gnu-strip
      ar=aarch64-linux-gnu-ar
      c_arch_flags=(-march=armv8-a)
      # Segments aligned to 16 KiB, not ld's 64 KiB default for aarch64: runs on 4 KiB and
      # 16 KiB page kernels (Pi 3/4, and Pi 5's default) and saves up to 60 KiB of padding
      # per binary; a 64 KiB page kernel would refuse it.
      link_flags=(-Wl,-z,max-page-size=16384)
      ;;
    armv7)
      swift_target=armv7-none-none-eabi
      # The Swift code in Thumb-2, like the C (Debian's armhf gcc defaults to it): a quarter
      # smaller than ARM code (the bitcode's triple becomes thumbv7-none-none-eabihf).
      swift_arch_flags=(-Xcc -mfloat-abi=hard -Xcc -mfpu=neon-vfpv4 -Xcc -mthumb)
      cc=arm-linux-gnueabihf-gcc
      strip=arm-linux-gnueabihf-strip
      ar=arm-linux-gnueabihf-ar
      # vfpv4 brings the fused multiply-add the NEON bodies are written with.
      c_arch_flags=(-march=armv7-a -mfloat-abi=hard -mfpu=neon-vfpv4)
      link_flags=()
      ;;
    host)
      swift_target=x86_64-unknown-linux-gnu
      swift_arch_flags=()
      cc=gcc
      strip=strip
      ar=ar
      c_arch_flags=()
      link_flags=()
      ;;
    *) echo "unknown arch '$arch' (aarch64, armv7, all, host)" >&2; exit 2 ;;
  esac
  # Linked with the Swift toolchain's lld: it packs the read-only and the RELRO segments
  # without the file padding GNU ld leaves before a 16 KiB-aligned RELRO end (14 KB of
  # board-monitor's 150 KB).
  lld_dir=$(dirname "$(command -v swiftc)")
  if [ ! -x "$lld_dir/ld.lld" ]; then
    echo "no ld.lld beside swiftc: it compiles the Swift bitcode" >&2
    exit 1
  fi
  link_flags+=(-B"$lld_dir" -fuse-ld=lld)
  # Code generation of the Swift bitcode, in lld: LLVM's machine outliner (on for -Osize
  # functions on ARM) also outlines from the standard library code each module emits
  # (linkonce_odr, skipped by default) and runs twice (14 KB of aarch64 hebbian-board before
  # link-time optimisation). The armv7 bitcode carries its hard-float calling convention in
  # its triple (thumbv7-none-none-eabihf, from -mfloat-abi=hard).
  link_flags+=(-Wl,-mllvm,-enable-linkonceodr-outlining -Wl,-mllvm,-machine-outliner-reruns=2)
  # No unwind tables: nothing unwinds through C (perf walks the frame pointers, a debugger
  # reads -g's .debug_frame in the unstripped binary); they were 1.6 KB of board-pca, enough
  # to push its data segment across a 16 KiB boundary.
  cflags=(-std=c11 -O3 -fPIC -fno-omit-frame-pointer -g
          -fno-asynchronous-unwind-tables -fno-unwind-tables
          -ffunction-sections -fdata-sections "${c_arch_flags[@]}" -Iinclude)
  # The kernels go without gcc's loop vectoriser: their vector paths are written with
  # intrinsics, and what it vectorised was scalar bodies and d mod 4 tails (versioned with a
  # runtime check and an epilogue each: 20 % of the kernels' code, 4.5 KB of board-monitor),
  # with the same results, since -std=c11 contracts nothing and reductions stay in order.
  kernel_opt=(-fno-tree-vectorize)
  if [ $print_cc = 1 ]; then echo "$cc ${cflags[*]} ${kernel_opt[*]}"; continue; fi
  out=out/$arch
  rm -rf "$out"; mkdir -p "$out/obj"
  # -package-name: the library's `package` declarations need one, as SwiftPM passes for
  # hosted builds; Lifetimes: OwnedBuffer's span properties. The Swift objects are LLVM
  # bitcode (-lto=llvm-full): lld compiles each program's Swift modules as one at the link,
  # so the library's code a program does not call is gone before code generation and the
  # rest is inlined and outlined across module boundaries (the C kernels stay gcc's objects).
  # `nm` cannot read these objects: use the Swift toolchain's llvm-nm. The SIL inliner's
  # -Osize benefit is divided by 4, not 2: 6.8 KB of armv7 hebbian-board, 3.4 KB of aarch64's,
  # with the instructions of pca and monitor within 0.2 % (callgrind, x86_64).
  common=(-target "$swift_target" "${swift_arch_flags[@]}" -enable-experimental-feature Embedded
          -enable-experimental-feature Lifetimes -package-name swift_hebbian
          -wmo "$swift_opt" -parse-as-library -lto=llvm-full
          -Xfrontend -sil-inline-caller-benefit-reduction-factor -Xfrontend 4
          -Xcc -fno-omit-frame-pointer -I include -I Sources/CHebbianSys/include -I "$out/obj")
  swiftc "${common[@]}" -module-name Hebbian -emit-module \
    -emit-module-path "$out/obj/Hebbian.swiftmodule" \
    -c $(swift_sources Sources/Hebbian) -o "$out/obj/Hebbian.o"
  swiftc "${common[@]}" -module-name HebbianExperiments -emit-module \
    -emit-module-path "$out/obj/HebbianExperiments.swiftmodule" \
    -c $(swift_sources Sources/HebbianExperiments) -o "$out/obj/HebbianExperiments.o"
  swiftc "${common[@]}" -module-name HebbianCLI \
    -c $(swift_sources Sources/hebbian-cli) -o "$out/obj/HebbianCLI.o"
  # The board CLI: the deployment commands only (Command.deployment), no demo, no experiments
  # module.
  swiftc "${common[@]}" -D HEBBIAN_BOARD -module-name HebbianCLI \
    -c $(board_cli_sources) -o "$out/obj/HebbianBoardCLI.o"
  # The board examples are built for size, with their own -Osize copy of the library (obj/size)
  # in which HEBBIAN_SIZE_FIRST leaves out the speed attributes of the monitor's per-sample
  # methods: their per-sample Swift work is a few calls around the C kernels, which stay -O3,
  # and they must fit in 100 KB.
  size_lib=$out/obj/size
  mkdir -p "$size_lib"
  small=(-D HEBBIAN_SIZE_FIRST)
  for flag in "${common[@]}"; do
    case $flag in
      "$swift_opt") small+=(-Osize) ;;
      "$out/obj") small+=("$size_lib") ;;
      *) small+=("$flag") ;;
    esac
  done
  swiftc "${small[@]}" -module-name Hebbian -emit-module \
    -emit-module-path "$size_lib/Hebbian.swiftmodule" \
    -c $(swift_sources Sources/Hebbian) -o "$size_lib/Hebbian.o"
  swiftc "${small[@]}" -module-name BoardPCA \
    -c Examples/board-pca/main.swift -o "$out/obj/BoardPCA.o"
  swiftc "${small[@]}" -module-name BoardMonitor \
    -c Examples/board-monitor/main.swift -o "$out/obj/BoardMonitor.o"
  if [ $objects_only = 1 ] && ! command -v "$cc" >/dev/null; then
    # Without the cross gcc, check the C kernels with clang's own ARM backend.
    case $arch in
      aarch64) ctarget=(--target=aarch64-linux-gnu) ;;
      armv7) ctarget=(--target=armv7a-linux-gnueabihf -mfpu=neon-vfpv4 -mfloat-abi=hard) ;;
    esac
    for f in $(c_kernel_sources); do
      clang "${ctarget[@]}" -ffreestanding -std=c11 -O2 -Iinclude -c "$f" \
        -o "$out/obj/$(echo "$f" | tr / _).o" -fsyntax-only
    done
    echo "$arch: Swift objects built, C kernels syntax-checked (no cross gcc installed)"
    continue
  fi
  objs=()
  for f in $(c_kernel_sources); do
    o="$out/obj/$(echo "${f#Sources/CHebbian/}" | tr / _).o"
    # The contracts (the self-test's sweeps and scalar references) are built for size: -O3
    # unrolls each sweep to 12 KB; the kernels they check stay -O3.
    case $f in *contract.c) copt=(-Os) ;; *) copt=("${kernel_opt[@]}") ;; esac
    "$cc" "${cflags[@]}" "${copt[@]}" -c "$f" -o "$o"
    objs+=("$o")
  done
  sysobjs=()
  for f in Sources/CHebbianSys/*.c; do
    o="$out/obj/sys_$(basename "$f" .c).o"
    # Built for size: the system-call wrappers, output files and the scanner dispatch (no
    # per-sample loop), and on aarch64 the SWAR CSV scanner, which only HEBBIAN_ISA=scalar
    # selects there (NEON is baseline); armv7 reads CSV with it. -std=c11 contracts no
    # multiply-add at any level, so the numbers parsed are the same.
    case $arch/$(basename "$f") in
      */sys.c | */outputs.c | */csv.c | aarch64/csv-scan-scalar.c) sopt=(-Os) ;;
      *) sopt=() ;;
    esac
    "$cc" "${cflags[@]}" "${sopt[@]}" -ISources/CHebbianSys/include -c "$f" -o "$o"
    sysobjs+=("$o")
  done
  rm -f "$out/libchebbian.a"
  "$ar" rcs "$out/libchebbian.a" "${objs[@]}"
  runtime=$out/obj/embedded-runtime.o
  "$cc" "${cflags[@]}" -c Sources/EmbeddedRuntime/bridge-object-retain.c -o "$runtime"
  [ $objects_only = 1 ] && { echo "$arch: objects built in $out/obj"; continue; }
  # Every program: unused sections dropped; identical functions folded (outlined sequences
  # and specialisations repeat across the Swift modules); relative relocations packed
  # (DT_RELR, 8 bytes per run instead of 24 per pointer: 13 KB of hebbian-board; it needs
  # glibc 2.36, which the binaries require anyway); stripped of the toolchains' .comment.
  # The self-test tells a kernel without a body of its own by its function pointer, so no
  # C kernel may be folded into another: the link fails if one is. The toolchain's weak
  # swift_bridgeObjectRetain must lose to Sources/EmbeddedRuntime's: the link fails if not.
  link_program() {
    local name=$1
    shift
    "$cc" "${link_flags[@]}" -Wl,--gc-sections -Wl,--icf=all -Wl,--print-icf-sections \
      -Wl,-z,pack-relative-relocs -Wl,-Map,"$out/$name.map" -o "$out/$name.debug" "$@" \
      "$runtime" -lm > "$out/$name.icf"
    if grep -E ':\(\.text\.swift_bridgeObjectRetain(_n)?\)' "$out/$name.map" |
      grep -vq '/embedded-runtime\.o:'; then
      echo "$name: linked the toolchain's swift_bridgeObjectRetain (see $out/$name.map)" >&2
      exit 1
    fi
    if grep -Eq 'removing identical section.*\(\.text\.hb_[a-z0-9_]*__(scalar|avx2|neon)\)' \
      "$out/$name.icf"; then
      echo "$name: identical-code folding merged C kernels (see $out/$name.icf)" >&2
      exit 1
    fi
    "$strip" --remove-section=.comment -o "$out/$name" "$out/$name.debug"
  }
  link_program hebbian "$out/obj/HebbianCLI.o" "$out/obj/HebbianExperiments.o" "$out/obj/Hebbian.o" \
    "${sysobjs[@]}" "$out/libchebbian.a"
  link_program hebbian-board "$out/obj/HebbianBoardCLI.o" "$out/obj/Hebbian.o" "${sysobjs[@]}" \
    "$out/libchebbian.a"
  echo "$arch: $out/hebbian-board  stripped size $(stat -c %s "$out/hebbian-board") bytes (deployment commands)"
  link_program board-pca "$out/obj/BoardPCA.o" "$size_lib/Hebbian.o" "$out/obj/sys_sys.o" \
    "$out/libchebbian.a"
  echo "$arch: $out/board-pca  stripped size $(stat -c %s "$out/board-pca") bytes"
  link_program board-monitor "$out/obj/BoardMonitor.o" "$size_lib/Hebbian.o" "$out/obj/sys_sys.o" \
    "$out/libchebbian.a"
  echo "$arch: $out/board-monitor  stripped size $(stat -c %s "$out/board-monitor") bytes"
  size=$(stat -c %s "$out/hebbian")
  echo "$arch: $out/hebbian  stripped size $size bytes (dynamic, glibc)"
done

# Footprint: measured under qemu-user when it is installed. getrusage() there reports the
# emulator process, so the peak RSS is an upper bound of what the board itself uses.
[ $objects_only = 1 ] || [ $no_footprint = 1 ] || [ $print_cc = 1 ] && exit 0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo
echo "footprint (peak RSS under qemu-user: an upper bound, it includes the emulator)"
printf '%-8s %14s %20s %24s %24s\n' arch "stripped bytes" "demo peak RSS KiB" "pca 100k stream MiB" "pca 1M stream MiB"
for arch in $arches; do
  case $arch in
    aarch64) run=(qemu-aarch64 -L /usr/aarch64-linux-gnu) ;;
    armv7) run=(qemu-arm -L /usr/arm-linux-gnueabihf) ;;
    host) run=(env) ;;
  esac
  command -v "${run[0]}" >/dev/null || { echo "$arch: ${run[0]} not installed, no footprint"; continue; }
  bin=out/$arch/hebbian
  demo_rss=$("${run[@]}" "$bin" demo 2>&1 >/dev/null | sed -n 's/^demo: peak RSS \([0-9]*\) KiB$/\1/p')
  "${run[@]}" "$bin" demo --samples 1000000 --save-stream "$tmp/imu.f32" >/dev/null 2>&1
  head -c $((100000 * 6 * 4)) "$tmp/imu.f32" > "$tmp/imu100k.f32"
  pca() { "${run[@]}" "$bin" pca --input "$1" --dim 6 --components 3 --center --quiet 2>&1 |
    sed -n 's/^peak memory *\([0-9]*\) MiB.*/\1/p'; }
  printf '%-8s %14s %20s %24s %24s\n' "$arch" "$(stat -c %s "$bin")" "$demo_rss" \
    "$(pca "$tmp/imu100k.f32")" "$(pca "$tmp/imu.f32")"
done
