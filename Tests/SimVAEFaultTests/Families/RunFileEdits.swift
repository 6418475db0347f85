import Foundation

/// The edits of the run's other files in the run-file family: `trainer.json`, `eval.json`, `metrics.jsonl`, and
/// files missing or replaced by folders.
extension RunFileFamily {
    /// An edit of another run file: its description, the file, its new bytes (nil: removed; a folder when
    /// `asFolder`), and per command whether it must be refused.
    struct FileEdit {
        let description: String
        let file: String
        let bytes: [UInt8]?
        var asFolder = false
        let rejectedBy: Set<RunCommand>
        var names: [String]
    }

    static func fileEdits() -> [FileEdit] {
        let resumes: Set<RunCommand> = [.resume, .resumeMore]
        let readers: Set<RunCommand> = resumes.union([.eval])
        let all: Set<RunCommand> = readers.union([.sample, .reconstruct, .report])
        func trainer(_ json: String) -> [UInt8] { Array(json.utf8) }
        let garbage: [UInt8] = (0 ..< 97).map { UInt8(truncatingIfNeeded: $0 &* 73 &+ 11) }
        var edits: [FileEdit] = [
            FileEdit(description: "trainer.json says epoch 99 finished (checkpoint at 1)", file: "trainer.json",
                     bytes: trainer("{\"epoch\":99,\"step\":792,\"training_seconds\":1,\"finished\":true}"),
                     rejectedBy: resumes, names: ["trainer.json"]),
            FileEdit(description: "config.json missing (checkpoint present)", file: "config.json", bytes: nil,
                     rejectedBy: all, names: ["config.json"]),
            FileEdit(description: "checkpoint missing (trainer.json says finished)", file: "checkpoints/last.safetensors",
                     bytes: nil, rejectedBy: all.subtracting([.report]), names: ["last.safetensors"]),
        ]
        let trainerEdits: [(String, String, Set<RunCommand>)] = [
            // One epoch behind the checkpoint is what a kill between the two writes leaves: valid.
            ("epoch 0 (checkpoint at 1)", "{\"epoch\":0,\"step\":0,\"training_seconds\":1,\"finished\":false}", []),
            ("epoch 1000000000000000", "{\"epoch\":1000000000000000,\"step\":8,\"training_seconds\":1,\"finished\":true}", resumes),
            ("epoch -1", "{\"epoch\":-1,\"step\":8,\"training_seconds\":1,\"finished\":true}", readers),
            ("epoch -1000000000000000", "{\"epoch\":-1000000000000000,\"step\":8,\"training_seconds\":1,\"finished\":false}", readers),
            ("epoch \"1\"", "{\"epoch\":\"1\",\"step\":8,\"training_seconds\":1,\"finished\":true}", readers),
            ("epoch 1.5", "{\"epoch\":1.5,\"step\":8,\"training_seconds\":1,\"finished\":true}", readers),
            ("step 5 (checkpoint at 8)", "{\"epoch\":1,\"step\":5,\"training_seconds\":1,\"finished\":true}", resumes),
            ("step -1", "{\"epoch\":1,\"step\":-1,\"training_seconds\":1,\"finished\":true}", readers),
            ("finished \"yes\"", "{\"epoch\":1,\"step\":8,\"training_seconds\":1,\"finished\":\"yes\"}", readers),
            ("training_seconds \"nan\"", "{\"epoch\":1,\"step\":8,\"training_seconds\":\"nan\",\"finished\":true}", readers),
            ("training_seconds -5", "{\"epoch\":1,\"step\":8,\"training_seconds\":-5,\"finished\":true}", []),
            ("finished false at the last epoch", "{\"epoch\":1,\"step\":8,\"training_seconds\":1,\"finished\":false}", []),
            ("an empty object", "{}", readers),
            ("an array", "[1,8,1,true]", readers),
            ("empty", "", readers),
            ("truncated", "{\"epoch\":1,\"step\":8,\"trai", readers),
        ]
        edits += trainerEdits.map {
            FileEdit(description: "trainer.json \($0.0)", file: "trainer.json", bytes: Array($0.1.utf8),
                     rejectedBy: $0.2, names: ["trainer.json"])
        }
        edits += [
            FileEdit(description: "trainer.json random bytes", file: "trainer.json", bytes: garbage,
                     rejectedBy: readers, names: ["trainer.json"]),
            FileEdit(description: "trainer.json missing", file: "trainer.json", bytes: nil, rejectedBy: [],
                     names: ["trainer.json"]),
            FileEdit(description: "trainer.json is a folder", file: "trainer.json", bytes: [], asFolder: true,
                     rejectedBy: readers, names: ["trainer.json"]),
            FileEdit(description: "config.json is a folder", file: "config.json", bytes: [], asFolder: true,
                     rejectedBy: all, names: ["config.json"]),
            FileEdit(description: "config.json random bytes", file: "config.json", bytes: garbage, rejectedBy: all,
                     names: ["config.json"]),
            FileEdit(description: "config.json empty", file: "config.json", bytes: [], rejectedBy: all,
                     names: ["config.json"]),
            FileEdit(description: "config.json truncated", file: "config.json", bytes: Array("{\"method\":\"simvae\",\"da".utf8),
                     rejectedBy: all, names: ["config.json"]),
            FileEdit(description: "checkpoints/ is a file", file: "checkpoints", bytes: garbage,
                     rejectedBy: all.subtracting([.report]), names: ["checkpoints", "last.safetensors"]),
            FileEdit(description: "the checkpoint is a folder", file: "checkpoints/last.safetensors", bytes: [],
                     asFolder: true, rejectedBy: all.subtracting([.report]), names: ["last.safetensors"]),
        ]
        let evalEdits: [(String, String)] = [
            ("random bytes", String(decoding: garbage, as: UTF8.self)), ("empty", ""), ("an array", "[0.5]"),
            ("knn_acc \"x\"", "{\"knn_acc\":\"x\",\"method\":\"simvae\",\"dataset\":\"fashion-mnist\"}"),
            ("knn_acc 5 (not a fraction)", "{\"knn_acc\":5,\"method\":\"simvae\",\"dataset\":\"fashion-mnist\"}"),
            ("knn_acc -1", "{\"knn_acc\":-1,\"method\":\"simvae\",\"dataset\":\"fashion-mnist\"}"),
            ("knn_acc NaN", "{\"knn_acc\":NaN}"), ("truncated", "{\"knn_acc\":0.2"),
            ("seed 18446744073709551615", "{\"knn_acc\":0.25,\"seed\":18446744073709551615}"),
            ("style not an object", "{\"knn_acc\":0.25,\"style\":3}"),
        ]
        edits += evalEdits.map {
            FileEdit(description: "eval.json \($0.0)", file: "eval.json", bytes: Array($0.1.utf8),
                     rejectedBy: [.report], names: ["eval.json"])
        }
        edits.append(FileEdit(description: "eval.json missing", file: "eval.json", bytes: nil, rejectedBy: [.report],
                              names: ["eval.json"]))
        let metricsEdits: [(String, String)] = [
            ("random bytes", String(decoding: garbage, as: UTF8.self)), ("empty", ""),
            ("a garbage line between records", "{\"epoch\":1,\"step\":8,\"loss\":2}\n#!garbage\n{\"epoch\":1,\"step\":8,\"loss\":1}\n"),
            ("a truncated last line", "{\"epoch\":1,\"step\":8,\"loss\":2}\n{\"epoch\":1,\"st"),
            ("loss as a string", "{\"epoch\":1,\"step\":8,\"loss\":\"low\"}\n"),
            ("step -1", "{\"epoch\":1,\"step\":-1,\"loss\":2}\n"),
            ("step 10^15", "{\"epoch\":1,\"step\":1000000000000000,\"loss\":2}\n"),
            ("a 2 MB line", "{\"epoch\":1,\"step\":8,\"loss\":2,\"pad\":\"" + String(repeating: "x", count: 2 << 20) + "\"}\n"),
            ("an array per line", "[1,2,3]\n[4,5,6]\n"),
        ]
        edits += metricsEdits.map {
            FileEdit(description: "metrics.jsonl \($0.0)", file: "metrics.jsonl", bytes: Array($0.1.utf8), rejectedBy: [],
                     names: ["metrics.jsonl"])
        }
        edits.append(FileEdit(description: "metrics.jsonl missing", file: "metrics.jsonl", bytes: nil, rejectedBy: [],
                              names: ["metrics.jsonl"]))
        edits.append(FileEdit(description: "images/ is a file", file: "images", bytes: garbage, rejectedBy: [],
                              names: ["images"]))
        return edits
    }
}
