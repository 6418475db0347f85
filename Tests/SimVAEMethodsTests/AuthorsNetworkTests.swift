import Foundation
import TestSupport
import Testing
import Torch
@testable import SimVAEMethods

// The authors' networks against their own PyTorch classes: `Fixtures/authors_networks.safetensors` was written once
// by scripts/reference/authors_networks_fixture.py from alicebizeul/simvae's `Encoder` and `Decoder`. It holds every
// state-dict name and shape and the float64 outputs for a fixed batch; the weights and inputs follow an integer hash
// both sides compute exactly.

/// The fixture's tensors and its `state_dicts` metadata (names → shapes, and parameter counts).
private func loadFixture() -> (tensors: [String: Tensor], stateDicts: [String: Any]) {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/authors_networks.safetensors")
    guard let (tensors, metadata) = try? SafeTensors.readWithMetadata(url),
          let json = metadata["state_dicts"]?.data(using: .utf8),
          let stateDicts = try? JSONSerialization.jsonObject(with: json) as? [String: Any]
    else { fatalError("cannot read \(url.path)") }
    return (tensors, stateDicts)
}

/// The fixture script's `hashed_values`: ((i + 1)·2654435761 + stream·1013904223) mod 2³² / 2³², uniform in [0, 1).
private func hashedValues(_ count: Int, stream: Int) -> [Double] {
    (0..<count).map { Double((($0 + 1) * 2_654_435_761 + stream * 1_013_904_223) % (1 << 32)) / 4_294_967_296 }
}

/// The fixture script's deterministic values for every floating tensor of `module` (see its `fill_deterministically`).
private func fillDeterministically(_ module: Module) {
    withNoGrad {
        for (rank, (name, tensor)) in module.namedTensors().sorted(by: { $0.0 < $1.0 }).enumerated()
        where tensor.dtype == .float32 {
            let uniform = hashedValues(tensor.count, stream: rank)
            let scaled: [Double]
            if tensor.rank >= 2 {
                let scale = Foundation.sqrt(24 * Double(tensor.size(0)) / Double(tensor.count))
                scaled = uniform.map { ($0 - 0.5) * scale }
            } else if name.hasSuffix("running_var") {
                scaled = uniform.map { 0.5 + $0 }
            } else if name.hasSuffix("weight") {
                scaled = uniform.map { 0.75 + 0.5 * $0 }
            } else {
                scaled = uniform.map { 0.2 * ($0 - 0.5) }
            }
            tensor.copy_(Tensor(scaled.map(Float.init), shape: tensor.shape))
        }
    }
}

/// The fixture script's fixed batch: `hashedValues` in [0, 1).
private func fixedBatch(_ shape: [Int], stream: Int) -> Tensor {
    Tensor(hashedValues(shape.reduce(1, *), stream: stream).map(Float.init), shape: shape)
}

