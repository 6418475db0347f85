import Foundation

/// Ends a `simvae` started by `simvae experiment` when the experiment ends, however it ends (Ctrl-C, SIGTERM,
/// kill -9): a child would otherwise keep training or evaluating with nobody to collect its result.
enum ParentWatch {
    /// Set by the parent to its process id in its children's environment.
    static let variable = "SIMVAE_PARENT_PID"

    /// Environment for a child that should end with this process.
    static var childEnvironment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment[variable] = "\(getpid())"
        return environment
    }

    /// When started by a parent that asked for it, checks twice a second that the parent is alive and sends this
    /// process SIGTERM once it is gone (training then stops at a safe point, keeping its checkpoint).
    static func start() {
        guard let value = ProcessInfo.processInfo.environment[variable], let parent = pid_t(value) else { return }
        Thread.detachNewThread {
            while getppid() == parent { usleep(500_000) }
            kill(getpid(), SIGTERM)
        }
    }
}
