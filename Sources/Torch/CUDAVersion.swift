/// Readable forms of the version numbers CUDA and cuDNN encode as integers.
enum CUDAVersion {
    /// A CUDA runtime or driver version, `major * 1000 + minor * 10`: 12040 is "12.4".
    static func text(ofRuntime version: Int) -> String { "\(version / 1000).\(version % 1000 / 10)" }

    /// A cuDNN version: `major * 10000 + minor * 100 + patch` from 9.0 on (90100 is "9.1.0"),
    /// `major * 1000 + minor * 100 + patch` before (8902 is "8.9.2").
    static func text(ofCuDNN version: Int) -> String {
        let major = version >= 90_000 ? version / 10_000 : version / 1_000
        let rest = version >= 90_000 ? version % 10_000 : version % 1_000
        return "\(major).\(rest / 100).\(rest % 100)"
    }
}
