import Foundation
import Testing
@testable import SimVAEEval

/// The y coordinates of every polyline vertex in `svg`.
private func polylineYs(_ svg: String) -> [Double] {
    svg.components(separatedBy: "points=\"").dropFirst().flatMap { chunk in
        chunk.prefix { $0 != "\"" }.split(separator: " ").compactMap { Double($0.split(separator: ",")[1]) }
    }
}

/// The numbers written as tick labels (font-size 10) in `svg`.
private func tickLabels(_ svg: String) -> [Double] {
    svg.components(separatedBy: "font-size=\"10\">").dropFirst().compactMap { Double($0.prefix { $0 != "<" }) }
}

@Test func curvesAreNeverCutByTheFrame() {
    // An entropy curve that starts at +147 and falls to −150, with most values near −100: every vertex lies strictly
    // inside the plot area (top 32, bottom 256 for the default 300 px height).
    let values = [147.0, 120, 60] + Array(repeating: -100.0, count: 60) + [-150]
    let series = PlotSeries(name: "run", points: values.enumerated().map { PlotPoint(x: Double($0.offset), y: $0.element) })
    let ys = polylineYs(SVGPlot(title: "entropy", xLabel: "step", yLabel: "entropy").lineChart([series]))
    #expect(ys.count == values.count)
    #expect(ys.allSatisfy { $0 > 32 && $0 < 256 })
}

@Test func accuracyAxesStopAtOneHundredPercent() {
    let series = PlotSeries(name: "knn", points: [PlotPoint(x: 0, y: 40), PlotPoint(x: 1, y: 99.5)])
    let svg = SVGPlot(title: "kNN", xLabel: "epoch", yLabel: "%").lineChart([series], yLimits: 0...100)
    let labels = tickLabels(svg)
    #expect(!labels.isEmpty)
    #expect(labels.allSatisfy { $0 <= 100 })
    // 99.5 % sits just under the top of the frame, not clamped onto it nor pushed beyond 100.
    #expect(polylineYs(svg).allSatisfy { $0 >= 32 && $0 < 256 })
}

@Test func seriesOrdersOfMagnitudeApartGetTheirOwnAxes() {
    func flat(_ name: String, _ value: Double) -> PlotSeries {
        PlotSeries(name: name, points: [PlotPoint(x: 0, y: value), PlotPoint(x: 1, y: value * 0.9)])
    }
    let groups = PlotSeries.groupedByScale([flat("simvae", 2e6), flat("simclr", 3.5), flat("vae", 120)])
    #expect(groups.map { $0.map(\.name) } == [["simclr", "vae"], ["simvae"]])
    #expect(PlotSeries.groupedByScale([flat("a", 1), flat("b", 50)]).count == 1)
}

@Test func aRunKeepsItsColourInEveryChart() throws {
    let withoutContrast = try MetricsLog(parsing: "{\"step\": 1, \"loss\": 5.0}\n{\"step\": 2, \"loss\": 4.0}")
    let withContrast = try MetricsLog(parsing: """
        {"step": 1, "loss": 6.0, "nce": 3.0}
        {"step": 2, "loss": 5.5, "nce": 2.0}
        """)
    let runs = [
        ReportedRun(name: "vae", method: "vae", dataset: "mnist", seed: 1, configuration: [:],
                    result: EvaluationResult(knnAccuracy: 0.5), metrics: withoutContrast),
        ReportedRun(name: "simclr", method: "simclr", dataset: "mnist", seed: 1, configuration: [:],
                    result: EvaluationResult(knnAccuracy: 0.6), metrics: withContrast),
    ]
    let html = HTMLReport(runs: runs).render()
    let secondColour = SVGPlot.palette[1]
    let charts = html.components(separatedBy: "<svg").dropFirst()
    let contrast = try #require(charts.first { $0.contains("<title>nce</title>") })
    #expect(contrast.contains("stroke=\"\(secondColour)\""))
    #expect(!contrast.contains("stroke=\"\(SVGPlot.palette[0])\""))
    #expect(html.contains("background: \(secondColour)\"></i>simclr"))
}
