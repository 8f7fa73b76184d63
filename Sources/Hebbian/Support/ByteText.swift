/// Names, keywords, file extensions and option words are compared as UTF-8 bytes. They are
/// ASCII, and String's `==`, `hasPrefix`, `contains`, `dropFirst` and `split` work on grapheme
/// clusters under canonical equivalence, which links the Unicode normalisation and grapheme
/// tables (about 50 KB) into a board program; the board CLI is linked without them, so a
/// String comparison in its code fails the link.
extension String {
  package func isBytes(_ other: String) -> Bool { utf8.elementsEqual(other.utf8) }
  package func hasBytePrefix(_ prefix: String) -> Bool { utf8.starts(with: prefix.utf8) }
  package func hasByteSuffix(_ suffix: String) -> Bool {
    utf8.count >= suffix.utf8.count && utf8.suffix(suffix.utf8.count).elementsEqual(suffix.utf8)
  }
  /// The string without its first `prefix` and last `suffix` bytes (ASCII ends: a known
  /// prefix such as `pca.`, a C name's `hb_` and `_f32`).
  package func droppingBytes(prefix: Int, suffix: Int = 0) -> String {
    String(decoding: utf8.dropFirst(prefix).dropLast(suffix), as: UTF8.self)
  }
}

extension Sequence where Element == String {
  package func containsBytes(_ s: String) -> Bool { contains { $0.isBytes(s) } }
}

/// A `switch` over a String with literal cases (`case "hebb":`) compares bytes too: this
/// non-generic match is chosen over the standard library's Equatable one.
package func ~= (pattern: String, value: String) -> Bool { value.isBytes(pattern) }
