import Testing
@testable import SimVAEData

@Suite struct SyntheticShapesTests {
    @Test func sameSeedSameBytesOtherSeedOtherBytes() {
        let first = SyntheticShapes.generate(count: 20, size: 16, seed: 7)
        let again = SyntheticShapes.generate(count: 20, size: 16, seed: 7)
        let other = SyntheticShapes.generate(count: 20, size: 16, seed: 8)
        #expect(first.images == again.images)
        #expect(first.factors == again.factors)
        #expect(first.images.pixels != other.images.pixels)
        #expect(first.images.shape == [20, 3, 16, 16])
        #expect(first.factors.hue.count == 20)
        #expect(first.images.labels.allSatisfy { (0 ..< 5).contains($0) })
    }

    @Test func drawsShapesOfTheStatedSizeAndColour() {
        let (images, factors) = SyntheticShapes.generate(count: 50, size: 32, channels: 1, seed: 3)
        for index in 0 ..< images.count {
            let lit = images.image(index).filter { $0 > 127 }.count
            let area = Double(lit) / Double(32 * 32)
            let bound = Double.pi * factors.scale[index] * factors.scale[index]
            #expect(area > 0.1 * bound && area < 1.05 * bound)
        }
    }
}
