import Testing

@testable import Hebbian

/// The library's message numbers: six significant digits, fixed between 1e-4 and 1e6.
@Suite struct NumeralTests {
  @Test func fixedScientificAndSpecialValues() {
    let cases: [(Double, String)] = [
      (0, "0"), (0.5, "0.5"), (1.5, "1.5"), (-0.001, "-0.001"), (100, "100"),
      (123456, "123456"), (999999.7, "1e6"), (1e-4, "0.0001"), (1e-7, "1e-7"),
      (123456789, "1.23457e8"), (2.5e-310, "2.5e-310"), (1e300, "1e300"),
      (Double(Float(0.1)), "0.1"), (12.3456789, "12.3457"), (-7, "-7"),
      (.nan, "nan"), (.infinity, "inf"), (-.infinity, "-inf"),
    ]
    for (v, text) in cases { #expect(Numeral.text(v) == text, "\(v)") }
    #expect(Numeral.text(Float(0.25)) == "0.25")
  }
}
