using TorchSharp;

namespace LtxTrainer.Core.Checkpoints;

/// <summary>
/// Random weights of any requested shape (normal, std 0.02), for benchmarks and memory tests that need a
/// real-size model without a real checkpoint. Deterministic for a given seed and call order. On the meta
/// device it only makes shapes (parameter counting without memory).
/// </summary>
public sealed class RandomWeightSource(torch.ScalarType dtype, torch.Device device, long seed = 0) : IWeightSource
{
    private readonly torch.Generator _generator = new((ulong)seed);

    /// <summary>Elements produced so far.</summary>
    public long ElementCount { get; private set; }

    public torch.Tensor Load(string key, long[] shape)
    {
        ElementCount += shape.Aggregate(1L, (a, b) => a * b);
        var t = torch.empty(shape, dtype, device);
        if (device.type == DeviceType.META) return t;   // shapes only: counting and planning
        using (torch.no_grad())
            t.normal_(0.0, 0.02, device.type == DeviceType.CPU ? _generator : null);
        return t;
    }
}
