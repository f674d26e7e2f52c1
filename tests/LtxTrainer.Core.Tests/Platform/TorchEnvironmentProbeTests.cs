using LtxTrainer.Core.Platform;

namespace LtxTrainer.Core.Tests.Platform;

public sealed class TorchEnvironmentProbeTests
{
    [Fact]
    public void TheCheckComputationAgreesWithManagedArithmetic()
    {
        var environment = TorchEnvironmentProbe.Inspect();
        Assert.True(environment.CheckPassed, $"{environment.CheckComputation}: expected {environment.CheckExpected}, got {environment.CheckActual}");
        Assert.NotEqual(0, environment.CheckExpected);
        Assert.Equal(environment.CheckExpected, environment.CheckActual);
    }

    [Fact]
    public void ReportsTheBuildBackendAndCpuFirst()
    {
        var environment = TorchEnvironmentProbe.Inspect();
        Assert.Contains(environment.Backend, new[] { "cpu", "cuda-linux", "cuda-windows" });
        Assert.Equal("cpu", environment.Devices[0]);
        Assert.Equal(environment.CudaDeviceCount + 1, environment.Devices.Count);
        Assert.True(environment.Threads > 0);
        Assert.False(string.IsNullOrWhiteSpace(environment.LibTorchVersion));
    }
}
