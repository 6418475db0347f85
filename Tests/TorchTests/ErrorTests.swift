import Foundation
import TestSupport
import Testing
@testable import Torch

@Suite(.serialized, .drawsFromTheRandomGenerator) struct ErrorTests {
    @Test(.drawsFromTheRandomGenerator) func mismatchedMatmulThrowsLibtorchsMessage() {
        let error = #expect(throws: TorchError.self) {
            try Tensor.checking { Tensor(zeros: [2, 3]).matmul(Tensor(zeros: [2, 3])) }
        }
        #expect(error?.message.contains("mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3)") == true,
                "\(error?.message ?? "")")
    }

    @Test(.drawsFromTheRandomGenerator) func messagesLeaveOutTheCppBacktrace() {
        let error = #expect(throws: TorchError.self) {
            try Tensor.checking { Tensor(zeros: [2, 3]).matmul(Tensor(zeros: [2, 3])) }
        }
        let message = error?.message ?? ""
        #expect(!message.contains("frame #") && !message.contains("Exception raised from"), "\(message)")
    }

    @Test(.drawsFromTheRandomGenerator) func badCatThrows() {
        let error = #expect(throws: TorchError.self) {
            try Tensor.checking { Tensor.cat([Tensor(zeros: [2, 3]), Tensor(zeros: [2, 4])]) }
        }
        #expect(error?.message.contains("Sizes of tensors must match") == true, "\(error?.message ?? "")")
    }

    @Test(.drawsFromTheRandomGenerator) func multiResultOperatorsFailCleanly() {
        // Operators returning tuples or lists must not crash when they fail inside a checking scope.
        #expect(throws: TorchError.self) { try Tensor.checking { Tensor(zeros: [2, 3]).signedLogDeterminant() } }
        #expect(throws: TorchError.self) { try Tensor.checking { Tensor(zeros: [2, 3]).max(dim: 5) } }
        #expect(throws: TorchError.self) { try Tensor.checking { Tensor(zeros: [2]).split(size: 0, dim: 3) } }
        #expect(throws: TorchError.self) { try Tensor.checking { Tensor(zeros: [2, 3]).topK(9) } }
        #expect(throws: TorchError.self) {
            try Tensor.checking { Tensor(zeros: [2]).backward() }  // not a scalar: needs a gradient
        }
    }

    @Test(.drawsFromTheRandomGenerator) func piecesOfAFailedResultCanBeIndexedAsAsked() {
        // A posterior split into mean and log-variance after a failed encoder: the second piece must exist.
        let error = #expect(throws: TorchError.self) {
            try Tensor.checking {
                let failed = Tensor(zeros: [2, 3]).matmul(Tensor(zeros: [2, 3]))
                let halves = failed.chunked(2, dim: 1)
                let pieces = failed.split(sizes: [1, 1, 1], dim: 1)
                return (halves[1] + pieces[2]).item
            }
        }
        #expect(error?.message.contains("mat") == true, "\(error?.message ?? "")")
    }

    @Test(.drawsFromTheRandomGenerator) func theFirstFailureIsReported() {
        let error = #expect(throws: TorchError.self) {
            try Tensor.checking {
                _ = Tensor(zeros: [2, 3]).matmul(Tensor(zeros: [4, 5]))
                _ = Tensor.cat([Tensor(zeros: [1]), Tensor(zeros: [1, 1])])
            }
        }
        #expect(error?.message.contains("mat1 and mat2") == true)
    }

    @Test(.drawsFromTheRandomGenerator) func nestedScopes() throws {
        // An inner failure handled inside does not leak into the outer scope.
        let value = try Tensor.checking {
            let inner = #expect(throws: TorchError.self) {
                try Tensor.checking { Tensor(zeros: [2, 3]).matmul(Tensor(zeros: [2, 3])) }
            }
            #expect(inner != nil)
            return (Tensor(ones: [2]) * 3).sum().item
        }
        #expect(value == 6)
        // An inner failure that propagates reaches the outer caller unchanged.
        let outer = #expect(throws: TorchError.self) {
            try Tensor.checking { try Tensor.checking { Tensor.cat([Tensor(zeros: [1]), Tensor(zeros: [2, 2])]) } }
        }
        #expect(outer?.message.contains("cat") == true || outer?.message.contains("dimension") == true,
                "\(outer?.message ?? "")")
        // A failure in the outer scope after a clean inner one is still reported.
        #expect(throws: TorchError.self) {
            try Tensor.checking {
                _ = try Tensor.checking { Tensor(ones: [2]) + 1 }
                return Tensor(zeros: [3]) + Tensor(zeros: [4])
            }
        }
    }

    @Test(.drawsFromTheRandomGenerator) func aScopeOpenedInAFailedScopeStartsFailed() {
        let outer = #expect(throws: TorchError.self) {
            try Tensor.checking {
                _ = Tensor(zeros: [2, 3]).matmul(Tensor(zeros: [2, 3]))
                let inner = try? Tensor.checking { (Tensor(ones: [2]) * 3).sum().item }
                #expect(inner == nil, "an inner scope whose work was skipped reported success")
            }
        }
        #expect(outer?.message.contains("mat1 and mat2") == true)
    }

    @Test(.drawsFromTheRandomGenerator) func aFailedScopeSkipsLibtorchAndKeepsAccessorsHarmless() throws {
        let weight = Tensor(ones: [3]).requiringGrad()
        let counter = Tensor(ones: [3])
        let error = #expect(throws: TorchError.self) {
            try Tensor.checking {
                let loss = (weight * 2).sum()
                let product = Tensor(zeros: [2, 3]).matmul(Tensor(zeros: [2, 3]))
                #expect(product.item.isNaN)
                #expect(product.size(3) == 0 && product.size(-2) == 0)
                #expect(counter.scalars(as: Double.self) == [0, 0, 0])
                #expect(counter.scalars(as: Int64.self) == [0, 0, 0])
                #expect((try? counter.withUnsafeMutableBytes { _ in true }) == nil)
                counter.add_(1)  // skipped: libtorch is not called again
                loss.backward()  // skipped too
                _ = Tensor.cat([Tensor(zeros: [1]), Tensor(zeros: [1, 1])])
            }
        }
        #expect(error?.message.contains("mat1 and mat2 shapes cannot be multiplied") == true, "\(error?.message ?? "")")
        #expect(counter.doubles == [1, 1, 1])
        #expect(weight.grad == nil)
    }

    @Test(.drawsFromTheRandomGenerator) func aFailedScopeNeverReplacesATensorsData() {
        let weight = Tensor(ones: [3])
        #expect(throws: TorchError.self) {
            try Tensor.checking {
                let moved = Tensor(zeros: [2, 3]).matmul(Tensor(zeros: [2, 3]))  // a placeholder
                weight.replaceStorage(with: moved)  // as Module.move(to:) does
            }
        }
        #expect(weight.shape == [3] && weight.doubles == [1, 1, 1])
    }

    @Test(.drawsFromTheRandomGenerator) func theLibtorchFailureIsThrownWhenTheBodyThrowsAfterIt() {
        struct Unexpected: Error {}
        let error = #expect(throws: TorchError.self) {
            try Tensor.checking {
                let product = Tensor(zeros: [2, 3]).matmul(Tensor(zeros: [2, 3]))
                guard product.size(1) == 3 else { throw Unexpected() }
            }
        }
        #expect(error?.message.contains("mat1 and mat2") == true)
        // Without a libtorch failure the body's own error comes through.
        #expect(throws: Unexpected.self) { try Tensor.checking { throw Unexpected() } }
    }

    @Test(.drawsFromTheRandomGenerator) func aHugeAllocationThrowsOutOfMemoryAndTheProcessGoesOn() throws {
        let error = #expect(throws: TorchError.self) { try Tensor.checking { Tensor(zeros: [1 << 50]) } }
        #expect(error?.isOutOfMemory == true, "\(error?.message ?? "")")
        #expect(error?.requestedBytes == 1 << 52)
        #expect(error?.description.hasPrefix("out of memory: libtorch asked for 4.0 PiB (4503599627370496 bytes)")
                == true, "\(error?.description ?? "")")
        #expect(error?.message.contains("DefaultCPUAllocator") == true)
        #expect(try Tensor.checking { Tensor(ones: [4]).sum().item } == 4)
    }

    @Test(.drawsFromTheRandomGenerator) func tensorCreationFailuresAreThrownInScopes() {
        let error = #expect(throws: TorchError.self) { try Tensor.checking { Tensor([Float](), shape: [-1, 0]) } }
        #expect(error?.message.contains("negative dimension -1") == true, "\(error?.message ?? "")")
    }

    @Test(.drawsFromTheRandomGenerator) func outOfMemoryMessagesAreRecognised() {
        let cpu = TorchError("aten::empty: [enforce fail at alloc_cpu.cpp:75] err == 0. DefaultCPUAllocator: can't "
            + "allocate memory: you tried to allocate 400000000000 bytes. Error code 12 (Cannot allocate memory)")
        #expect(cpu.isOutOfMemory && cpu.requestedBytes == 400_000_000_000)
        #expect(cpu.description.hasPrefix("out of memory: libtorch asked for 372.5 GiB (400000000000 bytes)"),
                "\(cpu.description)")
        let cuda = TorchError("CUDA out of memory. Tried to allocate 20.00 MiB (GPU 0; 7.79 GiB total capacity; "
            + "6.95 GiB already allocated; 11.44 MiB free)")
        #expect(cuda.isOutOfMemory && cuda.requestedBytes == 20 << 20)
        #expect(cuda.description.hasPrefix("out of memory on the GPU: libtorch asked for 20.0 MiB"),
                "\(cuda.description)")
        let other = TorchError("mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3)")
        #expect(!other.isOutOfMemory && other.requestedBytes == nil && other.description == other.message)
    }

    @Test(.drawsFromTheRandomGenerator) func scopesBelongToTheirThread() throws {
        let error = #expect(throws: TorchError.self) {
            try Tensor.checking {
                _ = Tensor(zeros: [2, 3]).matmul(Tensor(zeros: [2, 3]))
                // Another thread, outside any scope, computes normally while this scope has failed.
                let done = DispatchSemaphore(value: 0)
                nonisolated(unsafe) var sum = 0.0
                Thread {
                    sum = (Tensor(ones: [2]) * 3).sum().item
                    done.signal()
                }.start()
                done.wait()
                #expect(sum == 6)
            }
        }
        #expect(error != nil)
    }

    @Test(.drawsFromTheRandomGenerator) func theUncheckedFailureHandlerReceivesFailuresOutsideScopes() {
        let reported = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var message = ""
        nonisolated(unsafe) var failingThread: pthread_t?
        let failing = Thread {
            failingThread = pthread_self()
            _ = Tensor(zeros: [2, 3]).matmul(Tensor(zeros: [2, 3]))
        }
        Tensor.uncheckedFailureHandler = { error in
            // Any other thread's failure (another test's) still traps, as without a handler.
            guard let failingThread, pthread_equal(pthread_self(), failingThread) != 0 else {
                preconditionFailure("libtorch: \(error.message)")
            }
            message = error.message
            reported.signal()
            while true { sleep(3600) }  // a real handler exits the process; this one parks its thread
        }
        defer { Tensor.uncheckedFailureHandler = nil }
        failing.start()
        #expect(reported.wait(timeout: .now() + 30) == .success)
        #expect(message.contains("mat1 and mat2 shapes cannot be multiplied"), "\(message)")
    }

    @Test(.drawsFromTheRandomGenerator) func operationsWorkNormallyAfterAnError() throws {
        _ = try? Tensor.checking { Tensor(zeros: [2, 3]).matmul(Tensor(zeros: [2, 3])) }
        let product = try Tensor.checking { t([1, 2, 3, 4], [2, 2]).matmul(t([1, 1], [2, 1])) }
        expectClose(product, [3, 7])
        expectClose(t([1, 2]) + t([3, 4]), [4, 6])  // outside any scope
    }

    @Test(.drawsFromTheRandomGenerator) func operatorResultsThrowDirectly() {
        let error = #expect(throws: TorchError.self) {
            try ATen.matmul.results([.tensor(Tensor(zeros: [2, 3])), .tensor(Tensor(zeros: [2, 3]))])
        }
        #expect(error?.message.hasPrefix("aten::matmul") == true, "\(error?.message ?? "")")
    }

    @Test(.drawsFromTheRandomGenerator) func badGeneratorStateIsAnError() {
        let error = #expect(throws: TorchError.self) { try Runtime.restoreGeneratorState(Tensor(zeros: [3])) }
        #expect(error?.message.contains("random generator") == true)
    }
}

