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
    private static readonly HashSet<string> FloatDTypes = new(StringComparer.Ordinal) { "F32", "BF16", "F16" };

    /// <summary>Loads <paramref name="module"/>'s state from keys <c>prefix + name</c>.</summary>
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
    public static Tensor LoadChecked(ITensorSource source, string key, long[] expectedShape, string description, Device? device = null)
    {
        Validate(source, key, expectedShape, description);
        return source.Load(key, ScalarType.Float32, device);
    }

    private static void CopyInto(Tensor target, ITensorSource source, string key, string description, Device? device)
    {
        using var loaded = LoadChecked(source, key, target.shape, description, device);
        using (no_grad())
            target.copy_(loaded);
    }

    private static void Validate(ITensorSource source, string key, long[] expectedShape, string description)
    {
        var info = source.TryGetInfo(key)
            ?? throw new CheckpointFormatException(
                $"{description}: missing tensor '{key}' (expected a float tensor of shape {Shape(expectedShape)}, found none).", key: key);
        if (!FloatDTypes.Contains(info.DType))
            throw new CheckpointFormatException(
                $"{description}: tensor '{key}' has dtype {info.DType}; expected F32, BF16 or F16.", key: key);
        if (!info.Shape.SequenceEqual(expectedShape))
            throw new CheckpointFormatException(
                $"{description}: tensor '{key}' has shape {Shape(info.Shape)}; expected {Shape(expectedShape)}.", key: key);
    }

    private static string Shape(long[] shape) => "[" + string.Join(", ", shape) + "]";
}
