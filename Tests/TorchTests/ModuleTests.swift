import Foundation
import TestSupport
import Testing
@testable import Torch

/// A network with nested modules, a batch norm, an array of blocks and a camel-case property.
final class TwinNet: Module, Layer {
    let encoder: Sequential
    let bn: BatchNorm
    let blocks: [Linear]
    let outputHead: Linear
    let scale: Double = 2

    override init() {
        encoder = Sequential(Linear(2, 3), Activation(.tanh))
        bn = BatchNorm(3)
        blocks = [Linear(3, 3), Linear(3, 3, bias: false)]
        outputHead = Linear(3, 1)
        super.init()
    }

    func callAsFunction(_ input: Tensor) -> Tensor {
        outputHead(blocks.reduce(bn(encoder(input))) { $1($0).relu() }) * scale
    }
}

@Suite(.serialized, .drawsFromTheRandomGenerator) struct ModuleTests {
    @Test(.drawsFromTheRandomGenerator) func sequentialNamesLikePyTorch() {
        let model = withGlobalGenerator { Sequential(Linear(3, 4), Activation(.relu), Linear(4, 2)) }
        #expect(model.namedParameters().map(\.0) == ["0.weight", "0.bias", "2.weight", "2.bias"])
        #expect(model.parameterCount == 3 * 4 + 4 + 4 * 2 + 2)
        #expect(model.namedBuffers().isEmpty)
    }

