using TorchSharp;

namespace LtxTrainer.Core.Checkpoints;

/// <summary>
/// Weights read from a checkpoint: key = <c>prefix + relative key</c>, each tensor read on its own
/// (only the requested bytes are touched) and converted to the compute dtype and device.
/// </summary>
public sealed class CheckpointWeightSource(ITensorSource source, string prefix, torch.ScalarType dtype, torch.Device device, string description)
    : IWeightSource
{
    private static readonly HashSet<string> FloatDTypes = ["F32", "BF16", "F16"];

    /// <summary>Bytes read from the checkpoint so far (as stored, before conversion).</summary>
    public long BytesRead { get; private set; }

    /// <summary>File keys read so far.</summary>
    public IReadOnlyCollection<string> KeysRead => _keysRead;

    private readonly List<string> _keysRead = [];

    public torch.Tensor Load(string key, long[] shape)
    {
        string full = prefix + key;
        var info = source.TryGetInfo(full)
                   ?? throw new CheckpointFormatException(
                       $"{description}: tensor '{full}' is missing (expected shape [{string.Join(", ", shape)}]).", description, full);
        if (!FloatDTypes.Contains(info.DType))
            throw new CheckpointFormatException(
                $"{description}: tensor '{full}' has dtype {info.DType}, expected a floating dtype (F32, BF16 or F16).", description, full);
        if (!info.Shape.SequenceEqual(shape))
            throw new CheckpointFormatException(
                $"{description}: tensor '{full}' has shape [{string.Join(", ", info.Shape)}], expected [{string.Join(", ", shape)}].", description, full);
        BytesRead += info.ByteLength;
        _keysRead.Add(full);
        return source.Load(full, dtype, device);
    }
}
