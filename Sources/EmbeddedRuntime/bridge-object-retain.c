// Correct definitions of two Embedded Swift runtime entry points, linked into every Embedded
// program of Scripts/cross-build.sh (never into the SwiftPM build, whose runtime is right).
//
// Swift 6.3's Embedded runtime (stdlib/public/core/EmbeddedRuntime.swift) returns the
// *untagged* object from swift_bridgeObjectRetain(_n): the argument masked with
// bridgeObjectToPlainObjectMask (0x8fff_ffff_ffff_fff8 on 64-bit targets). The compiler
// declares these functions as returning their argument, so code generation may use the
// returned register in place of the value it retained. When the value is the second word of a
// String, that clears its discriminator's isSmall/isASCII bits: a small String such as
// "m.hbm" (0xE5 in the top byte) comes back as 0x85..., is read as a large native String and
// its "storage" (the top byte masked off: 0x05 << 56) is dereferenced. The aarch64 build of
// the CLIs at -Osize did exactly that in `pca --save-model`: PCACommand.Stream.finish kept the
// returned value of the retain of `options.saveModel` and passed it to OutputSession.write,
// which crashed comparing it in OutputSession.target. The -O build was exposed too; its
// register allocation just happened not to reuse the returned value for a String.
// Upstream fix: swiftlang/swift#91151, "[Embedded] Don't corrupt the pointer returned from
// swift_bridgeObjectRetain_n" (retain the untagged object, return the argument).
//
// The toolchain's definitions are weak in every Swift object file, so these strong ones win
// at link time; on 32-bit targets the mask is the identity and the two agree. Once the
// toolchain carries the fix this file is redundant but still correct.
#include <stdint.h>

void *swift_retain_n(void *object, uint32_t n);
void *swift_bridgeObjectRetain_n(void *object, uint32_t n);
void *swift_bridgeObjectRetain(void *object);

void *swift_bridgeObjectRetain_n(void *object, uint32_t n) {
  uintptr_t bits = (uintptr_t)object;
#if UINTPTR_MAX > 0xffffffffu
  // HeapObject.bridgeObjectToPlainObjectMask: bit 63 (immortal, which swift_retain_n skips)
  // and the address; the tag bits 60-62 and the low 3 bits go.
  bits &= 0x8ffffffffffffff8u;
#endif
  swift_retain_n((void *)bits, n);
  return object;
}

void *swift_bridgeObjectRetain(void *object) { return swift_bridgeObjectRetain_n(object, 1); }
