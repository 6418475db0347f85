import SimVAEData
import TestSupport
import Testing
import Torch
@testable import SimVAEEval

@Suite(.serialized, .drawsFromTheRandomGenerator) struct StyleViewsTests {
    /// 20 views: a flip bit alternating 0/1, a constant crop scale and a crop position growing with the row.
    static func views() -> (features: Tensor, targets: Tensor) {
        let rows = (0..<20).map(Double.init)
        let flip = rows.map { $0.truncatingRemainder(dividingBy: 2) }
        let targets = Tensor(zip(flip, rows).flatMap { [$0, 0.5, $1 / 20] }, shape: [20, 3]).float
        return (Tensor.randn([20, 4]), targets)
    }

    @Test(.drawsFromTheRandomGenerator) func theFirstFifthsTrainOnlyVaryingParametersAreProbed() throws {
        Runtime.seed(1)
        let (features, targets) = Self.views()
        let data = try #require(StyleViews.split(features: features, targets: targets,
                                                 names: ["horizontal_flip", "crop_scale", "crop_x"]))
        #expect(data.targets == [StyleTarget("horizontal_flip", .binary), StyleTarget("crop_x", .continuous)])
        #expect(data.train.representations.shape == [16, 4] && data.test.representations.shape == [4, 4])
        #expect(data.test.representations.scalars(as: Float.self) == features[16..<20].scalars(as: Float.self))
        let kept = targets.indexSelect(dim: 1, Tensor([Int64(0), 2]))
        #expect(data.train.factors.scalars(as: Float.self) == kept[0..<16].scalars(as: Float.self))
        #expect(data.test.factors.scalars(as: Float.self) == kept[16..<20].scalars(as: Float.self))
    }

    @Test(.drawsFromTheRandomGenerator) func tooFewViewsOrNothingVaryingGivesNoStyleData() {
        Runtime.seed(2)
        let (features, targets) = Self.views()
        #expect(StyleViews.split(features: features[0..<9], targets: targets[0..<9],
                                 names: ["horizontal_flip", "crop_scale", "crop_x"]) == nil)
        let constant = targets.narrowed(dim: 1, start: 1, length: 1)
        #expect(StyleViews.split(features: features, targets: constant, names: ["crop_scale"]) == nil)
    }

    @Test(.drawsFromTheRandomGenerator) func syntheticFactorsAreThoseOfTheFirstImagesOfEachSplit() throws {
        Runtime.seed(3)
        #expect(StyleViews.generatingFactors(of: .fashionMNIST, train: Tensor.randn([7, 3]),
                                             test: Tensor.randn([4, 3])) == nil)
        let data = try #require(StyleViews.generatingFactors(of: .synthetic, train: Tensor.randn([7, 3]),
                                                             test: Tensor.randn([4, 3])))
        let named = SyntheticShapes.split(.train, limit: 7).factors.named
        #expect(data.targets == named.map { StyleTarget("factor_" + $0.name, .continuous) })
        #expect(data.train.factors.shape == [7, named.count] && data.test.factors.shape == [4, named.count])
        let firstColumn = data.train.factors.selected(dim: 1, index: 0).scalars(as: Float.self)
        #expect(firstColumn == named[0].values.map(Float.init))
        let testFirst = SyntheticShapes.split(.test, limit: 4).factors.named[0].values.map(Float.init)
        #expect(data.test.factors.selected(dim: 1, index: 0).scalars(as: Float.self) == testFirst)
    }
}
