using System.Reflection;
using TorchSharp;

namespace LtxTrainer.Core.Platform;

/// <summary>Inspects the torch runtime and proves it computes, by running one small matrix product.</summary>
public static class TorchEnvironmentProbe
{
    /// <summary>Rows/columns of the check matrix; small enough to be instant, big enough to use a real GEMM.</summary>
    private const int CheckSize = 16;

    /// <summary>
    /// Loads libtorch (if not yet loaded), reads its version, devices and threads, and computes
    /// sum(A·Aᵀ) for a fixed A both in libtorch and in managed code.
    /// </summary>
    public static TorchEnvironment Inspect()
    {
        var (expected, actual) = RunCheck();
        bool cuda = torch.cuda.is_available();
        int cudaCount = cuda ? torch.cuda.device_count() : 0;
        var devices = new List<string> { "cpu" };
        for (int i = 0; i < cudaCount; i++) devices.Add($"cuda:{i}");

        return new TorchEnvironment(
            TorchSharpVersion: typeof(torch).Assembly.GetName().Version?.ToString() ?? "unknown",
            LibTorchVersion: torch.__version__,
            Backend: BuildBackend(),
            CudaAvailable: cuda,
            CudaDeviceCount: cudaCount,
            Devices: devices,
            Threads: torch.get_num_threads(),
            InteropThreads: torch.get_num_interop_threads(),
            NativeLibraryDirectory: NativeDirectory(),
            CheckComputation: $"sum(A·Aᵀ) for A[{CheckSize}x{CheckSize}] with A[i,j] = ((i·{CheckSize}+j) mod 7) − 3, float64",
            CheckExpected: expected,
            CheckActual: actual,
            CheckPassed: Math.Abs(expected - actual) <= 1e-9 * Math.Max(1.0, Math.Abs(expected)));
    }

    private static double CheckValue(int i, int j) => ((i * CheckSize + j) % 7) - 3;

    private static (double Expected, double Actual) RunCheck()
    {
        var values = new double[CheckSize * CheckSize];
        for (int i = 0; i < CheckSize; i++)
            for (int j = 0; j < CheckSize; j++)
                values[i * CheckSize + j] = CheckValue(i, j);

        // sum over (i,k) of Σ_j A[i,j]·A[k,j], computed naively so it does not share code with libtorch.
        double expected = 0;
        for (int i = 0; i < CheckSize; i++)
            for (int k = 0; k < CheckSize; k++)
                for (int j = 0; j < CheckSize; j++)
                    expected += CheckValue(i, j) * CheckValue(k, j);

        using var scope = torch.NewDisposeScope();
        var a = torch.tensor(values, new long[] { CheckSize, CheckSize }, dtype: torch.float64);
        double actual = torch.mm(a, a.t()).sum().item<double>();
        return (expected, actual);
    }

    /// <summary>The backend chosen at build time (TorchBackend property), stamped into this assembly.</summary>
    private static string BuildBackend() =>
        typeof(TorchEnvironmentProbe).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "TorchBackend")?.Value ?? "unknown";

    private static string? NativeDirectory()
    {
        string? managed = Path.GetDirectoryName(typeof(torch).Assembly.Location);
        if (string.IsNullOrEmpty(managed)) return null;
        string name = OperatingSystem.IsWindows() ? "LibTorchSharp.dll"
            : OperatingSystem.IsMacOS() ? "libLibTorchSharp.dylib" : "libLibTorchSharp.so";
        return File.Exists(Path.Combine(managed, name)) ? managed : null;
    }
}
