import Hebbian
import Testing

@testable import HebbianCLI

/// CSV as sensors and loggers write it: delimiters, column selection, an id column, headers,
/// byte-order marks, UTF-16 and NUL bytes, long fields in messages.
@Suite struct CSVDialectTests {
  /// Every sample (with its id) of `bytes` read as CSV, or the error (file name only).
  func read(
    _ bytes: [UInt8], dim: Int? = nil, _ options: SampleReader.CSVOptions = .init(),
    chunk: Int = 64
  ) -> (samples: [[Float]], ids: [String], error: String?) {
    let path = temporaryDirectory() + "/in.csv"
    try! Files.write(path, bytes)
    var samples: [[Float]] = []
    var ids: [String] = []
    do throws(CLIError) {
      var r = try SampleReader(
        path: path, format: .csv, dimension: dim, chunkBytes: chunk, csv: options)
      let d = try r.prime()
      var x = [Float](repeating: 0, count: d)
      while try x.withUnsafeMutableBufferPointer({ (b) throws(CLIError) -> Bool in
        try r.next(into: b.baseAddress!)
      }) {
        samples.append(x)
        ids.append(String(decoding: r.id, as: UTF8.self))
      }
      return (samples, ids, nil)
    } catch {
      return (samples, ids, error.message.split(separator: "/").last.map(String.init))
    }
  }

  func read(
    _ text: String, dim: Int? = nil, _ options: SampleReader.CSVOptions = .init(), chunk: Int = 64
  ) -> (samples: [[Float]], ids: [String], error: String?) {
    read(Array(text.utf8), dim: dim, options, chunk: chunk)
  }

