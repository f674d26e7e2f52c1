using TorchSharp;

namespace LtxTrainer.Core.Checkpoints;

/// <summary>
/// Where a model's weights come from while its modules are built: a checkpoint (by key) or, for
/// benchmarks, fresh random tensors. Modules take their tensors from here instead of random-initialising
/// and then overwriting them, which for 3.3B parameters would cost tens of seconds and double the memory.
/// </summary>
public interface IWeightSource
{
    /// <summary>
    /// The tensor stored under <paramref name="key"/> (relative to the source's prefix), converted to the
    /// source's dtype and device; throws <see cref="CheckpointFormatException"/> naming the key when it is
    /// missing or its shape or dtype is not the expected one.
    /// </summary>
    torch.Tensor Load(string key, long[] shape);
}