    @Test(.drawsFromTheRandomGenerator) func nestedModulesNameParametersAndBuffers() {
        let net = withGlobalGenerator { TwinNet() }
        #expect(net.namedParameters().map(\.0) == [
            "encoder.0.weight", "encoder.0.bias", "bn.weight", "bn.bias", "blocks.0.weight", "blocks.0.bias",
            "blocks.1.weight", "output_head.weight", "output_head.bias",
        ])
        #expect(net.namedBuffers().map(\.0) == ["bn.running_mean", "bn.running_var", "bn.num_batches_tracked"])
        #expect(Set(net.stateDict().keys) == Set(net.namedTensors().map(\.0)))
        #expect(net.namedChildren().map(\.0) == ["encoder", "bn", "blocks.0", "blocks.1", "output_head"])
        #expect(Module.pytorchName("runningMean") == "running_mean")
        #expect(Module.pytorchName("_layers") == "layers")
    }

    @Test(.drawsFromTheRandomGenerator) func trainAndEvalReachEveryDescendant() {
        let net = withGlobalGenerator { TwinNet() }
        func modes(_ module: Module) -> [Bool] {
            [module.isTraining] + module.namedChildren().flatMap { modes($0.1) }
        }
        #expect(modes(net).count == 8 && modes(net).allSatisfy { $0 })
        net.eval()
        #expect(modes(net).allSatisfy { !$0 })
        net.train()
        #expect(modes(net).allSatisfy { $0 })
    }

    @Test(.drawsFromTheRandomGenerator) func batchNormLayerTracksStatisticsOnlyInTraining() {
        let bn = BatchNorm(2)
        let x = t([1, 2, 3, 6], [2, 2]).float
        _ = bn(x)
        expectClose(bn.runningMean, [0.2, 0.4], atol: 1e-6)
        #expect(bn.numBatchesTracked.scalars(as: Int64.self) == [1])
        bn.eval()
        let y = bn(x)
        // Eval normalises with the running statistics and leaves them alone.
        expectClose(y, [(1 - 0.2) / (bn.runningVar.doubles[0] + 1e-5).squareRoot(),
                        (2 - 0.4) / (bn.runningVar.doubles[1] + 1e-5).squareRoot(),
                        (3 - 0.2) / (bn.runningVar.doubles[0] + 1e-5).squareRoot(),
                        (6 - 0.4) / (bn.runningVar.doubles[1] + 1e-5).squareRoot()], atol: 1e-5)
        #expect(bn.numBatchesTracked.scalars(as: Int64.self) == [1])
        expectClose(bn.runningMean, [0.2, 0.4], atol: 1e-6)
    }

    @Test(.drawsFromTheRandomGenerator) func stateDictRoundTripReproducesOutputs() throws {
        let (source, twin) = withGlobalGenerator { (TwinNet(), TwinNet()) }
        let input = sample([4, 2], seed: 40).float
        _ = source(input)  // moves the batch-norm statistics away from their initial values
        source.eval()
        twin.eval()
        #expect(source(input).doubles != twin(input).doubles)
        let twinWeight = twin.encoder.namedParameters()[0].1
        try twin.load(stateDict: source.stateDict())
        #expect(source(input).doubles == twin(input).doubles)
        #expect(twin.bn.numBatchesTracked.scalars(as: Int64.self) == [1])
        // Loading copies into the existing tensors, so optimizers holding them stay attached.
        #expect(twin.encoder.namedParameters()[0].1 === twinWeight && twinWeight.requiresGrad)
    }

    /// Loads a broken state dict and expects an error naming `problem` and `name`, with nothing copied.
    private func expectRejected(_ edit: (inout [String: Tensor]) -> Void, mentioning words: [String],
                                sourceLocation: SourceLocation = #_sourceLocation) {
        let (source, target) = withGlobalGenerator { (TwinNet(), TwinNet()) }
        var state = source.stateDict()
        edit(&state)
        let before = target.namedTensors().map { $0.1.doubles }
        let error = #expect(throws: TorchError.self, sourceLocation: sourceLocation) {
            try target.load(stateDict: state)
        }
        for word in words {
            #expect(error?.message.contains(word) == true, "\(error?.message ?? "") lacks \(word)",
                    sourceLocation: sourceLocation)
        }
        #expect(target.namedTensors().map { $0.1.doubles } == before, "something was copied",
                sourceLocation: sourceLocation)
    }

    @Test(.drawsFromTheRandomGenerator) func loadRejectsMissingEntries() {
        expectRejected({ $0["bn.running_var"] = nil }, mentioning: ["missing", "bn.running_var"])
    }

    @Test(.drawsFromTheRandomGenerator) func loadRejectsUnexpectedEntries() {
        expectRejected({ $0["decoder.0.weight"] = Tensor(zeros: [1]) }, mentioning: ["unexpected", "decoder.0.weight"])
    }

    @Test(.drawsFromTheRandomGenerator) func loadRejectsMisShapedEntries() {
        expectRejected({ $0["blocks.1.weight"] = Tensor(zeros: [3, 4]) },
                       mentioning: ["wrong shape", "blocks.1.weight", "[3, 3]", "[3, 4]"])
    }

    @Test(.drawsFromTheRandomGenerator) func loadRejectsMisTypedEntries() {
        // A float64 weight is refused rather than silently converted; so is an integer counter stored as float.
        expectRejected({ state in
                           state["blocks.1.weight"] = state["blocks.1.weight"]!.double
                           state["bn.num_batches_tracked"] = Tensor(zeros: [])
                       },
                       mentioning: ["wrong type", "blocks.1.weight (expected float32, found float64)",
                                    "bn.num_batches_tracked (expected int64, found float32)"])
    }

    @Test(.drawsFromTheRandomGenerator) func nonStrictLoadSkipsMissingAndUnexpected() throws {
        let (source, target) = withGlobalGenerator { (TwinNet(), TwinNet()) }
        var state = source.stateDict().filter { $0.key.hasPrefix("output_head") }
        state["extra"] = Tensor(zeros: [1])
        try target.load(stateDict: state, strict: false)
        #expect(target.outputHead.weight.doubles == source.outputHead.weight.doubles)
        #expect(target.blocks[0].weight.doubles != source.blocks[0].weight.doubles)
    }

    /// PyTorch's default init: U(−1/√fan_in, 1/√fan_in) for weights and biases.
    private func expectUniform(_ tensor: Tensor, bound: Double, sourceLocation: SourceLocation = #_sourceLocation) {
        let values = tensor.doubles
        #expect(values.allSatisfy { Swift.abs($0) <= bound }, sourceLocation: sourceLocation)
        // Spread over the whole range: the extremes come close to ±bound.
        #expect(values.max()! > 0.8 * bound && values.min()! < -0.8 * bound, sourceLocation: sourceLocation)
        #expect(tensor.requiresGrad, sourceLocation: sourceLocation)
    }

    @Test(.drawsFromTheRandomGenerator) func defaultInitialisationRanges() {
        withGlobalGenerator {
            let linear = Linear(100, 50)
            expectUniform(linear.weight, bound: 0.1)
            expectUniform(linear.bias!, bound: 0.1)
            #expect(Linear(3, 2, bias: false).bias == nil)
            let conv = Conv2d(3, 8, kernelSize: 3)
            #expect(conv.weight.shape == [8, 3, 3, 3])
            expectUniform(conv.weight, bound: 1 / (27.0).squareRoot())
            let deconv = ConvTranspose2d(8, 4, kernelSize: 3)
            #expect(deconv.weight.shape == [8, 4, 3, 3])
            expectUniform(deconv.weight, bound: 1 / (36.0).squareRoot())
        }
        let bn = BatchNorm(4)
        #expect(bn.weight.doubles == [1, 1, 1, 1] && bn.bias.doubles == [0, 0, 0, 0])
        #expect(bn.runningVar.doubles == [1, 1, 1, 1] && bn.numBatchesTracked.dtype == .int64)
    }

    @Test(.drawsFromTheRandomGenerator) func layersApplyTheirFunctions() {
        let (conv, deconv, linear) = withGlobalGenerator {
            (Conv2d(1, 2, kernelSize: 3, stride: 2, padding: 1), ConvTranspose2d(2, 1, kernelSize: 2, stride: 2),
             Linear(3, 2))
        }
        let x = sample([1, 1, 4, 4], seed: 41).float
        let y = conv(x)
        #expect(y.shape == [1, 2, 2, 2])
        expectClose(y, Functional.conv2d(x, weight: conv.weight, bias: conv.bias, stride: 2, padding: 1).doubles)
        #expect(deconv(y).shape == [1, 1, 4, 4])
        #expect(Flatten()(y).shape == [1, 8])
        let v = t([-1, 0.5, 2], [1, 3]).float
        expectClose(linear(v), Functional.linear(v, weight: linear.weight, bias: linear.bias).doubles)
        expectClose(Activation(.leakyRelu(0.5))(v), [-0.5, 0.5, 2])
        expectClose(Activation(.identity)(v), [-1, 0.5, 2])
        expectClose(Activation(.sigmoid)(v), v.sigmoid().doubles)
        expectClose(Activation(.softplus)(v), v.softplus().doubles)
        expectClose(Sequential(Activation(.relu), Activation(.tanh))(v), [0, Foundation.tanh(0.5), Foundation.tanh(2)],
                    atol: 1e-6)
    }

    @Test(.drawsFromTheRandomGenerator) func zeroGradClearsEveryParameter() {
        let model = withGlobalGenerator { Sequential(Linear(2, 2), Linear(2, 1)) }
        model(t([1, 2], [1, 2]).float).sum().backward()
        #expect(model.parameters().allSatisfy { $0.grad != nil })
        model.zeroGrad()
        #expect(model.parameters().allSatisfy { $0.grad == nil })
    }
}
