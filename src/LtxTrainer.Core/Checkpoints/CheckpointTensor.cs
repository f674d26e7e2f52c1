using TorchSharp;

namespace LtxTrainer.Core.Checkpoints;

/// <summary>
/// The one check every model loader applies to a weight before reading it: the key exists, its dtype is a
/// floating type the models can convert (F32, BF16, F16) and its shape is the one the module expects. The
/// errors name the key, what was expected and what was found.
/// </summary>
public static class CheckpointTensor
{
    private static readonly HashSet<string> FloatDTypes = new(StringComparer.Ordinal) { "F32", "BF16", "F16" };

    /// <summary>The header entry of <paramref name="key"/> after the checks; nothing is read yet.</summary>
    /// <param name="source">The checkpoint (file, shards or a filtered view) holding the tensor.</param>
    /// <param name="key">Full key of the tensor in <paramref name="source"/>.</param>
    /// <param name="expectedShape">The shape the module's parameter has.</param>
    /// <param name="description">Names the checkpoint at the start of each message.</param>
    /// <param name="file">The file reported as <see cref="CheckpointFormatException.File"/>, when known.</param>
    public static SafetensorsTensorInfo Require(ITensorSource source, string key, long[] expectedShape, string description, string? file = null)
    {
        var info = source.TryGetInfo(key)
            ?? throw new CheckpointFormatException(
                $"{description}: tensor '{key}' is missing (expected a float tensor of shape {Shape(expectedShape)}, found none).", file, key);
        if (!FloatDTypes.Contains(info.DType))
            throw new CheckpointFormatException(
                $"{description}: tensor '{key}' has dtype {info.DType}; expected F32, BF16 or F16.", file, key);
        if (!info.Shape.SequenceEqual(expectedShape))
            throw new CheckpointFormatException(
                $"{description}: tensor '{key}' has shape {Shape(info.Shape)}; expected {Shape(expectedShape)}.", file, key);
        return info;
    }

    /// <summary>Checks <paramref name="key"/> like <see cref="Require"/>, then reads it converted to <paramref name="dtype"/>.</summary>
    public static torch.Tensor Load(ITensorSource source, string key, long[] expectedShape, string description,
        torch.ScalarType dtype, torch.Device? device = null, string? file = null)
    {
        Require(source, key, expectedShape, description, file);
        return source.Load(key, dtype, device);
    }

    private static string Shape(long[] shape) => "[" + string.Join(", ", shape) + "]";
}
