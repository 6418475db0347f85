import Foundation
import SimVAEData
import TestSupport
import Testing
import Torch
@testable import SimVAEMethods

/// The methods' descriptions drive the command line, `config.json` and validation, so they must be coherent.
@Suite(.serialized, .drawsFromTheRandomGenerator) struct MethodDescriptionTests {
    @Test func namesAndFlagsAreUniqueAndDefaultsValid() throws {
        let methods = Method.registered
        #expect(Set(methods.map(\.name)).count == methods.count)
        let runFlags = Set(ConfigurationField.allCases.compactMap(\.flag))
        for method in methods {
            let flags = method.hyperparameters.map(\.flag)
            #expect(Set(flags).count == flags.count, "\(method.name) repeats a flag")
            #expect(runFlags.isDisjoint(with: flags), "\(method.name) shadows a run option")
            for dataset in [Dataset.fashionMNIST, .cifar10, .synthetic] {
                try TrainingConfiguration.defaults(method: method, dataset: dataset).validate()
            }
        }
    }

    @Test(arguments: Method.registered)
    func configurationFileRoundTripsEveryHyperparameter(method: Method) throws {
        var configuration = TrainingConfiguration.defaults(method: method, dataset: .synthetic)
        for parameter in method.hyperparameters where parameter.valueType == Double.self {
            try configuration.options.set(parsing: "0.5", for: parameter)
        }
        let data = try RunDirectory.encoder.encode(configuration)
        let decoded = try RunDirectory.decoder.decode(TrainingConfiguration.self, from: data)
        #expect(decoded == configuration)
        let keys = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any]).keys
        #expect(Set(keys).isSuperset(of: method.hyperparameters.map(\.key)))
    }

    @Test func anotherMethodsOptionInConfigurationIsRefused() throws {
        var object = try #require(JSONSerialization.jsonObject(
            with: RunDirectory.encoder.encode(TrainingConfiguration.defaults(method: .simvae, dataset: .mnist)))
            as? [String: Any])
        object["temperature"] = 0.3
        let error = #expect(throws: DecodingError.self) {
            try RunDirectory.decoder.decode(TrainingConfiguration.self,
                                            from: JSONSerialization.data(withJSONObject: object))
        }
        #expect("\(String(describing: error))".contains("not an option of simvae runs"))
    }

    /// Files written before methods described themselves held every method's options and VICReg's weights as one
    /// object; they still read, as the run they describe.
    @Test func oldConfigurationFilesStillRead() throws {
        let old = """
            {"method": "vicreg", "dataset": "fashion-mnist", "epochs": 3, "batch_size": 64, "views": 2, "latents": 10,
             "learning_rate": 8e-05, "adam_eps": 0.0001, "seed": 7, "architecture": "mlp",
             "likelihood": {"bernoulli": {}}, "objective": "authors", "cluster_variance": 0.15,
             "centre_prior": "gaussian", "beta": 1, "consistency_weight": 1, "augmentation": "paper",
             "log_every": 50, "optimizer": "adam", "temperature": 0.5, "projection_widths": [64, 32],
             "moco_momentum": 0.99, "queue_size": 4096,
             "vicreg_weights": {"invariance": 20, "variance": 21, "covariance": 2}}
            """
        let configuration = try RunDirectory.decoder.decode(TrainingConfiguration.self, from: Data(old.utf8))
        var expected = TrainingConfiguration.defaults(method: .vicreg, dataset: .fashionMNIST)
        (expected.epochs, expected.batchSize, expected.seed) = (3, 64, 7)
        expected.monitorEvery = .off  // files from before the online monitor describe runs without one
        expected[VICReg.projectionWidths] = [64, 32]
        (expected[VICReg.invarianceWeight], expected[VICReg.varianceWeight]) = (20, 21)
        expected[VICReg.covarianceWeight] = 2
        #expect(configuration == expected)
    }

    /// A package outside this one adds a method with one registration: the command line, `config.json` and
    /// training then know it.
    @Test func aMethodFromOutsideTrainsAndReads() throws {
        let scale = Hyperparameter<Double>("outputScale", default: 1, help: "scale of the outputs", check: .positive)
        let method = Method(name: "test-scaled-random", displayName: "Scaled", summary: "a test method",
                            family: .untrained, defaultViews: 1, hyperparameters: [.init(scale)]) { recipe in
            RandomEncoder(encoder: recipe.encoder(outputs: recipe.latents))
        }
        if Method.named(method.name) == nil { try Method.register(method) }
        #expect(throws: NamedRegistry<Method>.DuplicateName.self) { try Method.register(method) }
        var configuration = TrainingConfiguration.defaults(method: method, dataset: .synthetic)
        configuration[scale] = 2
        let decoded = try RunDirectory.decoder.decode(TrainingConfiguration.self,
                                                      from: RunDirectory.encoder.encode(configuration))
        #expect(decoded[scale] == 2)
        let model = try ModelFactory.make(decoded, imageShape: [3, 32, 32])
        #expect(model.representation(Tensor.rand([2, 3, 32, 32])).shape == [2, 64])
    }
}