  @Test func semicolonAndTabAreDetectedFromTheFirstLine() {
    let semi = read("# log, v2\nax;ay;az\n1;2.5;3\n")
    #expect(semi.error == nil)
    #expect(semi.samples == [[1, 2.5, 3]])
    let tab = read("1\t-2.5\t3e2\n 4 \t5\t6\r\n")
    #expect(tab.error == nil)
    #expect(tab.samples == [[1, -2.5, 300], [4, 5, 6]])
    // The most frequent of , ; and tab wins: a semicolon file whose header has a comma.
    let mixed = read("a,b;c;d\n1;2;3\n")
    #expect(mixed.samples == [[1, 2, 3]])
    // Later lines keep the first line's delimiter.
    #expect(read("1;2\n3,4\n").error == "in.csv:2:1: expected a number, got '3,4'")
    // A forced delimiter is not second-guessed (here the first line reads as a header).
    #expect(
      read("1;2\n3;4\n", SampleReader.CSVOptions(delimiter: 44)).error
        == "in.csv:2:1: expected a number, got '3;4'")
    #expect(read("1;2\n", SampleReader.CSVOptions(delimiter: 59)).samples == [[1, 2]])
  }

  @Test func columnsSelectFeaturesInTheGivenOrder() {
    let text = "t,a,b,c,d\n0,1,2,3,4\n10,11,12,13,14\n"
    let cols = try! SampleReader.CSVOptions(delimiter: nil, columns: "2,4-5", idColumn: nil)
    #expect(cols.columns == [1, 3, 4])
    #expect(read(text, cols).samples == [[1, 3, 4], [11, 13, 14]])
    let reversed = try! SampleReader.CSVOptions(delimiter: nil, columns: "5,2", idColumn: nil)
    #expect(read(text, reversed).samples == [[4, 1], [14, 11]])
    // Unselected columns may hold anything.
    #expect(read("x,1,y\nz,2,w\n", SampleReader.CSVOptions(columns: [1])).samples == [[1], [2]])
    #expect(read(text, dim: 3, cols).samples.count == 2)
    #expect(
      read(text, SampleReader.CSVOptions(columns: [8])).error
        == "in.csv:1:1: --columns: column 9 is beyond the 5 fields of the line")
    // Every line still has the first line's field count.
    #expect(
      read("1,2,3\n4,5\n", cols).error
        == "in.csv:1:1: --columns: column 4 is beyond the 3 fields of the line")
    #expect(
      read("0,1,2,3,4\n5,6,7,8\n", cols).error == "in.csv:2:8: expected 5 fields, got 4")
  }

  @Test func idColumnIsReadVerbatim() {
    let text =
      "time;ax;ay\n2024-05-01T10:00:00,000Z;1;2\n\"2024-05-01 10:00:01\" ; 3;4\n# gap\n;5;6\n"
    let r = read(text, SampleReader.CSVOptions(idColumn: 0))
    #expect(r.error == nil)
    #expect(r.samples == [[1, 2], [3, 4], [5, 6]])
    #expect(r.ids == ["2024-05-01T10:00:00,000Z", "\"2024-05-01 10:00:01\"", ""])
    // With --columns the id can sit anywhere; features exclude it by default.
    let mid = read("1,ID7,2\n", SampleReader.CSVOptions(idColumn: 1))
    #expect(mid.samples == [[1, 2]])
    #expect(mid.ids == ["ID7"])
    #expect(
      read("1,2\n", SampleReader.CSVOptions(idColumn: 4)).error
        == "in.csv:1:1: --id-column 5: the line has only 2 fields")
    #expect(
      read("2024-05-01\n", SampleReader.CSVOptions(idColumn: 0)).error
        == "in.csv:1:1: --id-column: the line has no other field to learn from")
    #expect(read("a,1,2\n", dim: 2, SampleReader.CSVOptions(idColumn: 0)).samples == [[1, 2]])
  }

  @Test func headerOnlyWhenNoFeatureFieldIsANumber() {
    #expect(read("time,x\n1,2\n").samples == [[1, 2]])
    #expect(read(",\n1,2\n").samples == [[1, 2]])
    // Numbers out of float range are numbers: an error, not a header.
    #expect(
      read("1e39,1e40\n1,2\n").error
        == "in.csv:1:1: '1e39': NaN, infinity or out of float range")
    #expect(read("x,1e40\n1,2\n").error == "in.csv:1:1: expected a number, got 'x'")
    #expect(
      read("nan,inf\n1,2\n").error == "in.csv:1:1: 'nan': NaN, infinity or out of float range")
    // A header is judged on the feature columns: the id column may be text on every line.
    #expect(
      read("when,a\nmonday,1\n", SampleReader.CSVOptions(idColumn: 0)).samples == [[1]])
    // Only the first line can be a header.
    #expect(read("1,2\nx,y\n").error == "in.csv:2:1: expected a number, got 'x'")
  }

  @Test func byteOrderMarksAndNulBytes() {
    // UTF-8 BOM: skipped; columns count from after it.
    let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
    #expect(read(bom + Array("a,b\n1,2\n".utf8)).samples == [[1, 2]])
    #expect(read(bom + Array("1,x\n".utf8)).error == "in.csv:1:3: expected a number, got 'x'")
    #expect(read(bom).error == "in.csv:1:1: empty input: no samples")
    // A BOM elsewhere is just a bad field.
    #expect(
      read(Array("1,2\n".utf8) + bom + Array("3,4\n".utf8)).error
        == "in.csv:2:1: expected a number, got '\u{FEFF}3'")
    let utf16le: [UInt8] = [0xFF, 0xFE] + Array("1,2\n".utf8).flatMap { [$0, 0] }
    #expect(
      read(utf16le).error
        == "in.csv:1:1: UTF-16 text (byte-order mark FF FE): save or convert it as UTF-8")
    let utf16be: [UInt8] = [0xFE, 0xFF] + Array("1,2\n".utf8).flatMap { [0, $0] }
    #expect(
      read(utf16be).error
        == "in.csv:1:1: UTF-16 text (byte-order mark FE FF): save or convert it as UTF-8")
    let nul =
      "NUL byte: the input looks like UTF-16 or binary data; CSV input must be UTF-8 or ASCII text"
    #expect(read(Array("1,2\n".utf8).flatMap { [$0, 0] }).error == "in.csv:1:2: " + nul)
    #expect(read(Array("1,2\n3,4\n5,\u{0}6\n".utf8)).error == "in.csv:3:3: " + nul)
    // In an id column too: the id is text.
    #expect(
      read(Array("a\u{0},1\n".utf8), SampleReader.CSVOptions(idColumn: 0)).error
        == "in.csv:1:2: " + nul)
  }

  @Test func longFieldsAreCutInMessages() {
    let long = String(repeating: "x", count: 100)
    #expect(
      read("1,2\n3," + long + "\n").error
        == "in.csv:2:3: expected a number, got '" + String(repeating: "x", count: 40) + "…'")
    let digits = String(repeating: "9", count: 60)
    #expect(
      read("1," + digits + "e40\n").error
        == "in.csv:1:3: '" + String(repeating: "9", count: 40)
        + "…': NaN, infinity or out of float range")
    // Cut on a character boundary: 40 two-byte characters, not 40 bytes.
    let wide = String(repeating: "é", count: 41)
    #expect(
      read("1," + wide + "\n").error
        == "in.csv:1:3: expected a number, got '" + String(repeating: "é", count: 40) + "…'")
    #expect(
      read("1," + String(repeating: "é", count: 40) + "\n").error
        == "in.csv:1:3: expected a number, got '" + String(repeating: "é", count: 40) + "'")
  }

  @Test func optionsParseAndRefuseBadValues() throws {
    #expect(
      try SampleReader.CSVOptions(delimiter: "tab", columns: nil, idColumn: nil).delimiter == 9)
    #expect(
      try SampleReader.CSVOptions(delimiter: "\\t", columns: nil, idColumn: nil).delimiter == 9)
    #expect(
      try SampleReader.CSVOptions(delimiter: ";", columns: nil, idColumn: nil).delimiter == 59)
    #expect(
      try SampleReader.CSVOptions(delimiter: nil, columns: "2-7", idColumn: "1").columns == [
        1, 2, 3, 4, 5, 6,
      ])
    #expect(try SampleReader.CSVOptions(delimiter: nil, columns: nil, idColumn: "3").idColumn == 2)
    func message(_ d: String?, _ c: String?, _ i: String?) -> String? {
      do throws(CLIError) {
        _ = try SampleReader.CSVOptions(delimiter: d, columns: c, idColumn: i)
        return nil
      } catch {
        return "\(error.status) " + error.message
      }
    }
    #expect(message("|", nil, nil) == "2 --delimiter: expected ',', ';', 'tab' or '\\t', got '|'")
    let columnsHelp = "--columns: expected 1-based columns and ranges like 2-7 or 2,4,6-8, got"
    for bad in ["0", "3-2", "a", "2,,3", "", "-3", "2-", "1-2-3"] {
      #expect(message(nil, bad, nil) == "2 \(columnsHelp) '\(bad)'")
    }
    #expect(message(nil, "2,3,2", nil) == "2 --columns: column 2 is listed twice")
    #expect(
      message(nil, "1-999999999", nil) == "2 --columns: at most 262144 columns, got '1-999999999'")
    #expect(message(nil, "2-4", "3") == "2 --id-column 3 is also one of --columns")
    #expect(message(nil, nil, "0") == "2 --id-column: expected a column number >= 1, got '0'")
    #expect(message(nil, nil, "x") == "2 --id-column: expected a column number >= 1, got 'x'")
  }

  /// `pca --project` with an id column: each output row is the id, then the outputs, which
  /// equal those of the same run selecting the feature columns instead.
  @Test func idColumnIsCarriedToProjectedRows() throws {
    let dir = temporaryDirectory()
    var rng = SeededGenerator(seed: 15)
    var text = "time;a;b;c\n"
    var plain = ""
    for i in 0..<300 {
      let v = (0..<3).map { _ in Fmt.shortest(Float(rng.gaussian())) }
      text += "t\(i);" + v.joined(separator: ";") + "\n"
      plain += v.joined(separator: ",") + "\n"
    }
    writeText(dir + "/s.csv", text)
    writeText(dir + "/plain.csv", plain)
    let common = ["--components", "2", "--center", "--quiet"]
    #expect(
      HebbianMain.run(
        [
          "hebbian", "pca", "--input", dir + "/s.csv", "--id-column", "1", "--project",
          dir + "/y.csv",
        ]
          + common) == 0)
    #expect(
      HebbianMain.run(
        ["hebbian", "pca", "--input", dir + "/plain.csv", "--project", dir + "/p.csv"] + common)
        == 0)
    let y = String(decoding: try Files.readAll(dir + "/y.csv"), as: UTF8.self)
      .split(separator: "\n").map(String.init)
    let p = String(decoding: try Files.readAll(dir + "/p.csv"), as: UTF8.self)
      .split(separator: "\n").map(String.init)
    #expect(y.count == 300)
    #expect(p.count == 300)
    for i in 0..<300 {
      // The output uses the input's delimiter.
      #expect(y[i] == "t\(i);" + p[i].split(separator: ",").joined(separator: ";"))
    }
    // --columns picks the same features: the same projections.
    #expect(
      HebbianMain.run(
        [
          "hebbian", "pca", "--input", dir + "/s.csv", "--columns", "2-4", "--project",
          dir + "/c.csv",
        ]
          + common) == 0)
    let c = String(decoding: try Files.readAll(dir + "/c.csv"), as: UTF8.self)
      .split(separator: "\n").map(String.init)
    #expect(c == p.map { $0.split(separator: ",").joined(separator: ";") })
    // stdin: each sample is projected as it is learned, with its id.
    let online = try spawnHebbian(
      ["pca", "--input", "-", "--id-column", "1", "--project", "-"] + common,
      stdin: Array(text.utf8), in: dir)
    #expect(online.status == 0)
    let rows = online.stdout.split(separator: "\n")
    #expect(rows.count == 300)
    #expect(rows.enumerated().allSatisfy { $0.element.hasPrefix("t\($0.offset);") })
    // The id goes to CSV output only; --dim must agree with --columns.
    #expect(
      HebbianMain.run([
        "hebbian", "pca", "--input", dir + "/s.csv", "--id-column", "1", "--project",
        dir + "/y.f32", "--quiet",
      ]) == 2)
    #expect(
      HebbianMain.run([
        "hebbian", "pca", "--input", dir + "/s.csv", "--columns", "2-4", "--dim", "2", "--quiet",
      ]) == 2)
  }
}
