#if canImport(Glibc)
@preconcurrency import Glibc
#else
@preconcurrency import Darwin
#endif
import Foundation
import Torch

// libgomp reads its wait policy and spin count, and glibc its malloc tunables, when they load — before any Swift
// code runs — so the only way to set them for this process is to re-execute it with the variables set
// (see FastEnvironment.swift).
FastEnvironment.reexecuteWithFastSettingsIfNeeded()
// A libtorch failure outside the checked computations is reported as one sentence, not a crash.
Tensor.uncheckedFailureHandler = { error in
    FileHandle.standardError.write(Data("error: \(ErrorReport.sentence(for: error))\n".utf8))
    exit(1)
}
// A child of `simvae experiment` ends when the experiment does.
ParentWatch.start()
// Progress lines must appear as they happen, also when output goes to a file or a pipe.
setvbuf(stdout, nil, _IOLBF, 0)
SimVAECommand.main()
