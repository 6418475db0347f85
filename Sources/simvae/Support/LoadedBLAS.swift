import Foundation

/// The BLAS library mapped into this process and whether it makes libtorch's matmuls slow.
///
/// Debian's libtorch asks for `libblas.so.3`, which the system's `update-alternatives` links resolve to the BLAS of
/// highest priority. The binary depends on the OpenMP OpenBLAS by its own folder (see Package.swift), so that is the
/// one loaded; a binary built where it was missing, or a `LD_LIBRARY_PATH` naming another, can still load another.
enum LoadedBLAS {
    /// The CPU BLAS and LAPACK libraries mapped now (OpenBLAS, the reference BLAS, BLIS, MKL), with symbolic
    /// links resolved; CUDA's cuBLAS is not one of them.
    static var paths: [String] {
        let prefixes = ["libblas", "libcblas", "liblapack", "libopenblas", "libblis", "libmkl"]
        return ["blas", "lapack", "blis", "mkl"].flatMap(LoadedLibraries.paths(containing:))
            .filter { path in prefixes.contains { (path as NSString).lastPathComponent.hasPrefix($0) } }
            .map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path }
            .reduce(into: []) { unique, path in if !unique.contains(path) { unique.append(path) } }
    }

    /// A warning when a slow BLAS is loaded: the reference BLAS, or an OpenBLAS built for pthreads or for one thread
    /// instead of the OpenMP one libtorch's own threads share; nil otherwise.
    static var warning: String? {
        let loaded = paths
        let cure = "install libopenblas0-openmp and rebuild (the binary then links it by its folder), or run "
            + "`update-alternatives --set libblas.so.3-x86_64-linux-gnu "
            + "/usr/lib/x86_64-linux-gnu/openblas-openmp/libblas.so.3`"
        // Debian names both builds' library libopenblasp-r*.so: only the folder tells them apart.
        if let path = loaded.first(where: { $0.contains("/openblas-pthread/") }) {
            return "WARNING: libtorch is using the pthread build of OpenBLAS (\(path)), much slower here than the "
                + "OpenMP build; \(cure)"
        }
        if let path = loaded.first(where: { $0.contains("/openblas-serial/") }) {
            return "WARNING: libtorch is using the single-threaded build of OpenBLAS (\(path)); \(cure)"
        }
        if let path = loaded.first(where: { $0.contains("/blas/") && !$0.contains("openblas") }) {
            return "WARNING: libtorch is using the reference BLAS (\(path)), about 25× slower than OpenBLAS; \(cure)"
        }
        return nil
    }

    /// Prints `warning`, if any, to standard error.
    static func warnIfSlow() {
        guard let warning else { return }
        FileHandle.standardError.write(Data((warning + "\n").utf8))
    }
}
