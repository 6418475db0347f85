import Foundation
import SimVAEData
import Torch

/// Frozen representations of a run's model: un-augmented train and test splits, plus augmented test views
/// with their augmentation parameters for style probes. Cached in the run folder as
/// `representations.safetensors`, keyed by the checkpoint's step.
///
/// For datasets with binary attributes (CelebA), the class label is the `Male` attribute (the paper's
/// "CelebA (gender)" task) and all attributes are kept as 0/1 matrices for attribute and hair-colour probes.
public struct Representations {
    /// Representations [N, width] (float32) of the un-augmented training images and their class labels [N]
    /// (int64).
    public let trainFeatures: Tensor, trainLabels: Tensor
    /// The same for the un-augmented test images: [M, width] and [M].
    public let testFeatures: Tensor, testLabels: Tensor
    /// 0/1 attributes [N, A] and [M, A] named by `attributeNames` (empty matrices when the dataset has none).
    public let trainAttributes: Tensor, testAttributes: Tensor
    /// The names of the attribute columns, in order (empty when the dataset has none).
    public let attributeNames: [String]
    /// Representations [S, width] of augmented test views and their style targets [S, K] named by `styleNames`.
    public let styleFeatures: Tensor, styleTargets: Tensor
    /// The names of the style target columns, in order (`AugmentationParameters.styleTargetNames`).
    public let styleNames: [String]

    /// Loads the cache when it matches the checkpoint, else extracts and caches.
    /// - Parameters:
    ///   - limit: evaluate on the first `limit` images of each split (all when nil).
    ///   - styleViews: augmented test views to extract for the style probes.
    ///   - device: where the model runs and the views are augmented; the results are CPU tensors.
    public static func load(run: RunDirectory, limit: Int? = nil, styleViews: Int = 10_000, device: Device = .cpu,
                            progress: WorkProgress = .silent) throws -> Representations {
        let trained = try TrainedModel(run: run, device: device)
        let key = "step \(trained.step), limit \(limit.map(String.init) ?? "all"), style views \(styleViews)"
        if let cached = try? SafeTensors.readWithMetadata(run.representations), cached.metadata["key"] == key {
            if let result = Representations(cached.tensors, names: cached.metadata["style_names"],
                                            attributes: cached.metadata["attribute_names"]),
               result.isConsistent(width: trained.representationWidth) {
                progress.note("representations: cached (\(key))")
                return result
            }
            progress.note("representations: \(run.representations.path) does not fit this run; extracting again")
        }
        let result = try Tensor.checking {
            try extract(trained, limit: limit, styleViews: styleViews, progress: progress)
        }
        try SafeTensors.write(result.tensors, metadata: [
            "key": key, "style_names": result.styleNames.joined(separator: ","),
            "attribute_names": result.attributeNames.joined(separator: ","),
        ], to: run.representations)
        return result
    }

    private static func extract(_ trained: TrainedModel, limit: Int?, styleViews: Int,
                                progress: WorkProgress) throws -> Representations {
        let configuration = trained.configuration
        var splits: [(features: Tensor, labels: Tensor, attributes: Tensor)] = []
        var attributeNames: [String] = []
        var testImages: ImageSet?
        for split in [DataSplit.train, .test] {
            let watch = Stopwatch()
            let images = try DatasetLoader.load(trained.dataset, split: split,
                                                dataDirectory: configuration.dataDirectory, limit: limit)
            if split == .test { testImages = images }
            let (features, labels) = try features(of: trained.model, images: images, device: trained.device) {
                progress.advance("representations, \(split.rawValue) images", $0, images.count)
            }
            if let attributes = images.attributes {
                attributeNames = attributes.names
                let matrix = Tensor(attributes.values.map { $0 > 0 ? Int64(1) : 0 },
                                    shape: [images.count, attributes.names.count])
                let gender = attributes.names.firstIndex(of: "Male").map { matrix.selected(dim: 1, index: $0) }
                splits.append((features, gender ?? labels, matrix))
            } else {
                splits.append((features, labels, Tensor(zeros: [images.count, 0], dtype: .int64)))
            }
            progress.note("representations: \(split.rawValue) split, \(images.count) images in "
                + String(format: "%.1f s", watch.elapsed))
        }
        let watch = Stopwatch()
        let (styleFeatures, styleTargets) = try styleViewsOf(testImages!, model: trained.model,
                                                             dataset: trained.dataset, count: styleViews,
                                                             seed: configuration.seed, device: trained.device) {
            progress.advance("representations, augmented test views", $0, $1)
        }
        progress.note("representations: \(styleFeatures.size(0)) augmented test views in "
            + String(format: "%.1f s", watch.elapsed))
        return Representations(trainFeatures: splits[0].features, trainLabels: splits[0].labels,
                               testFeatures: splits[1].features, testLabels: splits[1].labels,
                               trainAttributes: splits[0].attributes, testAttributes: splits[1].attributes,
                               attributeNames: attributeNames, styleFeatures: styleFeatures,
                               styleTargets: styleTargets, styleNames: AugmentationParameters.styleTargetNames)
    }