@Suite(.serialized, .drawsFromTheRandomGenerator) struct RuntimeTests {
    @Test(.drawsFromTheRandomGenerator) func seedingReproducesSamples() {
        let (first, second, other) = withGlobalGenerator {
            Runtime.seed(7)
            let first = Tensor.randn([5]).doubles + Tensor.rand([3]).doubles
            Runtime.seed(7)
            let second = Tensor.randn([5]).doubles + Tensor.rand([3]).doubles
            Runtime.seed(8)
            return (first, second, Tensor.randn([5]).doubles)
        }
        #expect(first == second)
        #expect(Array(first.prefix(5)) != other)
    }

    @Test(.drawsFromTheRandomGenerator) func generatorStateReplaysTheSameNumbers() throws {
        try withGlobalGenerator {
            Runtime.seed(3)
            _ = Tensor.randn([4])
            let state = Runtime.generatorState()
            #expect(state.dtype == .uint8)
            let expected = Tensor.randn([6]).doubles + Tensor.randint(0..<100, shape: [4]).doubles
                + Tensor.randperm(5).doubles + Tensor(zeros: [3]).uniform_(-1, 1).doubles
            try Runtime.restoreGeneratorState(state)
            let replay = Tensor.randn([6]).doubles + Tensor.randint(0..<100, shape: [4]).doubles
                + Tensor.randperm(5).doubles + Tensor(zeros: [3]).uniform_(-1, 1).doubles
            #expect(replay == expected)
        }
    }

