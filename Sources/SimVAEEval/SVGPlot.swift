import Foundation

/// A point of a plot, in data coordinates.
public struct PlotPoint: Equatable, Sendable {
    /// The horizontal coordinate.
    public var x: Double
    /// The vertical coordinate.
    public var y: Double

    /// Creates a point at `(x, y)`.
    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}

/// A named line of a line plot.
public struct PlotSeries: Equatable, Sendable {
    /// The legend entry.
    public var name: String
    /// The points, joined in this order.
    public var points: [PlotPoint]
    /// The line's CSS colour; nil takes the palette's colour for the series' position.
    public var color: String?

    /// Creates a series named `name` through `points`, drawn in `color` (or the palette's next colour).
    public init(name: String, points: [PlotPoint], color: String? = nil) {
        self.name = name
        self.points = points
        self.color = color
    }
}

/// A point of a scatter plot that carries its own label, such as a method name.
public struct LabelledPoint: Equatable, Sendable {
    /// The text written next to the dot.
    public var label: String
    /// Where the dot goes.
    public var point: PlotPoint

    /// Creates a point at `(x, y)` labelled `label`.
    public init(label: String, x: Double, y: Double) {
        self.label = label
        point = PlotPoint(x: x, y: y)
    }
}

/// Small, dependency-free SVG charts (axes, ticks, legend) meant to be inlined in an HTML page.
///
/// The SVG carries no namespace URL, which HTML5 does not need for inline `<svg>` elements.
public struct SVGPlot: Equatable, Sendable {
    /// The heading above the chart.
    public var title: String
    /// The horizontal axis's label.
    public var xLabel: String
    /// The vertical axis's label.
    public var yLabel: String
    /// The chart's width in pixels.
    public var width: Double
    /// The chart's height in pixels.
    public var height: Double