    /// The model's representations of `images`, un-augmented, in their order, with their labels, as CPU tensors.
    /// `progress` receives the images done after each batch.
    public static func features(of model: any Objective, images: ImageSet, device: Device,
                                progress: (_ images: Int) -> Void = { _ in }) throws
        -> (features: Tensor, labels: Tensor) {
        let loader = try MultiViewLoader(images: images, setsPerBatch: 1, views: 1, pipeline: nil, seed: 0,
                                         device: device)
        var features: [Tensor] = []
        var labels: [Tensor] = []
        var done = 0
        withNoGrad {
            for batch in loader.evaluationBatches(batchSize: 1000) {
                features.append(model.representation(batch.images).contiguous())
                labels.append(batch.labels)
                done += batch.labels.size(0)
                progress(done)
            }
        }
        return (Tensor.cat(features).to(.cpu), Tensor.cat(labels).to(.cpu))
    }

    /// Representations of `count` augmented test views (the paper's pipeline with both flip axes, so every
    /// geometric parameter varies) and their augmentation parameters.
    private static func styleViewsOf(_ images: ImageSet, model: any Objective, dataset: Dataset, count: Int,
                                     seed: UInt64, device: Device,
                                     progress: (_ views: Int, _ total: Int) -> Void) throws -> (Tensor, Tensor) {
        var pipeline = dataset.paperAugmentation()
        pipeline.flips = [RandomFlip(.horizontal), RandomFlip(.vertical)]
        let views = Swift.max(1, count / Swift.max(images.count, 1))
        // About 1 000 views per batch, whatever the number of views per image.
        let loader = try MultiViewLoader(images: images, setsPerBatch: Swift.max(1, Swift.min(1000 / views, images.count)),
                                         views: views,
                                         pipeline: pipeline, seed: seed &+ 1, dropLast: false, device: device)
        var features: [Tensor] = []
        var targets: [Tensor] = []
        var seen = 0
        let total = Swift.min(count, views * images.count)
        withNoGrad {
            for batch in loader.batches(epoch: 1) where seen < count {
                features.append(model.representation(batch.images).contiguous())
                if let parameters = batch.parameters {
                    targets.append(parameters.styleTargets(inputHeight: images.height, inputWidth: images.width))
                }
                seen += batch.images.size(0)
                progress(Swift.min(seen, total), total)
            }
        }
        return (Tensor.cat(features).to(.cpu), Tensor.cat(targets).to(.cpu))
    }

    /// Whether the matrices fit together: `width`-wide float features with one label (and attribute row) per
    /// row, and one style target row per style feature row; a hand-edited or damaged cache fails this.
    func isConsistent(width: Int) -> Bool {
        let matrices = [(trainFeatures, trainLabels, trainAttributes), (testFeatures, testLabels, testAttributes)]
        let splitsFit = matrices.allSatisfy { features, labels, attributes in
            features.shape.count == 2 && features.size(1) == width && features.dtype == .float32
                && labels.shape == [features.size(0)] && labels.dtype == .int64
                && attributes.shape == [features.size(0), attributeNames.count]
        }
        return splitsFit && styleFeatures.shape.count == 2 && styleFeatures.size(1) == width
            && styleTargets.shape == [styleFeatures.size(0), styleNames.count]
    }

    var tensors: [String: Tensor] {
        ["train_features": trainFeatures, "train_labels": trainLabels, "test_features": testFeatures,
         "test_labels": testLabels, "style_features": styleFeatures, "style_targets": styleTargets,
         "train_attributes": trainAttributes, "test_attributes": testAttributes]
    }

    private init?(_ tensors: [String: Tensor], names: String?, attributes: String?) {
        guard let names, let attributes, let a = tensors["train_features"], let b = tensors["train_labels"],
              let c = tensors["test_features"], let d = tensors["test_labels"], let e = tensors["style_features"],
              let f = tensors["style_targets"], let g = tensors["train_attributes"], let h = tensors["test_attributes"]
        else { return nil }
        self.init(trainFeatures: a, trainLabels: b, testFeatures: c, testLabels: d, trainAttributes: g,
                  testAttributes: h, attributeNames: attributes.split(separator: ",").map(String.init),
                  styleFeatures: e, styleTargets: f, styleNames: names.split(separator: ",").map(String.init))
    }

    init(trainFeatures: Tensor, trainLabels: Tensor, testFeatures: Tensor, testLabels: Tensor,
         trainAttributes: Tensor, testAttributes: Tensor, attributeNames: [String],
         styleFeatures: Tensor, styleTargets: Tensor, styleNames: [String]) {
        self.trainFeatures = trainFeatures
        self.trainLabels = trainLabels
        self.testFeatures = testFeatures
        self.testLabels = testLabels
        self.trainAttributes = trainAttributes
        self.testAttributes = testAttributes
        self.attributeNames = attributeNames
        self.styleFeatures = styleFeatures
        self.styleTargets = styleTargets
        self.styleNames = styleNames
    }
}
