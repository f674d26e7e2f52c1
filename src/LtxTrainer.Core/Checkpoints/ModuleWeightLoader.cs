using TorchSharp;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Checkpoints;

/// <summary>
/// Fills a module's parameters and persistent buffers from a checkpoint, strictly: every state entry
/// must exist under <c>prefix + name</c> with the same shape and a floating-point dtype, and no key under
/// the prefix may be left over (a leftover key means the config and the weights disagree, e.g. attention
/// weights present while the config says none). Values are converted to float32, because the audio VAE
/// and the vocoder always run in float32 whatever precision the file stores.
/// </summary>
public static class ModuleWeightLoader
{
    /// <summary>Loads <paramref name="module"/>'s state from keys <c>prefix + name</c>.</summary>
    /// <param name="module">The module whose parameters and buffers are filled in place.</param>
    /// <param name="source">The checkpoint to read from.</param>
    /// <param name="prefix">Key prefix of this module in the checkpoint (e.g. <c>audio_vae.encoder.</c>).</param>
    /// <param name="description">Names the checkpoint in error messages.</param>
    /// <param name="device">Where the loaded values go (CPU when null).</param>
    /// <param name="ignoredKeys">Keys under the prefix that are consumed elsewhere (e.g. shared statistics).</param>
    public static void Load(nn.Module module, ITensorSource source, string prefix, string description,
        Device? device = null, IReadOnlyCollection<string>? ignoredKeys = null)
    {
        var state = module.state_dict();
        var expectedKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, target) in state)
        {
            var key = prefix + name;
            expectedKeys.Add(key);
            CopyInto(target, source, key, description, device);
        }
        var leftovers = source.Names
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && !expectedKeys.Contains(n)
                        && (ignoredKeys is null || !ignoredKeys.Contains(n)))
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToList();
        if (leftovers.Count > 0)
            throw new CheckpointFormatException(
                $"{description}: unexpected tensor '{leftovers[0]}' ({leftovers.Count} unexpected under '{prefix}' in all); " +
                "the checkpoint's weights do not match its config.", key: leftovers[0]);
    }

    /// <summary>Loads one tensor, checking that it exists, is floating point and has the expected shape.</summary>
    public static Tensor LoadChecked(ITensorSource source, string key, long[] expectedShape, string description, Device? device = null) =>
        CheckpointTensor.Load(source, key, expectedShape, description, ScalarType.Float32, device);

    private static void CopyInto(Tensor target, ITensorSource source, string key, string description, Device? device)
    {
        using var loaded = LoadChecked(source, key, target.shape, description, device);
        using (no_grad())
            target.copy_(loaded);
    }
}
