import Testing
@testable import Torch

@Suite struct AutocastTests {
    @Test func cpuBFloat16RegionComputesMatrixProductsInBFloat16AndRestoresTheState() throws {
        let a = Tensor(ones: [4, 4])
        #expect(!Autocast.isEnabled(on: .cpu))
        let (product, sum, inside) = try Autocast.run(on: .cpu, to: .bfloat16) {
            (a.matmul(a), a.sum(), Autocast.isEnabled(on: .cpu))
        }
        #expect(inside)
        #expect(product.dtype == .bfloat16, "matmul is on autocast's lower-precision list")
        #expect(sum.dtype == .float32, "a sum of float32 values stays float32")
        #expect(product.float.doubles.allSatisfy { $0 == 4 })
        #expect(!Autocast.isEnabled(on: .cpu))
        #expect(a.matmul(a).dtype == .float32)
    }

    @Test func nestedRegionsLeaveTheOuterOneOn() throws {
        try Autocast.run(on: .cpu, to: .bfloat16) {
            try Autocast.run(on: .cpu, to: .bfloat16) {}
            #expect(Autocast.isEnabled(on: .cpu))
        }
        #expect(!Autocast.isEnabled(on: .cpu))
    }

    @Test func withoutATypeTheBodyRunsInFloat32() throws {
        let a = Tensor(ones: [2, 2])
        #expect(try Autocast.run(on: .cpu, to: nil) { a.matmul(a) }.dtype == .float32)
    }

    @Test func aFailingBodyStillRestoresTheState() {
        struct Failure: Error {}
        #expect(throws: Failure.self) { try Autocast.run(on: .cpu, to: .bfloat16) { throw Failure() } }
        #expect(!Autocast.isEnabled(on: .cpu))
    }
}