    @Test(.drawsFromTheRandomGenerator) func randomFactoriesRespectTheirRanges() {
        let (uniform, integers, permutation, normal) = withGlobalGenerator {
            (Tensor.rand([500], dtype: .float64).doubles, Tensor.randint(3..<6, shape: [200]).doubles,
             Tensor.randperm(10).doubles, Tensor(zeros: [2000]).normal_(mean: 3, std: 0.5))
        }
        #expect(uniform.allSatisfy { (0..<1).contains($0) })
        #expect(Set(integers) == [3, 4, 5])
        #expect(permutation.sorted() == (0..<10).map(Double.init))
        #expect(Swift.abs(normal.mean().item - 3) < 0.05 && Swift.abs(normal.standardDeviation().item - 0.5) < 0.05)
    }

    @Test(.drawsFromTheRandomGenerator) func versionAndThreads() {
        let version = Runtime.version
        #expect(version.split(separator: ".").count >= 2 && version.first?.isNumber == true, "\(version)")
        #expect(Runtime.threadCount >= 1)
        #expect(Runtime.availableCores >= 1)
        #expect(Runtime.buildConfiguration.contains("PyTorch"))
        #expect(!Runtime.parallelInfo.isEmpty)
        #expect(Device(parsing: "cuda:1") == .cuda(1) && Device(parsing: "cpu") == .cpu && Device(parsing: "gpu") == nil)
        #expect(Device.cudaDeviceCount == 0 || Device.isCUDAAvailable)
    }
}
