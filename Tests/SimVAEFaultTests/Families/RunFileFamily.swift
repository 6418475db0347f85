import Foundation

/// (b) A run's own files made wrong: every `config.json` key given a wrong type, 0, −1, a huge value, "nan",
/// null or removed; `trainer.json` inconsistent with the checkpoint or malformed; `eval.json` and `metrics.jsonl`
/// garbage; files missing or replaced by folders. Used with the commands that read a run folder.
enum RunFileFamily {
    static let name = "run-files"

    static func make(_ index: Int) throws -> FuzzCase {
        var random = CaseRandom(family: name, index: index)
        let base: Fixtures.Base = index % 4 == 3 ? .moco : .simvae
        let commands = RunCommand.applicable(to: base).filter { $0 != .trainDecoder }
        let configs = configEdits(base: base)
        let files = fileEdits()
        // The reproductions first, then config edits and file edits drawn two to one.
        let priority: [(config: Int?, file: Int?, base: Fixtures.Base, command: RunCommand)] = [
            (0, nil, .simvae, .eval), (1, nil, .simvae, .sample), (2, nil, .simvae, .eval), (3, nil, .moco, .eval),
            (4, nil, .moco, .eval), (0, nil, .simvae, .sample), (5, nil, .simvae, .eval), (6, nil, .simvae, .sample),
            (nil, 0, .simvae, .resume), (nil, 0, .simvae, .resumeMore), (nil, 1, .simvae, .resume),
            (nil, 2, .simvae, .resume), (2, nil, .simvae, .sample), (nil, 1, .simvae, .eval),
        ]
        let chosen: (config: Int?, file: Int?, base: Fixtures.Base, command: RunCommand)
        if index < priority.count {
            chosen = priority[index]
        } else if random.chance(0.65) {
            chosen = (random.int(0 ..< configs.count), nil, base, random.pick(commands))
        } else {
            chosen = (nil, random.int(0 ..< files.count), base, random.pick(commands))
        }
        let command = chosen.command
        let runBase = chosen.base
        if let config = chosen.config {
            let edit = configEdits(base: runBase)[config]
            let text = edit.raw.map { "config.json \(edit.key) = \($0)" } ?? "config.json without \(edit.key)"
            return FuzzCase(family: name, index: index, mutation: "\(runBase.rawValue) run: \(text)",
                            expectation: expectation(edit, base: runBase, command: command)) { folder in
                let (run, protected) = try Fixtures.copy(runBase, into: folder)
                let path = "\(run)/config.json"
                try Files.write(try edited(try Files.read(path), edit), to: path)
                return try command.invocation(runBase, run: run, folder: folder, protected: protected)
            }
        }
        let edit = files[chosen.file!]
        let applies = edit.file != "eval.json" || command == .report || command == .eval
        let expectation: Expectation = edit.rejectedBy.contains(command) && applies
            ? .mustReject(naming: edit.names) : .mustNotCrash(naming: edit.names)
        return FuzzCase(family: name, index: index, mutation: "\(runBase.rawValue) run: \(edit.description)",
                        expectation: expectation) { folder in
            let (run, protected) = try Fixtures.copy(runBase, into: folder)
            let path = "\(run)/\(edit.file)"
            try? FileManager.default.removeItem(atPath: path)
            if edit.asFolder {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            } else if let bytes = edit.bytes {
                try Files.write(bytes, to: path)
            }
            return try command.invocation(runBase, run: run, folder: folder, protected: protected)
        }
    }
}