private func expectSameStateDict(_ module: Module, as key: String) {
    let fixture = loadFixture()
    let theirs = (fixture.stateDicts[key] as? [String: [Int]]) ?? [:]
    let ours = Dictionary(uniqueKeysWithValues: module.namedTensors().map { ($0.0, $0.1.shape) })
    #expect(!theirs.isEmpty)
    let (oursOnly, theirsOnly) = (Set(ours.keys).subtracting(theirs.keys), Set(theirs.keys).subtracting(ours.keys))
    #expect(oursOnly.isEmpty && theirsOnly.isEmpty, "names differ: ours only \(oursOnly), theirs only \(theirsOnly)")
    for (name, shape) in theirs { #expect(ours[name] == shape, "\(name): ours \(ours[name] ?? []), theirs \(shape)") }
    #expect(module.parameterCount == fixture.stateDicts[key + "_parameter_count"] as? Int)
}

/// The largest difference relative to the largest magnitude of the expected outputs.
private func relativeGap(_ ours: Tensor, _ theirs: Tensor) -> Double {
    (ours - theirs).abs().max().item / max(theirs.abs().max().item, 1e-12)
}

@Test(.drawsFromTheRandomGenerator, arguments: [(32, 4), (64, 2)])
func authorsEncoderMatchesTheirModule(size: Int, batch: Int) {
    let encoder = AuthorsEncoder(imageSize: size, outputs: 128)
    expectSameStateDict(encoder, as: "encoder\(size)")
    fillDeterministically(encoder)
    let images = fixedBatch([batch, 3, size, size], stream: size)
    let fixture = loadFixture()
    withNoGrad {
        encoder.eval()
        let evaluated = encoder(images)
        encoder.train()
        let trained = encoder(images)
        #expect(evaluated.shape == [batch, 128])
        #expect(relativeGap(evaluated, fixture.tensors["encoder\(size).eval"]!) < 1e-5)
        #expect(relativeGap(trained, fixture.tensors["encoder\(size).train"]!) < 1e-5)
    }
}

@Test(.drawsFromTheRandomGenerator, arguments: [(32, 4), (64, 2)])
func authorsDecoderMatchesTheirModule(size: Int, batch: Int) {
    let decoder = AuthorsDecoder(latents: 64, imageSize: size)
    expectSameStateDict(decoder, as: "decoder\(size)")
    fillDeterministically(decoder)
    let latents = fixedBatch([batch, 64], stream: size)
    // The fixture keeps every 4th row and column of the 64 px outputs.
    let step = size == 32 ? 1 : 4
    let fixture = loadFixture()
    func kept(_ images: Tensor) -> Tensor {
        images.sliced(dim: 2, 0..<size, step: step).sliced(dim: 3, 0..<size, step: step)
    }
    withNoGrad {
        decoder.eval()
        let evaluated = decoder(latents)
        decoder.train()
        let trained = decoder(latents)
        #expect(evaluated.shape == [batch, 3, size, size])
        #expect(relativeGap(kept(evaluated), fixture.tensors["decoder\(size).eval"]!) < 1e-5)
        // In training mode the batch norms divide by batch statistics of small batches, which amplifies float32
        // rounding: PyTorch's own float32 forward is 2.5e-5 (32 px) and 1.6e-4 (64 px) away from its float64 one.
        #expect(relativeGap(kept(trained), fixture.tensors["decoder\(size).train"]!) < 2e-4)
    }
}

@Test(.drawsFromTheRandomGenerator) func authorsNetworksHaveThePublishedParameterCounts() {
    #expect(AuthorsEncoder(imageSize: 32, outputs: 128).parameterCount == 969_920)
    #expect(AuthorsDecoder(latents: 64, imageSize: 32).parameterCount == 8_984_393)
    #expect(AuthorsEncoder(imageSize: 64, outputs: 128).parameterCount == 1_757_632)
    #expect(AuthorsDecoder(latents: 64, imageSize: 64).parameterCount == 9_383_753)
}

@Test(.drawsFromTheRandomGenerator) func authorsEncoderInitialisesItsBlocksKaimingNormal() {
    Runtime.seed(3)
    let encoder = AuthorsEncoder(outputs: 128)
    let weights = Dictionary(uniqueKeysWithValues: encoder.namedParameters())
    // layer3's second block: 128 × 128 × 3 × 3, fan-out 1 152, so std √(2 / 1 152) ≈ 0.0417.
    let block = weights["layers.6.1.conv2.weight"]!
    #expect(abs(standardDeviation(block) - Foundation.sqrt(2.0 / 1152)) < 0.002)
    // The stem keeps PyTorch's default uniform initialisation: bound 1 / √(3·3·3) ≈ 0.192.
    let stem = weights["layers.0.weight"]!
    #expect(stem.abs().max().item <= 1 / Foundation.sqrt(27.0) + 1e-6)
    #expect(abs(standardDeviation(stem) - 1 / Foundation.sqrt(81.0)) < 0.01)
}

private func standardDeviation(_ values: Tensor) -> Double {
    let centred = values - values.mean()
    return (centred * centred).mean().item.squareRoot()
}

/// A checkpoint's `encoder.` and `decoder.` tensors, with those prefixes stripped, are exactly the state dicts of the
/// authors' `Encoder` and `Decoder` (what README's loading recipe relies on), for every method on CIFAR-10's
/// default backbone; discriminative encoders differ only in their head's width (zdim outputs instead of 2·zdim).
@Test(.drawsFromTheRandomGenerator) func checkpointsOfEveryMethodStripToTheAuthorsStateDicts() throws {
    let theirs = loadFixture().stateDicts
    for method in Method.registered {
        let configuration = TrainingConfiguration.defaults(method: method, dataset: .cifar10)
        #expect(configuration.architecture == .authors)
        let model = try ModelFactory.make(configuration, imageShape: [3, 32, 32])
        for (prefix, key) in [("encoder.", "encoder32"), ("decoder.", "decoder32")] {
            let ours = Dictionary(uniqueKeysWithValues: model.namedTensors().compactMap { name, tensor in
                name.hasPrefix(prefix) ? (String(name.dropFirst(prefix.count)), tensor.shape) : nil
            })
            let expected = (theirs[key] as? [String: [Int]]) ?? [:]
            if prefix == "decoder." && !method.isGenerative { #expect(ours.isEmpty); continue }
            #expect(Set(ours.keys) == Set(expected.keys), "\(method.name): \(prefix) names differ")
            if method.isGenerative { #expect(ours == expected, "\(method.name): \(prefix) shapes differ") }
        }
    }
}
