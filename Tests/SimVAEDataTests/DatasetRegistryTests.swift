import Foundation
import Testing
@testable import SimVAEData

@Suite struct DatasetRegistryTests {
    /// Writes a tiny MNIST (6 train, 4 test images of 3×3, gzipped) into `folder`.
    private func writeTinyMNIST(_ folder: String) throws {
        for (prefix, count) in [("train", 6), ("t10k", 4)] {
            _ = try writeGzip(idxImages(count: count, side: 3), folder, "\(prefix)-images-idx3-ubyte.gz")
            _ = try writeGzip(idxLabels((0 ..< count).map { UInt8($0 % 2) }), folder, "\(prefix)-labels-idx1-ubyte.gz")
        }
    }

    @Test func findsDataThroughEnvironmentSubfolderAndSummarises() throws {
        let root = try makeTemporaryFolder()
        defer { removeFolder(root) }
        try writeTinyMNIST(root + "/mnist")
        let environment = ["SIMVAE_DATA": root]
        #expect(try DataLocator.locate(.mnist, dataDirectory: nil, environment: environment) == root + "/mnist")
        let test = try DatasetLoader.load(.mnist, split: .test, environment: environment)
        #expect(test.shape == [4, 1, 3, 3])
        #expect(try DatasetLoader.load(.mnist, split: .train, limit: 5, environment: environment).count == 5)
        let lines = try DataCheck.summary(of: .mnist, dataDirectory: root + "/mnist", environment: [:])
        #expect(lines.contains("  train: 6 images of 1×3×3, 10 classes"))
        #expect(lines.contains { $0.contains("0 3, 1 3, 2 0") })
    }

    @Test func missingDatasetSaysWhatWhereAndHow() {
        let error = #expect(throws: DataError.self) {
            try DataLocator.locate(.cifar10, dataDirectory: "/nonexistent/data", environment: [:])
        }
        #expect(error?.message.contains("test_batch.bin") == true)
        #expect(error?.message.contains("/nonexistent/data") == true)
        #expect(error?.message.contains("simvae data fetch") == true)
    }

    @Test func fetchListsSourcesAndVerifiesChecksums() throws {
        #expect(Dataset.fashionMNIST.downloads.map(\.fileName).contains("t10k-images-idx3-ubyte.gz"))
        #expect(Dataset.cifar10.downloads.count == 1)
        #expect(Dataset.celeba.downloads.isEmpty)
        let folder = try makeTemporaryFolder()
        defer { removeFolder(folder) }
        let path = try writeFile(Array("abc".utf8), folder, "abc.txt")
        try DataFetch.verify(path, md5: "900150983cd24fb0d6963f7d28e17f72")
        let error = #expect(throws: DataError.self) { try DataFetch.verify(path, md5: String(repeating: "0", count: 32)) }
        #expect(error?.message.contains("abc.txt") == true)
        #expect(throws: DataError.self) { try DataFetch.fetch(.celeba, into: folder) }
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/usr/share/datasets/fashion-mnist")))
    func loadsInstalledFashionMNISTTestSplit() throws {
        let set = try DatasetLoader.load(.fashionMNIST, split: .test, environment: [:])
        #expect(set.shape == [10_000, 1, 28, 28])
        #expect(set.classCounts == Array(repeating: 1_000, count: 10))
        #expect(set.classNames.first == "T-shirt/top")
    }
}
