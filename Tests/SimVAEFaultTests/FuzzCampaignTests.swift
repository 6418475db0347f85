import Foundation
import Testing

/// The fuzz campaign against the release binary: generated bad checkpoints, run files, image folders, dataset
/// files and flag values. It fails when any case crashes, hangs, silently accepts a bad input, rejects it without
/// naming the file or flag, or changes a run's files when it fails.
@Suite(.serialized) struct FuzzCampaignTests {
    @Test func generatedBadInputsAreRejectedByName() throws {
        let binary = try ReleaseBinary.require()
        let watch = Date()
        let cases = try Campaign.cases()
        let reports = Campaign.run(cases, binary: binary)
        let summary = Campaign.summary(reports, seconds: Date().timeIntervalSince(watch))
        Campaign.writeReport(reports, summary: summary)
        let failing = reports.filter { !$0.findings.isEmpty || $0.harnessError != nil }
        for report in failing { print(report.reproduction) }
        print(summary)
        #expect(reports.count == cases.count)
        #expect(failing.count == 0, "\(failing.count) of \(reports.count) cases failed; see \(Campaign.reportPath)")
    }
}
