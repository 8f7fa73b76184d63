import Glibc
import Hebbian
import Testing

@testable import HebbianCLI

/// A fresh directory under /tmp for one test.
func temporaryDirectory() -> String {
  var template = Array("/tmp/hebbian-pca-XXXXXX".utf8CString)
  let p = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
  precondition(p != nil, "mkdtemp failed")
  return String(cString: p!)
}

func writeText(_ path: String, _ text: String) {
  try! Files.write(path, Array(text.utf8))
}

@Suite struct SampleReaderTests {
  /// Reads every sample, or returns the error message.
  func readAll(_ text: String, dim: Int? = nil, format: SampleReader.Format = .csv, chunk: Int = 64)
    -> (samples: [[Float]], error: String?)
  {
    let dir = temporaryDirectory()
    let path = dir + (format == .csv ? "/in.csv" : "/in.f32")
    writeText(path, text)
    return readAll(path: path, dim: dim, format: format, chunk: chunk)
  }

  func readAll(path: String, dim: Int?, format: SampleReader.Format, chunk: Int = 64)
    -> (samples: [[Float]], error: String?)
  {
    var out: [[Float]] = []
    do throws(CLIError) {
      var r = try SampleReader(path: path, format: format, dimension: dim, chunkBytes: chunk)
      let d = try r.prime()
      var x = [Float](repeating: 0, count: d)
      while try x.withUnsafeMutableBufferPointer({ (b) throws(CLIError) -> Bool in try r.next(into: b.baseAddress!) }) {
        out.append(x)
      }
      return (out, nil)
    } catch {
      // Strip the temporary directory so messages compare as file:line:column.
      let m = error.message
      let name = m.split(separator: "/").last.map(String.init) ?? m
      return (out, name)
    }
  }

  @Test func readsCSVWithHeaderCommentsBlankLinesAndCRLF() {
    // A 64-byte chunk forces lines to straddle reads.
    let text = "# sensor log\nax,ay,az\n1,2,3\n\n  4.5 , -6e-1,7\r\n# end\n8,9,10"
    let r = readAll(text)
    #expect(r.error == nil)
    #expect(r.samples == [[1, 2, 3], [4.5, -0.6, 7], [8, 9, 10]])
  }

  @Test func longStreamThroughSmallChunks() {
    var text = ""
    for i in 0..<2000 { text += "\(i),\(i + 1),\(2 * i)\n" }
    let r = readAll(text, dim: 3, chunk: 64)
    #expect(r.error == nil)
    #expect(r.samples.count == 2000)
    #expect(r.samples[1999] == [1999, 2000, 3998])
  }

  @Test func csvErrorsNameFileLineAndColumn() {
    #expect(readAll("1,2,3\n4,5\n", dim: 3).error == "in.csv:2:4: expected 3 fields, got 2")
    #expect(readAll("1,2,3\n4,5,6,7\n", dim: 3).error == "in.csv:2:7: expected 3 fields, got 4")
    #expect(readAll("1,2,3\n4,x5,6\n").error == "in.csv:2:3: expected a number, got 'x5'")
    #expect(readAll("1,2,3\n4,,6\n").error == "in.csv:2:3: empty field")
    #expect(readAll("1,2,3\n# c\n4,NaN,6\n").error == "in.csv:3:3: 'NaN': NaN, infinity or out of float range")
    #expect(readAll("1,2,-inf\n").error == "in.csv:1:5: '-inf': NaN, infinity or out of float range")
    #expect(readAll("1,2,1e39\n").error == "in.csv:1:5: '1e39': NaN, infinity or out of float range")
    #expect(readAll("a,b\n1,2,3\n").error == "in.csv:2:5: expected 2 fields, got 3")
    #expect(readAll("a,b,c\n1,2,3\n", dim: 2).error == "in.csv:1:1: header has 3 fields, expected 2")
    #expect(readAll("").error == "in.csv:1:1: empty input: no samples")
    #expect(readAll("# only a comment\nx,y\n").error == "in.csv:2:1: empty input: no samples")
  }

