import CHebbianSys
import Glibc
import Hebbian
import Testing

@testable import HebbianCLI

/// hb_csv_parse_f32 against glibc's strtof (correctly rounded straight to float32).
@Suite struct FloatParserTests {
  /// The parser's answer: 0 and the bits, 1 (not a number) or 2 (out of range).
  func parse(_ text: String) -> (code: Int32, bits: UInt32) {
    var v: Float = 0
    let bytes = Array(text.utf8)
    let code = bytes.withUnsafeBufferPointer { b in
      b.baseAddress!.withMemoryRebound(to: CChar.self, capacity: Swift.max(b.count, 1)) {
        hb_csv_parse_f32($0, b.count, &v)
      }
    }
    return (code, code == 0 ? v.bitPattern : 0)
  }

  /// strtof's answer for text in the parser's grammar: 2 when it rounds to infinity.
  func reference(_ text: String) -> (code: Int32, bits: UInt32) {
    text.withCString { p in
      var end: UnsafeMutablePointer<CChar>? = nil
      let v = strtof(p, &end)
      precondition(end! - UnsafeMutablePointer(mutating: p) == text.utf8.count, text)
      return v.isInfinite ? (2, 0) : (0, v.bitPattern)
    }
  }

  func printf(_ format: String, _ value: Double) -> String {
    var buf = [CChar](repeating: 0, count: 512)
    let n = withVaList([value]) { vsnprintf(&buf, buf.count, format, $0) }
    precondition(n > 0 && n < buf.count)
    return String(decoding: buf.prefix(Int(n)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  func check(_ text: String, _ mismatches: inout [String]) {
    let got = parse(text)
    let want = reference(text)
    if got.code != want.code || got.bits != want.bits {
      mismatches.append("\(text): got \(got), strtof \(want)")
    }
  }

  /// Random float32 bit patterns as %.9g (round trip), %.8g and %.6g (rounded) and the
  /// shortest round-trip form, with random signs and exponent spellings.
  @Test func randomBitPatternsMatchStrtof() {
    var rng = SeededGenerator(seed: 19)
    var mismatches: [String] = []
    var checked = 0
    while checked < 200_000 {
      let f = Float(bitPattern: UInt32(truncatingIfNeeded: rng.next()))
      if !f.isFinite { continue }
      let d = Double(f)
      check(printf("%.9g", d), &mismatches)
      check(printf("%.8g", d), &mismatches)
      check(printf("%.6e", d), &mismatches)
      check(printf("%+.9E", d), &mismatches)
      check(Fmt.shortest(f), &mismatches)
      checked += 5
    }
    #expect(mismatches.count == 0, "\(mismatches.prefix(10))")
  }

  /// Exact halfway points between neighbouring floats (and their neighbours in double): the
  /// ties-to-even cases, printed exactly (up to 112 significant digits) and to 17 digits.
  @Test func halfwayCasesRoundToEven() {
    var rng = SeededGenerator(seed: 20)
    var mismatches: [String] = []
    var samples: [Float] = [
      1, 3, 0.1, 1e-38, .leastNormalMagnitude, .leastNonzeroMagnitude,
      Float.leastNormalMagnitude.nextDown, .greatestFiniteMagnitude.nextDown, 16_777_216,
    ]
    for _ in 0..<4000 {
      let f = Float(bitPattern: UInt32(truncatingIfNeeded: rng.next()) & 0x7FFF_FFFF)
      if f.isFinite && f < .greatestFiniteMagnitude { samples.append(f) }
    }
    for f in samples {
      let mid = (Double(f) + Double(f.nextUp)) / 2  // exact in double
      for v in [mid, mid.nextUp, mid.nextDown] {
        check(printf("%.120e", v), &mismatches)
        check(printf("%.17g", v), &mismatches)
        check(printf("%.17g", -v), &mismatches)
      }
    }
    // Exactly 2^-150 (halfway between 0 and the least subnormal) rounds to even: +0.
    #expect(parse(printf("%.200e", 0x1p-150)) == (0, 0))
    #expect(parse(printf("%.200e", Double(0x1p-150).nextUp)) == (0, 1))
    #expect(mismatches.count == 0, "\(mismatches.prefix(10))")
  }

  /// Mantissas of 20 to 400 digits (beyond the 64-bit fast path), leading zeros, and the
  /// boundaries of the float range.
  @Test func longMantissasAndBoundaries() {
    var rng = SeededGenerator(seed: 21)
    var mismatches: [String] = []
    for _ in 0..<3000 {
      let f = Float(bitPattern: UInt32(truncatingIfNeeded: rng.next()) & 0x7FFF_FFFF)
      if !f.isFinite { continue }
      let digits = 20 + Int(rng.next() % 380)
      let v = Double(f) * (1 + Double(Int64(rng.next() % 2001) - 1000) * 1e-9)
      check(printf("%.\(digits)e", v), &mismatches)
      check(printf("%.\(Swift.min(digits, 300))f", v), &mismatches)
    }
    let fixed = [
      "0.000000000000000000000000000000000000000000001401298464324817070923729583289916131280261941876515771757068283889791082685860601486638188362121582031250001",
      "340282356779733661637539395458142568448",  // FLT_MAX + half an ulp: a tie to inf
      "340282356779733661637539395458142568447.99999999999999999999",
      "3.40282346638528859811704183484516925440e+38", "3.4028235e38", "3.4028236e38",
      "1.17549435082228750796873653722224568e-38", "1.1754942e-38", "1.4e-45", "7.1e-46",
      "7e-46", "1e-46", "123456789012345678901234567890", "00000000000000000000000000001.5",
      "1.00000000000000000000000000000000000000000000000000000001",
      "0.99999999999999999999999999999999999999999999999999999999",
      "16777217", "16777217.000000000000000000000001", "9007199254740993",
      "1e38", "1e-45", "1e-64", "1e-65", "99999999999999999999e-84", "1e39", "-1e39", "0e999",
      "1e-999999999999", "1e999999999999", "-0", "+0.0", "0.0e-5", "-0.00000000000000000000",
    ]
    for t in fixed { check(t, &mismatches) }
    let long = "1." + String(repeating: "0", count: 600) + "1"
    check(long, &mismatches)
    check("0." + String(repeating: "0", count: 700) + "1e700", &mismatches)
    #expect(mismatches.count == 0, "\(mismatches.prefix(10))")
    #expect(parse("3.4028236e38").code == 2)
    #expect(parse("1e39").code == 2)
    #expect(parse("-1e39").code == 2)
    #expect(parse("1e-50") == (0, 0))
    #expect(parse("-0") == (0, 0x8000_0000))
    #expect(parse("1.4e-45") == (0, 1))
  }

  /// The grammar: what strtof would also read but a stream must not contain is refused.
  @Test func grammarAcceptsAndRefusesLikeTheReader() {
    let accepted: [(String, Float)] = [
      ("+1", 1), (".5", 0.5), ("5.", 5), ("-.5e1", -5), ("1E3", 1000), ("1e+3", 1000),
      ("1e-3", 0.001), ("007", 7), ("0.1", 0.1), ("-2.5E-1", -0.25),
    ]
    for (t, v) in accepted {
      #expect(parse(t) == (0, v.bitPattern), "\(t)")
    }
    let refused = [
      "", ".", "+", "-", "+-1", "--1", "e5", ".e1", "1e", "1e+", "1e-", "1.5x", " 1", "1 ",
      "1,5", "inf", "-inf", "Infinity", "nan", "NaN", "0x1p3", "1..2", "1e5.5", "1e1e1", "١",
      "1\u{0}",
    ]
    for t in refused {
      #expect(parse(t).code == 1, "\(t)")
    }
  }
}

/// The vectorised row parser: every scanner gives the same rows, and the fast path gives the
/// same samples, lines and errors as the careful one.
@Suite struct CSVRowParserTests {
  /// A random CSV text of `fields` columns: numbers in many spellings, blanks, CRLF,
  /// comments, blank lines, and (when `defects`) an occasional bad field or row.
  func randomCSV(
    _ rng: inout SeededGenerator, lines: Int, fields: Int, delimiter: String, defects: Bool
  )
    -> String
  {
    var text = ""
    for _ in 0..<lines {
      let r = rng.next() % 40
      if r == 0 {
        text += "# comment \(rng.next() % 100)\n"
        continue
      }
      if r == 1 {
        text += ["\n", "  \n", "\r\n", "\t\n"][Int(rng.next() % 4)]
        continue
      }
      var row: [String] = []
      for _ in 0..<fields {
        let f = Float(bitPattern: UInt32(truncatingIfNeeded: rng.next()) & 0x3FFF_FFFF)
        var s: String
        switch rng.next() % 6 {
        case 0: s = Fmt.shortest(f)
        case 1: s = "\(Int(rng.next() % 2000) - 1000)"
        case 2: s = "-" + Fmt.shortest(Float(rng.next() % 100_000) / 1000)
        case 3: s = String(repeating: "1", count: 25) + ".5e-20"
        default: s = Fmt.shortest(Float(rng.next() % 1_000_000) / 997)
        }
        if rng.next() % 10 == 0 { s = " " + s + (delimiter == "\t" ? " " : "\t") }
        row.append(s)
      }
      if defects && rng.next() % 20 == 0 {
        let nasty = [
          "x", "", "nan", "1e40", "1.2.3", "inf", "1\r", "\r", "2\u{0}", "#3", " ", "1 2", "+.5",
          "5.", "-0", "\u{0}", "1e-50", "٣", "\u{FEFF}1",
        ]
        row[Int(rng.next() % UInt64(fields))] = nasty[Int(rng.next() % UInt64(nasty.count))]
      }
      if defects && rng.next() % 80 == 0 { row.removeLast() }
      if defects && rng.next() % 80 == 0 { row.append("7") }
      text += row.joined(separator: delimiter) + (rng.next() % 8 == 0 ? "\r\n" : "\n")
    }
    return text
  }

  @Test func everyScannerGivesTheSameRows() throws {
    var rng = SeededGenerator(seed: 5)
    var isas = ["swar"]
    for isa in ["avx2", "neon"] {
      var r = hb_csv_result()
      var l = hb_csv_layout()
      if hb_csv_parse_rows_isa(isa, &l, nil, 0, 1, nil, 0, nil, nil, &r) == 0 { isas.append(isa) }
    }
    #expect(isas.contains(String(cString: hb_csv_isa())))
    for trial in 0..<80 {
      let d = 1 + trial % 7
      let delimiter = [",", ";", "\t"][trial % 3]
      // Half the trials: field 1 is the id, the others are features in order. The other half:
      // every field a feature, in order (the block path's stream of fields).
      let withID = trial % 4 < 2
      let fields = withID ? d + 1 : d
      let text = Array(
        randomCSV(&rng, lines: 300, fields: fields, delimiter: delimiter, defects: trial % 2 == 1)
          .utf8)
      var slot: [Int32] = withID ? [0, -2] : [0]
      for j in slot.count..<fields { slot.append(Int32(j - (withID ? 1 : 0))) }
      var outputs: [[String]] = []
      for isa in isas {
        var out: [String] = []
        var pos = 0
        var rows = [Float](repeating: 0, count: 64 * d)
        var lines = [Int64](repeating: 0, count: 64)
        var ids = [Int64](repeating: 0, count: 128)
        while true {
          var r = hb_csv_result()
          let status = slot.withUnsafeBufferPointer { s in
            var layout = hb_csv_layout(
              delimiter: delimiter.utf8.first!, fields: Int32(fields), slot: s.baseAddress,
              dimension: Int32(d))
            return text.withUnsafeBufferPointer { b in
              ids.withUnsafeMutableBufferPointer { i in
                hb_csv_parse_rows_isa(
                  isa, &layout, b.baseAddress! + pos, b.count - pos, 1, &rows, 64, &lines,
                  withID ? i.baseAddress : nil, &r)
              }
            }
          }
          #expect(status == 0)
          out.append("consumed \(r.consumed) rows \(r.rows) lines \(r.lines) status \(r.status)")
          for i in 0..<Int(r.rows) {
            let at = pos + Int(ids[2 * i])
            let id =
              withID ? String(decoding: text[at..<(at + Int(ids[2 * i + 1]))], as: UTF8.self) : ""
            out.append("\(lines[i]) \(id) \(rows[(i * d)..<(i * d + d)].map(\.bitPattern))")
          }
          pos += Int(r.consumed)
          if r.rows == 0 { break }
        }
        outputs.append(out)
      }
      for (k, o) in outputs.enumerated().dropFirst() {
        #expect(o == outputs[0], "\(isas[k]) differs from swar in trial \(trial)")
      }
    }
  }

  /// Reads a file with the fast path, with the careful path only, and in blocks of random
  /// sizes (the fast path straight into the caller's buffer).
  func readBoth(_ path: String, dim: Int?, csv: SampleReader.CSVOptions, chunk: Int) -> [String] {
    var results: [String] = []
    var rng = SeededGenerator(seed: UInt64(chunk))
    for mode in ["fast", "careful", "blocks"] {
      var log = ""
      do throws(CLIError) {
        var r = try SampleReader(
          path: path, format: .csv, dimension: dim, chunkBytes: chunk, csv: csv)
        r.carefulOnly = mode == "careful"
        r.skipNonFinite = chunk % 2 == 1
        let d = try r.prime()
        if mode == "blocks" {
          var x = [Float](repeating: 0, count: d * 300)
          while true {
            let capacity = 1 + Int(rng.next() % 300)
            let got = try x.withUnsafeMutableBufferPointer { (b) throws(CLIError) -> Int in
              try r.next(into: b.baseAddress!, max: capacity)
            }
            if got == 0 { break }
            #expect(got <= capacity)
            for i in 0..<got {
              let row = x[(i * d)..<(i * d + d)].map(\.bitPattern)
              log += "\(r.line(of: i)) \(String(decoding: r.id(of: i), as: UTF8.self)) \(row)\n"
            }
            #expect(r.line == r.line(of: got - 1) && r.id == r.id(of: got - 1))
          }
        } else {
          var x = [Float](repeating: 0, count: d)
          while try x.withUnsafeMutableBufferPointer({ (b) throws(CLIError) -> Bool in
            try r.next(into: b.baseAddress!)
          }) {
            log += "\(r.line) \(String(decoding: r.id, as: UTF8.self)) \(x.map(\.bitPattern))\n"
          }
        }
        log += "end: \(r.records) records, \(r.skipped) skipped"
      } catch {
        log += "error: \(error.message)"
      }
      results.append(log)
    }
    return results
  }

  @Test func fastPathMatchesTheCarefulPath() {
    var rng = SeededGenerator(seed: 6)
    let dir = temporaryDirectory()
    for trial in 0..<400 {
      let d = 1 + trial % 5
      let delimiter = [",", ";", "\t"][trial % 3]
      var text = trial % 4 == 0 ? "h1" + String(repeating: delimiter + "h", count: d) + "\n" : ""
      text += randomCSV(
        &rng, lines: 50, fields: d + 1, delimiter: delimiter, defects: trial % 3 != 0)
      let path = dir + "/t\(trial).csv"
      writeText(path, text)
      let csv = SampleReader.CSVOptions(idColumn: trial % 2 == 0 ? 0 : nil)
      let chunk = 64 + Int(rng.next() % 300)
      let both = readBoth(
        path, dim: trial % 5 == 0 ? d + (trial % 2 == 0 ? 0 : 1) : nil, csv: csv, chunk: chunk)
      #expect(both[0] == both[1], "trial \(trial)")
      #expect(both[0] == both[2], "trial \(trial): blocks")
      #expect(both[0].contains("end:") || both[0].contains("error:"))
    }
  }

  /// Scanners this machine has.
  func scanners() -> [String] {
    var isas = ["swar"]
    for isa in ["avx2", "neon"] {
      var r = hb_csv_result()
      var l = hb_csv_layout()
      if hb_csv_parse_rows_isa(isa, &l, nil, 0, 1, nil, 0, nil, nil, &r) == 0 { isas.append(isa) }
    }
    return isas
  }

  func format(_ f: String, _ args: CVarArg...) -> String {
    var buf = [CChar](repeating: 0, count: 512)
    let n = withVaList(args) { vsnprintf(&buf, buf.count, f, $0) }
    precondition(n > 0 && n < buf.count)
    return String(decoding: buf.prefix(Int(n)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// A number as streams spell it, or as the rounding cases need it.
  func spelling(_ rng: inout SeededGenerator) -> String {
    var f: Float
    repeat { f = Float(bitPattern: UInt32(truncatingIfNeeded: rng.next())) } while !f.isFinite
    let d = Double(f)
    switch rng.next() % 9 {
    case 0: return format("%.9g", d)
    case 1: return format("%.8g", d)
    case 2: return format("%.6e", d)
    case 3: return format("%+.9E", d)
    case 4:  // the IMU shape: fixed notation, a few integer digits
      let v = Double(Int64(rng.next() % 2_000_000_001)) * 1e-8 - 10
      return format("%.*f", Int32(rng.next() % 10), v)
    case 5:  // halfway between two floats: exact when short, else to 17 digits
      let g = f.nextUp.isFinite ? f.nextUp : f
      let mid = (d + Double(g)) / 2
      let exact = format("%.40g", mid)
      let digits = exact.prefix { $0 != "e" }.filter(\.isNumber).count
      if digits <= 19 { return exact }
      let near = [mid, mid.nextUp, mid.nextDown][Int(rng.next() % 3)]
      return format("%.17g", near)
    case 6:  // digit strings of 1 to 22 digits, the point anywhere, an exponent or not
      let n = 1 + Int(rng.next() % 22)
      let dot = Int(rng.next() % UInt64(n + 2)) - 1
      var t = rng.next() % 2 == 0 ? "" : (rng.next() % 2 == 0 ? "-" : "+")
      for i in 0..<n {
        if i == dot { t += "." }
        let digit = i == 0 && rng.next() % 4 != 0 ? 1 + rng.next() % 9 : rng.next() % 10
        t += String(digit)
      }
      if dot == n { t += "." }
      if rng.next() % 3 == 0 {
        t += (rng.next() % 2 == 0 ? "e" : "E") + String(Int(rng.next() % 100) - 50)
      }
      return t
    case 7:  // integers from 2^24 to 5 * 2^24: float ties among them
      let v = (1 << 24) + rng.next() % (1 << 26)
      return rng.next() % 2 == 0 ? "\(v)" : "\(v).0"
    default:
      let v = Double(Int64(bitPattern: rng.next())) * Double(sign: .plus, exponent: Int(rng.next() % 200) - 100, significand: 1)
      return format("%.*g", Int32(1 + rng.next() % 17), v)
    }
  }

  /// Numbers four to a line through the row parser (fast path, and the careful path for the
  /// spellings it leaves), with every scanner, against strtof. A line is refused only for a
  /// number beyond the float range.
  @Test func rowNumbersMatchStrtof() {
    var rng = SeededGenerator(seed: 7)
    let fields = 4
    var numbers: [String] = []
    for _ in 0..<(fields * 10_000) { numbers.append(spelling(&rng)) }
    var text: [UInt8] = []
    for (i, t) in numbers.enumerated() {
      text += Array(t.utf8)
      text.append(i % fields == fields - 1 ? 10 : 44)
    }
    let want = numbers.map { t in
      t.withCString { p -> Float in strtof(p, nil) }
    }
    let slot: [Int32] = [0, 1, 2, 3]
    for isa in scanners() {
      var mismatches: [String] = []
      var refused = 0
      var pos = 0
      var line = 0
      var rows = [Float](repeating: 0, count: 512 * fields)
      var lines = [Int64](repeating: 0, count: 512)
      while line < numbers.count / fields {
        var r = hb_csv_result()
        _ = slot.withUnsafeBufferPointer { s in
          var layout = hb_csv_layout(
            delimiter: 44, fields: Int32(fields), slot: s.baseAddress, dimension: Int32(fields))
          return text.withUnsafeBufferPointer { b in
            hb_csv_parse_rows_isa(
              isa, &layout, b.baseAddress! + pos, b.count - pos, 1, &rows, 512, &lines, nil, &r)
          }
        }
        for i in 0..<(Int(r.rows) * fields) where rows[i].bitPattern != want[line * fields + i].bitPattern {
          mismatches.append("\(numbers[line * fields + i]): got \(rows[i]), strtof \(want[line * fields + i])")
        }
        line += Int(r.rows)
        pos += Int(r.consumed)
        if r.status == Int32(HB_CSV_SLOW) {
          let values = want[(line * fields)..<(line * fields + fields)]
          if !values.contains(where: \.isInfinite) {
            mismatches.append("refused: \(numbers[(line * fields)..<(line * fields + fields)])")
          }
          refused += 1
          while text[pos] != 10 { pos += 1 }
          pos += 1
          line += 1
        } else if r.rows == 0 {
          break
        }
      }
      #expect(line == numbers.count / fields, "\(isa)")
      #expect(refused > 100 && refused < 2000, "\(isa): \(refused) lines refused")
      #expect(mismatches.isEmpty, "\(isa): \(mismatches.prefix(10))")
    }
  }
}
