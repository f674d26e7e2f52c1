namespace LtxTrainer.Core.Platform;

/// <summary>
/// What the torch runtime in this process looks like, and whether a small computation on it gave the
/// right answer. <see cref="CheckPassed"/> false means the native libraries loaded but compute wrongly.
/// </summary>
/// <param name="TorchSharpVersion">Version of the TorchSharp managed assembly.</param>
/// <param name="LibTorchVersion">Version string reported by the loaded libtorch.</param>
/// <param name="Backend">Torch backend the engine was built against (cpu, cuda-linux, cuda-windows).</param>
/// <param name="CudaAvailable">Whether libtorch sees a usable CUDA device.</param>
/// <param name="CudaDeviceCount">Number of CUDA devices (0 without CUDA).</param>
/// <param name="Devices">Devices usable for training, CPU first (e.g. "cpu", "cuda:0").</param>
/// <param name="Threads">Intra-op threads libtorch uses.</param>
/// <param name="InteropThreads">Inter-op threads libtorch uses.</param>
/// <param name="NativeLibraryDirectory">Folder TorchSharp's native library was loaded from, when known.</param>
/// <param name="CheckComputation">The computation that was run, in words.</param>
/// <param name="CheckExpected">Result the computation must give (computed in managed code).</param>
/// <param name="CheckActual">Result libtorch gave.</param>
/// <param name="CheckPassed">Whether expected and actual agree.</param>
public sealed record TorchEnvironment(
    string TorchSharpVersion,
    string LibTorchVersion,
    string Backend,
    bool CudaAvailable,
    int CudaDeviceCount,
    IReadOnlyList<string> Devices,
    int Threads,
    int InteropThreads,
    string? NativeLibraryDirectory,
    string CheckComputation,
    double CheckExpected,
    double CheckActual,
    bool CheckPassed);
