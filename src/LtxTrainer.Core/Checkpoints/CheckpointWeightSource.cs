using TorchSharp;

namespace LtxTrainer.Core.Checkpoints;

/// <summary>
/// Weights read from a checkpoint: key = <c>prefix + relative key</c>, each tensor checked
/// (<see cref="CheckpointTensor.Require"/>), read on its own (only the requested bytes are touched) and
/// converted to the compute dtype and device.
/// </summary>
public sealed class CheckpointWeightSource(ITensorSource source, string prefix, torch.ScalarType dtype, torch.Device device, string description)
    : IWeightSource
{
    private readonly List<string> _keysRead = [];

    /// <summary>Bytes read from the checkpoint so far (as stored, before conversion).</summary>
    public long BytesRead { get; private set; }

    /// <summary>File keys read so far.</summary>
    public IReadOnlyCollection<string> KeysRead => _keysRead;

    public torch.Tensor Load(string key, long[] shape)
    {
        string full = prefix + key;
        var info = CheckpointTensor.Require(source, full, shape, description, file: description);
        BytesRead += info.ByteLength;
        _keysRead.Add(full);
        return source.Load(full, dtype, device);
    }
}
