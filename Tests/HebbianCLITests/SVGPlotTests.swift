import Testing

@testable import HebbianCLI

@Suite struct SVGPlotTests {
  @Test func ticksAreRoundAndCoverTheRange() {
    #expect(SVGPlot.ticks(0, 1) == [0, 0.2, 0.4, 0.6000000000000001, 0.8, 1])
    let t = SVGPlot.ticks(3, 97)
    #expect(t == [20, 40, 60, 80])
  }

  @Test func rendersOnePathPerSeriesAndEscapesText() {
    let svg = SVGPlot.render(
      title: "error <vs> samples", xLabel: "samples", yLabel: "error",
      series: [
        .init(name: "gha", points: [(0, 1), (10, 0.1), (20, 0.01)]),
        .init(name: "oja & co", points: [(0, 0.5), (20, 0.001)]),
      ], logY: true)
    #expect(svg.hasPrefix("<svg"))
    #expect(svg.hasSuffix("</svg>\n"))
    var paths = 0
    var rest = Substring(svg)
    while let r = rest.firstRange(of: "<path ") {
      paths += 1
      rest = rest[r.upperBound...]
    }
    #expect(paths == 2)
    #expect(svg.contains("error &lt;vs&gt; samples"))
    #expect(svg.contains("oja &amp; co"))
    #expect(svg.contains(">1e-3<"))
  }
}
