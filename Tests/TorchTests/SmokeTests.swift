import Testing
@testable import Torch

@Test func addsAndMultiplies() throws {
    let a = Tensor([1.0, 2.0, 3.0] as [Float])
    let b = Tensor([4.0, 5.0, 6.0] as [Float])
    #expect((a + b).floats == [5, 7, 9])
    #expect((a * b).sum().item == 32)
    let m = Tensor([1, 2, 3, 4] as [Float], shape: [2, 2])
    #expect(m.matmul(m).floats == [7, 10, 15, 22])
    #expect(Tensor(zeros: [2, 3]).shape == [2, 3])
    #expect(m.repeated([2, 1]).shape == [4, 2])
    #expect(m.chunked(2).count == 2)
    let x = Tensor([2.0, 3.0]).requiringGrad()
    (x * x).sum().backward()
    #expect(x.grad?.scalars(as: Double.self) == [4, 6])
    let err = #expect(throws: TorchError.self) { try Tensor.checking { Tensor(zeros: [2, 3]).matmul(Tensor(zeros: [2, 3])) } }
    #expect(err?.message.contains("mat1 and mat2 shapes cannot be multiplied") == true)
}
