using System.Globalization;
using TorchSharp;

namespace LtxTrainer.Core.Platform;

/// <summary>Device names as users write them: <c>cpu</c>, <c>cuda</c> (the first GPU) or <c>cuda:N</c>.</summary>
public static class DeviceName
{
    /// <summary>The torch device for <paramref name="name"/> (case-insensitive). Nothing is initialised here.</summary>
    /// <exception cref="ArgumentException">Not one of the forms above.</exception>
    public static torch.Device Parse(string name)
    {
        var n = (name ?? "").Trim().ToLowerInvariant();
        if (n == "cpu") return torch.CPU;
        if (n == "cuda") return new torch.Device(DeviceType.CUDA, 0);
        if (n.StartsWith("cuda:", StringComparison.Ordinal)
            && int.TryParse(n.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out int index))
            return new torch.Device(DeviceType.CUDA, index);
        throw new ArgumentException($"'{name}' is not a device: use cpu, cuda or cuda:N.", nameof(name));
    }
}
