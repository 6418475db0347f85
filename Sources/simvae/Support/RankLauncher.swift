import ArgumentParser
import Foundation
import SimVAEMethods
import Torch

/// `simvae train --nproc N`: starts N ranks of the same command on this machine, as `torchrun` would (each with
/// `RANK`, `WORLD_SIZE`, `LOCAL_RANK`, `MASTER_ADDR` and `MASTER_PORT` set, and its share of the threads), then
/// watches them. When one rank fails or dies the others are stopped and the failure is one sentence naming the
/// rank; the checkpoint, which only rank 0 writes atomically, stays the last good one.
enum RankLauncher {
    /// How a rank ended, as the launcher reports it.
    struct Ending {
        let rank: Int
        let pid: pid_t
        let status: Int32
        let wasSignalled: Bool

        var sentence: String {
            wasSignalled ? "rank \(rank) (pid \(pid)) was killed by signal \(status)"
                : "rank \(rank) (pid \(pid)) exited with status \(status)"
        }
    }

    /// Starts `count` ranks running `arguments` (this command's, without `--nproc`) with `threads` threads each,
    /// and waits for them all.
    /// - Throws: `DistributedError` when a rank cannot be started or fails; `ExitCode` (128 + the signal) when
    ///   the launcher was asked to stop and passed the signal on.
    static func run(count: Int, threadsPerRank: Int, arguments: [String]) throws {
        let port = try ProcessInfo.processInfo.environment["MASTER_PORT"].flatMap(Int.init) ?? freePort()
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        var ranks: [Process] = []
        for rank in 0 ..< count {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments + ["--threads", "\(threadsPerRank)"]
            var environment = ParentWatch.childEnvironment
            environment["RANK"] = "\(rank)"
            environment["LOCAL_RANK"] = "\(rank)"
            environment["WORLD_SIZE"] = "\(count)"
            environment["MASTER_ADDR"] = "127.0.0.1"
            environment["MASTER_PORT"] = "\(port)"
            process.environment = environment
            // Rank 0 speaks for the group; the others' standard error still carries their failures.
            if rank > 0 { process.standardOutput = FileHandle.nullDevice }
            do {
                try process.run()
            } catch {
                ranks.forEach { $0.terminate() }
                throw DistributedError("--nproc: could not start rank \(rank): \(error.localizedDescription)")
            }
            ranks.append(process)
        }
        StopRequest.install()
        var asked: Date?
        var forwarded = false
        var failure: Ending?
        while ranks.contains(where: \.isRunning) {
            if let signal = StopRequest.pendingSignal, !forwarded {
                // Every rank stops at the same step (they vote on it), keeping the last checkpoint. A Ctrl-C on the
                // terminal reaches the ranks too, and a second signal would end them at once: SIGINT is passed on
                // only to ranks still running a few seconds later.
                asked = asked ?? Date()
                if signal != SIGINT || Date().timeIntervalSince(asked!) > 3 {
                    forwarded = true
                    for process in ranks where process.isRunning { kill(process.processIdentifier, signal) }
                }
            }
            // A rank that ends because it was asked to stop is no failure; the others are stopping too.
            if failure == nil, StopRequest.pendingSignal == nil, let ended = firstFailure(of: ranks) {
                failure = ended
                stop(ranks)
            }
            usleep(50_000)
        }
        if failure == nil { failure = firstFailure(of: ranks) }
        if let failure {
            if let signal = StopRequest.pendingSignal { throw ExitCode(128 + signal) }
            throw DistributedError("--nproc \(count): \(failure.sentence); the other ranks were stopped and the last "
                + "checkpoint in the run folder is kept")
        }
    }

    /// The failed rank that ended first among those that ended (by rank when several did).
    private static func firstFailure(of ranks: [Process]) -> Ending? {
        for (rank, process) in ranks.enumerated() where !process.isRunning {
            let signalled = process.terminationReason == .uncaughtSignal
            if signalled || process.terminationStatus != 0 {
                return Ending(rank: rank, pid: process.processIdentifier, status: process.terminationStatus,
                              wasSignalled: signalled)
            }
        }
        return nil
    }

    /// Asks the ranks still running to stop (SIGTERM), then kills those still running after ten seconds.
    private static func stop(_ ranks: [Process]) {
        for process in ranks where process.isRunning { process.terminate() }
        let deadline = Date().addingTimeInterval(10)
        while ranks.contains(where: \.isRunning), Date() < deadline { usleep(50_000) }
        for process in ranks where process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// A TCP port on the loopback interface that nothing listens on now (the system's choice).
    private static func freePort() throws -> Int {
        let socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketDescriptor >= 0 else { throw DistributedError("--nproc: no socket for finding a free port") }
        defer { close(socketDescriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socketDescriptor, $0, length) == 0 && getsockname(socketDescriptor, $0, &length) == 0
            }
        }
        guard bound else { throw DistributedError("--nproc: could not find a free port; set MASTER_PORT") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