    /// Colours cycled through by series and points.
    public static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]

    /// Creates a chart frame; draw into it with `lineChart(_:)` or `scatterChart(_:)`.
    public init(title: String, xLabel: String, yLabel: String, width: Double = 480, height: Double = 300) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.width = width
        self.height = height
    }

    private var plotArea: (left: Double, right: Double, top: Double, bottom: Double) {
        (left: 64, right: width - 16, top: 32, bottom: height - 44)
    }

    /// A line plot of `series`, one colour each, with a legend unless `showsLegend` is false (a page that keeps one
    /// colour per run across its charts shows one legend for all).
    ///
    /// The y axis spans every finite value, so no curve is cut by the frame; it is logarithmic when all values are
    /// positive and span more than two decades. `yLimits` bounds the axis (0…100 for accuracies in %), so its
    /// margins never run past a value that cannot occur.
    public func lineChart(_ series: [PlotSeries], yLimits: ClosedRange<Double>? = nil,
                          showsLegend: Bool = true) -> String {
        let points = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
        let xs = Axis(values: points.map(\.x), range: (plotArea.left, plotArea.right))
        let ys = Axis(values: points.map(\.y), range: (plotArea.bottom, plotArea.top), allowsLogarithmic: true,
                      limits: yLimits)
        var body = ""
        for (index, line) in series.enumerated() {
            let color = line.color ?? Self.color(index)
            let coordinates = line.points.filter { $0.x.isFinite && $0.y.isFinite }
                .map { "\(format(xs.position($0.x))),\(format(ys.position($0.y)))" }
            guard !coordinates.isEmpty else { continue }
            if coordinates.count == 1 {
                let xy = coordinates[0].split(separator: ",")
                body += "<circle cx=\"\(xy[0])\" cy=\"\(xy[1])\" r=\"3\" fill=\"\(color)\"/>\n"
                continue
            }
            body += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\" "
                + "points=\"\(coordinates.joined(separator: " "))\"/>\n"
        }
        if showsLegend {
            body += legend(series.enumerated().map { ($0.element.name, $0.element.color ?? Self.color($0.offset)) })
        }
        return document(xs: xs, ys: ys, body: body)
    }

    /// A scatter plot with one labelled dot per point; `xLimits` and `yLimits` bound the axes as in `lineChart`.
    public func scatterChart(_ points: [LabelledPoint], xLimits: ClosedRange<Double>? = nil,
                             yLimits: ClosedRange<Double>? = nil) -> String {
        let finite = points.filter { $0.point.x.isFinite && $0.point.y.isFinite }
        let xs = Axis(values: finite.map(\.point.x), range: (plotArea.left, plotArea.right), limits: xLimits)
        let ys = Axis(values: finite.map(\.point.y), range: (plotArea.bottom, plotArea.top), limits: yLimits)
        var body = ""
        for (index, item) in finite.enumerated() {
            let x = format(xs.position(item.point.x))
            let y = format(ys.position(item.point.y))
            body += "<circle cx=\"\(x)\" cy=\"\(y)\" r=\"4\" fill=\"\(Self.color(index))\"/>"
                + "<text x=\"\(x)\" y=\"\(y)\" dx=\"6\" dy=\"-6\" font-size=\"11\">\(item.label.markupEscaped)</text>\n"
        }
        return document(xs: xs, ys: ys, body: body)
    }

    private static func color(_ index: Int) -> String { palette[index % palette.count] }

    private func legend(_ entries: [(name: String, color: String)]) -> String {
        entries.enumerated().map { index, entry in
            let (name, color) = entry
            let y = plotArea.top + 14 * Double(index) + 8
            let x = plotArea.right - 120
            return "<line x1=\"\(format(x))\" y1=\"\(format(y))\" x2=\"\(format(x + 16))\" y2=\"\(format(y))\" "
                + "stroke=\"\(color)\" stroke-width=\"2\"/>"
                + "<text x=\"\(format(x + 20))\" y=\"\(format(y + 4))\" font-size=\"11\">\(name.markupEscaped)</text>\n"
        }.joined()
    }

    /// The frame shared by all charts: title, axes, ticks, grid lines and axis labels around `body`.
    private func document(xs: Axis, ys: Axis, body: String) -> String {
        let area = plotArea
        var svg = "<svg width=\"\(format(width))\" height=\"\(format(height))\" viewBox=\"0 0 \(format(width)) "
            + "\(format(height))\" font-family=\"sans-serif\" role=\"img\">\n"
            + "<title>\(title.markupEscaped)</title>\n"
            + "<text x=\"\(format(width / 2))\" y=\"18\" text-anchor=\"middle\" font-size=\"13\">"
            + "\(title.markupEscaped)</text>\n"
        for tick in xs.ticks {
            let x = format(xs.position(tick))
            svg += "<line x1=\"\(x)\" y1=\"\(format(area.top))\" x2=\"\(x)\" y2=\"\(format(area.bottom))\" "
                + "stroke=\"#eee\"/><text x=\"\(x)\" y=\"\(format(area.bottom + 14))\" text-anchor=\"middle\" "
                + "font-size=\"10\">\(xs.label(tick))</text>\n"
        }
        for tick in ys.ticks {
            let y = format(ys.position(tick))
            svg += "<line x1=\"\(format(area.left))\" y1=\"\(y)\" x2=\"\(format(area.right))\" y2=\"\(y)\" "
                + "stroke=\"#eee\"/><text x=\"\(format(area.left - 4))\" y=\"\(y)\" dy=\"3\" text-anchor=\"end\" "
                + "font-size=\"10\">\(ys.label(tick))</text>\n"
        }
        svg += "<rect x=\"\(format(area.left))\" y=\"\(format(area.top))\" width=\"\(format(area.right - area.left))\" "
            + "height=\"\(format(area.bottom - area.top))\" fill=\"none\" stroke=\"#444\"/>\n"
            + "<text x=\"\(format((area.left + area.right) / 2))\" y=\"\(format(height - 8))\" text-anchor=\"middle\" "
            + "font-size=\"11\">\(xLabel.markupEscaped)</text>\n"
            + "<text transform=\"translate(14 \(format((area.top + area.bottom) / 2))) rotate(-90)\" "
            + "text-anchor=\"middle\" font-size=\"11\">\(yLabel.markupEscaped)</text>\n"
        return svg + body + "</svg>\n"
    }
}

/// Maps data values onto one pixel axis, linearly or logarithmically, with "nice" tick values.
private struct Axis {
    let lower: Double
    let upper: Double
    let pixels: (Double, Double)
    let isLogarithmic: Bool

