import Foundation
import TestSupport
import Testing
@testable import Torch

@Suite(.serialized, .drawsFromTheRandomGenerator) struct CreationTests {
    @Test(.drawsFromTheRandomGenerator) func filledFactories() {
        expectClose(Tensor(zeros: [2, 3]), [0, 0, 0, 0, 0, 0], shape: [2, 3])
        expectClose(Tensor(ones: [3], dtype: .float64), [1, 1, 1], shape: [3])
        expectClose(Tensor(full: [2, 2], value: 2.5), [2.5, 2.5, 2.5, 2.5], shape: [2, 2])
        #expect(Tensor(ones: [2], dtype: .int64).dtype == .int64)
        #expect(Tensor(zeros: [0]).count == 0)
    }

    @Test(.drawsFromTheRandomGenerator) func rawBytesOfEmptyAndOtherTensors() throws {
        #expect(try Tensor(zeros: [0, 3]).withUnsafeMutableBytes { $0.count } == 0)
        let second = try Tensor([1, 2] as [Float]).withUnsafeMutableBytes { $0.load(fromByteOffset: 4, as: Float.self) }
        #expect(second == 2)
        let error = #expect(throws: TorchError.self) { try t([1, 2, 3, 4], [2, 2]).T.withUnsafeMutableBytes { _ in } }
        #expect(error?.message.contains("contiguous CPU tensor") == true)
    }

    @Test(.drawsFromTheRandomGenerator) func ranges() {
        expectClose(Tensor.arange(5), [0, 1, 2, 3, 4], shape: [5])
        expectClose(Tensor.arange(1, 2, step: 0.25, dtype: .float64), [1, 1.25, 1.5, 1.75])
        #expect(Tensor.arange(3, 0, step: -1, dtype: .int64).scalars(as: Int64.self) == [3, 2, 1])
        expectClose(Tensor.linspace(0, 1, count: 5), [0, 0.25, 0.5, 0.75, 1], shape: [5])
        expectClose(Tensor.eye(3), [1, 0, 0, 0, 1, 0, 0, 0, 1], shape: [3, 3])
    }

    @Test(.drawsFromTheRandomGenerator) func likeFactoriesKeepShapeAndType() {
        let x = Tensor([1, 2, 3, 4] as [Double], shape: [2, 2])
        for made in [x.zerosLike(), x.onesLike()] {
            #expect(made.shape == [2, 2] && made.dtype == .float64)
        }
        expectClose(x.onesLike(), [1, 1, 1, 1])
    }

    @Test(.drawsFromTheRandomGenerator) func fromArraysAndScalars() {
        let m = Tensor([1, 2, 3, 4, 5, 6] as [Float], shape: [2, 3])
        #expect(m.shape == [2, 3] && m.rank == 2 && m.count == 6 && m.dtype == .float32 && m.isContiguous)
        #expect(m.size(-1) == 3 && m.size(0) == 2)
        #expect(m.floats == [1, 2, 3, 4, 5, 6])
        let s = Tensor(scalar: 2.5)
        #expect(s.shape == [] && s.item == 2.5)
        #expect(m.device == .cpu)
    }

    /// Builds a tensor from `values` both from a Swift array and from raw memory, and reads it back natively.
    private func expectRoundTrip<T: TensorScalar & Equatable>(_ values: [T],
                                                             sourceLocation: SourceLocation = #_sourceLocation) {
        let fromArray = Tensor(values, shape: [2, values.count / 2])
        #expect(fromArray.dtype == T.dtype && fromArray.shape == [2, values.count / 2], sourceLocation: sourceLocation)
        #expect(fromArray.scalars(as: T.self) == values, sourceLocation: sourceLocation)
        let fromBytes = values.withUnsafeBytes { Tensor(copying: $0, shape: [values.count], dtype: T.dtype) }
        #expect(fromBytes.scalars(as: T.self) == values, sourceLocation: sourceLocation)
        // A conversion through float64 and back is lossless for these values.
        #expect(fromArray.double.to(T.dtype).scalars(as: T.self) == values, sourceLocation: sourceLocation)
    }

    @Test(.drawsFromTheRandomGenerator) func everyScalarTypeRoundTrips() {
        expectRoundTrip([1.5, -2.25, 0, 3e10] as [Float])
        expectRoundTrip([1.5, -2.25, 1e-300, 3e300] as [Double])
        expectRoundTrip([-1 << 40, 0, 7, 1 << 62] as [Int64])
        expectRoundTrip([-1 << 20, 0, 7, Int32.max] as [Int32])
        expectRoundTrip([-300, 0, 7, Int16.max] as [Int16])
        expectRoundTrip([-128, 0, 7, 127] as [Int8])
        expectRoundTrip([0, 1, 200, 255] as [UInt8])
        expectRoundTrip([true, false, false, true])
    }

    @Test(.drawsFromTheRandomGenerator) func conversionsBetweenTypes() {
        let x = Tensor([1.7, -1.7, 2.0] as [Double])
        #expect(x.long.scalars(as: Int64.self) == [1, -1, 2])  // truncation toward zero, as in PyTorch
        #expect(x.float.dtype == .float32)
        #expect((x .> 0).scalars(as: Bool.self) == [true, false, true])
        #expect(Tensor([0.5, 3] as [Float]).to(.float16).to(.float32).floats == [0.5, 3])
        #expect(Tensor([0.5, 3] as [Float]).to(.bfloat16).doubles == [0.5, 3])
        #expect(Tensor([true, false]).scalars(as: Float.self) == [1, 0])
    }

    @Test(.drawsFromTheRandomGenerator) func descriptionPrintsValues() {
        let text = Tensor([1.5, -2.25] as [Float]).description
        #expect(text.contains("1.5000") && text.contains("-2.2500"), "\(text)")
        #expect(text.contains("CPUFloatType{2}"), "\(text)")
    }
}
