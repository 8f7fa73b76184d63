import Hebbian

/// A small line-plot writer: enough SVG to show a convergence curve, a capacity curve or an
/// STDP window at a glance, with no dependency. Axes get "nice" ticks; a log-scale y axis is
/// available for errors that fall over decades.
enum SVGPlot {
  struct Series {
    var name: String
    var points: [(x: Double, y: Double)]
  }

  static let palette = [
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
    "#e377c2", "#17becf",
  ]

  static func render(
    title: String, xLabel: String, yLabel: String, series: [Series], logY: Bool = false,
    shaded: [(Double, Double)] = []
  ) -> String {
    let width = 720.0, height = 440.0
    let left = 78.0, right = 170.0, top = 40.0, bottom = 56.0
    let plotW = width - left - right, plotH = height - top - bottom

    func ty(_ y: Double) -> Double? {
      guard y.isFinite else { return nil }
      if logY { return y > 0 ? Math.log(y) / Math.log(10.0) : nil }
      return y
    }
    var xmin = Double.infinity, xmax = -Double.infinity
    var ymin = Double.infinity, ymax = -Double.infinity
    for s in series {
      for p in s.points where p.x.isFinite {
        guard let y = ty(p.y) else { continue }
        xmin = min(xmin, p.x); xmax = max(xmax, p.x)
        ymin = min(ymin, y); ymax = max(ymax, y)
      }
    }
    if !xmin.isFinite { xmin = 0; xmax = 1; ymin = 0; ymax = 1 }
    if xmax == xmin { xmax = xmin + 1 }
    if ymax == ymin { ymax = ymin + 1 }
    if logY {
      ymin = ymin.rounded(.down)
      ymax = ymax.rounded(.up)
    } else {
      let pad = (ymax - ymin) * 0.05
      ymin -= pad; ymax += pad
    }
    func px(_ x: Double) -> Double { left + (x - xmin) / (xmax - xmin) * plotW }
    func py(_ y: Double) -> Double { top + (1 - (y - ymin) / (ymax - ymin)) * plotH }

    var svg =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(n(width))\" height=\"\(n(height))\" "
    svg += "viewBox=\"0 0 \(n(width)) \(n(height))\" font-family=\"sans-serif\" font-size=\"12\">\n"
    svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
    svg += "<text x=\"\(n(left + plotW / 2))\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">"
    svg += escape(title) + "</text>\n"
    svg += "<rect x=\"\(n(left))\" y=\"\(n(top))\" width=\"\(n(plotW))\" height=\"\(n(plotH))\" "
    svg += "fill=\"none\" stroke=\"#444\"/>\n"

    for t in ticks(xmin, xmax) {
      let x = px(t)
      svg +=
        "<line x1=\"\(n(x))\" y1=\"\(n(top))\" x2=\"\(n(x))\" y2=\"\(n(top + plotH))\" stroke=\"#eee\"/>\n"
      svg +=
        "<text x=\"\(n(x))\" y=\"\(n(top + plotH + 16))\" text-anchor=\"middle\">\(label(t))</text>\n"
    }
    let yTicks = logY ? Array(stride(from: ymin, through: ymax, by: 1)) : ticks(ymin, ymax)
    for t in yTicks {
      let y = py(t)
      svg +=
        "<line x1=\"\(n(left))\" y1=\"\(n(y))\" x2=\"\(n(left + plotW))\" y2=\"\(n(y))\" stroke=\"#eee\"/>\n"
      let text = logY ? "1e" + String(Int(t)) : label(t)
      svg += "<text x=\"\(n(left - 6))\" y=\"\(n(y + 4))\" text-anchor=\"end\">\(text)</text>\n"
    }
    svg += "<text x=\"\(n(left + plotW / 2))\" y=\"\(n(height - 14))\" text-anchor=\"middle\">"
    svg += escape(xLabel) + "</text>\n"
    svg +=
      "<text transform=\"translate(18 \(n(top + plotH / 2))) rotate(-90)\" text-anchor=\"middle\">"
    svg += escape(yLabel) + (logY ? " (log)" : "") + "</text>\n"

    // Spans of x shaded behind the curves (a monitor's alarms).
    for (a, b) in shaded where a.isFinite && b.isFinite && b > a {
      let x0 = Swift.max(px(a), left)
      let x1 = Swift.min(px(b), left + plotW)
      guard x1 > x0 else { continue }
      svg += "<rect x=\"\(n(x0))\" y=\"\(n(top))\" width=\"\(n(x1 - x0))\" height=\"\(n(plotH))\" "
      svg += "fill=\"#d62728\" fill-opacity=\"0.15\"/>\n"
    }
    for (i, s) in series.enumerated() {
      let color = palette[i % palette.count]
      var path = ""
      for p in s.points {
        guard p.x.isFinite, let y = ty(p.y) else { continue }
        path += (path.isEmpty ? "M" : " L") + n(px(p.x)) + " " + n(py(y))
      }
      if !path.isEmpty {
        svg += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.8\"/>\n"
      }
      let ly = top + 8 + Double(i) * 20
      svg += "<line x1=\"\(n(left + plotW + 12))\" y1=\"\(n(ly))\" x2=\"\(n(left + plotW + 36))\" "
      svg += "y2=\"\(n(ly))\" stroke=\"\(color)\" stroke-width=\"3\"/>\n"
      svg += "<text x=\"\(n(left + plotW + 42))\" y=\"\(n(ly + 4))\">\(escape(s.name))</text>\n"
    }
    svg += "</svg>\n"
    return svg
  }

  /// About five round-numbered ticks covering [lo, hi].
  static func ticks(_ lo: Double, _ hi: Double) -> [Double] {
    let raw = (hi - lo) / 5
    let mag = Math.pow(10.0, (Math.log(raw) / Math.log(10.0)).rounded(.down))
    let norm = raw / mag
    let step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag
    var t = (lo / step).rounded(.up) * step
    var out: [Double] = []
    while t <= hi + step * 1e-9 && out.count < 20 {
      out.append(abs(t) < step * 1e-9 ? 0 : t)
      t += step
    }
    return out
  }

  static func label(_ v: Double) -> String {
    let a = abs(v)
    if a == 0 { return "0" }
    if a >= 1e5 || a < 1e-3 { return Fmt.sci(v, 1) }
    if v == v.rounded() { return String(Int(v)) }
    return a >= 10 ? Fmt.fixed(v, 1) : a >= 0.1 ? Fmt.fixed(v, 2) : Fmt.fixed(v, 3)
  }

  private static func n(_ v: Double) -> String { Fmt.fixed(v, 1) }

  static func escape(_ s: String) -> String {
    var out = ""
    for c in s.unicodeScalars {
      switch c {
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "&": out += "&amp;"
      case "\"": out += "&quot;"
      default: out.unicodeScalars.append(c)
      }
    }
    return out
  }
}
