using LtxTrainer.Core.Platform;
using TorchSharp;

namespace LtxTrainer.Core.Tests.Platform;

public sealed class DeviceNameTests
{
    [Theory]
    [InlineData("cpu", DeviceType.CPU, -1)]
    [InlineData(" CPU ", DeviceType.CPU, -1)]
    [InlineData("cuda", DeviceType.CUDA, 0)]
    [InlineData("cuda:3", DeviceType.CUDA, 3)]
    public void Names_become_devices(string name, DeviceType type, int index)
    {
        var device = DeviceName.Parse(name);
        Assert.Equal(type, device.type);
        Assert.Equal(index, device.index);
    }

    [Theory]
    [InlineData("gpu")]
    [InlineData("cuda:")]
    [InlineData("cuda:-1")]
    [InlineData("")]
    public void Other_names_are_refused(string name) =>
        Assert.Contains("cpu, cuda or cuda:N", Assert.Throws<ArgumentException>(() => DeviceName.Parse(name)).Message);
}
