using TorchSharp;

namespace LtxTrainer.Core.Checkpoints;

/// <summary>
/// Named tensors that can be loaded one at a time: a single safetensors file, a sharded folder, or a
/// filtered/renamed view of either. Loading reads only the requested tensor's bytes.
/// </summary>
public interface ITensorSource : IDisposable
{
    /// <summary>All tensor names available from this source.</summary>
    IReadOnlyCollection<string> Names { get; }

    /// <summary>The header's <c>__metadata__</c> map (empty when absent).</summary>
    IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Header entry for a name, or null.</summary>
    SafetensorsTensorInfo? TryGetInfo(string name);

    /// <summary>Loads one tensor into fresh memory (never a view of the file), optionally converted.</summary>
    torch.Tensor Load(string name, torch.ScalarType? dtype = null, torch.Device? device = null);
}