    /// An axis spanning all `values`, with a margin, never beyond `limits`; logarithmic when `allowsLogarithmic`
    /// and the values are positive and span more than two decades, else linear.
    init(values: [Double], range pixels: (Double, Double), allowsLogarithmic: Bool = false,
         limits: ClosedRange<Double>? = nil) {
        self.pixels = pixels
        let sorted = values.sorted()
        var lower = sorted.first ?? limits?.lowerBound ?? 0
        var upper = sorted.last ?? limits?.upperBound ?? 1
        isLogarithmic = allowsLogarithmic && limits == nil && lower > 0 && upper / lower > 100
        if isLogarithmic {
            (lower, upper) = (log10(lower), log10(upper))
        }
        if upper - lower < 1e-12 {
            // A constant: pad by half its size (a learning rate of 8e-5 must not vanish into ±0.5).
            let pad = upper == 0 ? 0.5 : Swift.abs(upper) * 0.5
            (lower, upper) = (lower - pad, upper + pad)
        }
        let margin = isLogarithmic ? 0 : (upper - lower) * 0.08
        (lower, upper) = (lower - margin, upper + margin)
        if let limits { (lower, upper) = (max(lower, limits.lowerBound), min(upper, limits.upperBound)) }
        (self.lower, self.upper) = (lower, upper)
    }

    /// The pixel coordinate of a data value (inside the axis, which spans every value given).
    func position(_ value: Double) -> Double {
        let scaled = isLogarithmic ? log10(max(value, Double.leastNormalMagnitude)) : value
        let fraction = min(max((scaled - lower) / (upper - lower), 0), 1)
        return pixels.0 + fraction * (pixels.1 - pixels.0)
    }

    /// About five tick values at 1, 2 or 5 times a power of ten (whole decades on a logarithmic axis).
    var ticks: [Double] {
        let rawStep = (upper - lower) / 5
        let magnitude = pow(10, floor(log10(rawStep)))
        let step = ([1.0, 2, 5, 10].first { $0 * magnitude >= rawStep } ?? 10) * magnitude
        let decadeStep = isLogarithmic ? max(step.rounded(), 1) : step
        let first = (lower / decadeStep).rounded(.up) * decadeStep
        // Adding 0 turns a tick of −0 into 0.
        let values = stride(from: first, through: upper + decadeStep * 1e-9, by: decadeStep).map { $0 + 0 }
        return isLogarithmic ? values.map { pow(10, $0) } : values
    }

    /// A tick's text, with as many decimals as the tick spacing needs.
    func label(_ value: Double) -> String {
        if isLogarithmic { return String(format: "%g", value) }
        let step = ticks.count > 1 ? ticks[1] - ticks[0] : 1
        let decimals = max(0, Int(-floor(log10(step))))
        return String(format: "%.\(decimals)f", value)
    }
}

/// Formats a pixel coordinate compactly.
private func format(_ value: Double) -> String { String(format: "%.1f", value) }

extension String {
    /// The string with `&`, `<`, `>`, `"` and `'` escaped for HTML and SVG text and attributes.
    var markupEscaped: String {
        var escaped = ""
        for character in self {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}

extension PlotSeries {
    /// Splits `series` into groups that can share a y axis: sorted by their typical size (the median magnitude of
    /// their values), a group holds series within a factor of 100 of its smallest. Series keep their order within
    /// a group; groups come from the smallest values to the largest.
    public static func groupedByScale(_ series: [PlotSeries]) -> [[PlotSeries]] {
        func typicalSize(_ line: PlotSeries) -> Double {
            let sizes = line.points.map { Swift.abs($0.y) }.filter(\.isFinite).sorted()
            return sizes.isEmpty ? 0 : sizes[sizes.count / 2]
        }
        let bySize = series.indices.sorted { typicalSize(series[$0]) < typicalSize(series[$1]) }
        var groups: [[Int]] = []
        var smallest = 0.0
        for index in bySize {
            let size = typicalSize(series[index])
            if let last = groups.indices.last, size <= Swift.max(smallest, 1e-12) * 100 {
                groups[last].append(index)
            } else {
                groups.append([index])
                smallest = size
            }
        }
        return groups.map { $0.sorted().map { series[$0] } }
    }
}
