import TestSupport
import Testing
import Torch
@testable import SimVAEEval

@Suite(.serialized, .drawsFromTheRandomGenerator) struct AttributeProbesTests {
    static let names = ["Black_Hair", "Blond_Hair", "Male", "Brown_Hair", "Gray_Hair"]

    /// Faces with one of the five hair-colour classes each (cycling through black, blond, brown, grey and none)
    /// and a gender; features 0–3 carry the hair colour (4 × one-hot, zero for none), feature 4 the gender (±2),
    /// plus N(0, 0.5²) noise.
    static func faces(count: Int, seed: UInt64) -> (representations: Tensor, attributes: Tensor) {
        Runtime.seed(seed)
        let colour = Tensor((0..<count).map { Int64($0 % 5) })
        let male = (Tensor.rand([count]) .< 0.5).float
        let hair = colour.oneHot(classes: 5).float.narrowed(dim: 1, start: 0, length: 4)
        let features = Tensor.cat([hair * 4, (male * 4 - 2).unsqueezed(dim: 1)], dim: 1)
            + Tensor.randn([count, 5]) * 0.5
        let columns = (0..<4).map { hair.selected(dim: 1, index: $0) }
        let attributes = Tensor.stack([columns[0], columns[1], male, columns[2], columns[3]], dim: 1)
        return (features, attributes)
    }

    @Test(.drawsFromTheRandomGenerator) func attributesAndHairColourAreLearned() throws {
        let probes = AttributeProbes(quickProbeSettings())
        #expect(probes.settings.head == .mlp)
        let scored = try probes.scores(train: Self.faces(count: 800, seed: 1), test: Self.faces(count: 400, seed: 2),
                                       names: Self.names)
        #expect(Set(scored.scores.keys) == ["attributes_mean_acc", "hair_colour_acc"])
        #expect((scored.scores["attributes_mean_acc"] ?? 0) > 0.97)
        #expect((scored.scores["hair_colour_acc"] ?? 0) > 0.97)
        #expect(Set(scored.steps.keys) == ["attributes", "hair_colour"])
    }

    @Test(.drawsFromTheRandomGenerator) func withoutTheHairColoursOnlyTheAttributesAreScored() throws {
        let probes = AttributeProbes(ProbeSettings(maximumSteps: 2))
        let faces = Self.faces(count: 40, seed: 3)
        let renamed = ["A", "B", "Male", "C", "D"]
        let scored = try probes.scores(train: faces, test: faces, names: renamed)
        #expect(scored == ProbeScores(scores: ["attributes_mean_acc": scored.scores["attributes_mean_acc"] ?? -1],
                                      steps: ["attributes": 2]))
        #expect(try probes.scores(train: faces, test: faces, names: []) == ProbeScores())
    }

    @Test(.drawsFromTheRandomGenerator) func hairColourHasTheAuthorsFiveClassesAndDropsSeveralColours() throws {
        // Black; brown (and male); black and blond (left out); no colour ("none of these"); grey.
        let attributes = Tensor([1, 0, 0, 0, 0, 0, 0, 1, 1, 0, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1] as [Float],
                                shape: [5, 5])
        let representations = Tensor((0..<5).map(Float.init), shape: [5, 1])
        let columns = AttributeProbes.hairColours.compactMap { Self.names.firstIndex(of: $0) }
        let subset = try #require(AttributeProbes.hairColourSubset(representations, attributes, columns))
        #expect(subset.representations.scalars(as: Float.self) == [0, 1, 3, 4])
        #expect(subset.labels.scalars(as: Int64.self) == [0, 2, 4, 3])
        #expect(AttributeProbes.hairColourSubset(representations[2..<3], attributes[2..<3], columns) == nil)
    }
}