  @Test func f32SamplesAndErrors() {
    let dir = temporaryDirectory()
    let path = dir + "/in.f32"
    var floats: [Float] = [1, 2, 3, 4, 5, 6]
    func write(_ v: [Float], extra: Int = 0) {
      var bytes: [UInt8] = []
      for f in v { withUnsafeBytes(of: f.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
      bytes.append(contentsOf: [UInt8](repeating: 0, count: extra))
      try! Files.write(path, bytes)
    }
    write(floats)
    let ok = readAll(path: path, dim: 3, format: .f32, chunk: 8)
    #expect(ok.samples == [[1, 2, 3], [4, 5, 6]])
    write(floats, extra: 5)
    #expect(readAll(path: path, dim: 3, format: .f32).error
      == "in.f32:3:2: truncated: 5 trailing bytes, not a whole sample of 3 float32 values")
    floats[4] = .infinity
    write(floats)
    #expect(readAll(path: path, dim: 3, format: .f32).error == "in.f32:2:2: NaN or infinity")
    write([])
    #expect(readAll(path: path, dim: 3, format: .f32).error == "in.f32:1:1: empty input: no samples")
  }
}

@Suite struct PCACommandTests {
  /// A seeded stream with a known 2-dimensional principal subspace in R^5, as CSV.
  func spikedCSV(samples: Int, basis: inout [Float]) -> String {
    let d = 5
    var rng = SeededGenerator(seed: 8)
    var g = [Float](repeating: 0, count: 2 * d)
    for i in 0..<g.count { g[i] = Float(rng.gaussian()) }
    basis = try! Subspace.orthonormalized(g, components: 2, dimension: d)
    var text = "a,b,c,d,e\n"
    for _ in 0..<samples {
      let a = 2 * rng.gaussian()
      let b = 1.2 * rng.gaussian()
      var row = ""
      for j in 0..<d {
        let v = a * Double(basis[j]) + b * Double(basis[d + j]) + 0.1 * rng.gaussian() + 3
        row += (j == 0 ? "" : ",") + Fmt.shortest(Float(v))
      }
      text += row + "\n"
    }
    return text
  }

  func readFloats(_ path: String) -> [Float] {
    let bytes = try! Files.readAll(path)
    var out: [Float] = []
    for i in stride(from: 0, to: bytes.count, by: 4) {
      var bits: UInt32 = 0
      for b in 0..<4 { bits |= UInt32(bytes[i + b]) << (8 * b) }
      out.append(Float(bitPattern: bits))
    }
    return out
  }

  @Test func pcaLearnsSavesAndProjects() throws {
    let dir = temporaryDirectory()
    var basis: [Float] = []
    writeText(dir + "/s.csv", spikedCSV(samples: 3000, basis: &basis))
    for rule in ["gha", "subspace", "similarity", "fsm", "ccipca"] {
      let status = HebbianMain.run([
        "hebbian", "pca", "--input", dir + "/s.csv", "--components", "2", "--rule", rule,
        "--center", "--passes", "2", "--save-components", dir + "/w.f32", "--project", dir + "/y.csv",
        "--plot", dir + "/p.svg", "--quiet",
      ])
      #expect(status == 0)
      let w = readFloats(dir + "/w.f32")
      #expect(w.count == 10)
      // 6000 samples with an eigengap of ~3 against noise 0.01: error ~1e-4; 1e-2 is the bar.
      let e = try Subspace.error(w, components: 2, reference: basis, components: 2, dimension: 5)
      #expect(e < 1e-2, "\(rule): \(e)")
      // Saved rows are unit and orthogonal.
      #expect(try Subspace.orthonormalityError(w, components: 2, dimension: 5) < 1e-5)
      let y = try Files.readAll(dir + "/y.csv")
      #expect(y.filter { $0 == 10 }.count == 3000)
      let svg = try Files.readAll(dir + "/p.svg")
      #expect(svg.starts(with: Array("<svg".utf8)))
    }
  }

  /// A bad line halfway through: non-zero status, and the components file written by an
  /// earlier successful run is left exactly as it was.
  @Test func badInputKeepsTheSavedModelIntact() throws {
    let dir = temporaryDirectory()
    var basis: [Float] = []
    let good = spikedCSV(samples: 500, basis: &basis)
    writeText(dir + "/good.csv", good)
    #expect(HebbianMain.run(["hebbian", "pca", "--input", dir + "/good.csv", "--save-components", dir + "/w.f32", "--quiet"]) == 0)
    let before = try Files.readAll(dir + "/w.f32")
    var lines = good.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    for (i, bad) in ["1,2,3", "1,2,x,4,5", "1,2,nan,4,5", "1,2,3,4,5,6"].enumerated() {
      lines[250] = bad
      writeText(dir + "/bad\(i).csv", lines.joined(separator: "\n"))
      let status = HebbianMain.run([
        "hebbian", "pca", "--input", dir + "/bad\(i).csv", "--save-components", dir + "/w.f32", "--quiet",
      ])
      #expect(status == 1)
      #expect(try Files.readAll(dir + "/w.f32") == before)
    }
    writeText(dir + "/empty.csv", "")
    #expect(HebbianMain.run(["hebbian", "pca", "--input", dir + "/empty.csv", "--quiet"]) == 1)
    #expect(HebbianMain.run(["hebbian", "pca", "--input", dir + "/good.csv", "--rule", "bogus"]) == 2)
    #expect(HebbianMain.run(["hebbian", "pca", "--input", dir + "/good.csv", "--components", "9"]) == 2)
    #expect(HebbianMain.run(["hebbian", "pca", "--input", dir + "/none.csv"]) == 1)
  }
}
