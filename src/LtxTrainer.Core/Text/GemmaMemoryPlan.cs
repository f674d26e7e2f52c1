using System.Globalization;
using TorchSharp;

namespace LtxTrainer.Core.Text;

/// <summary>
/// Chooses between <see cref="GemmaLoadMode.Whole"/> and <see cref="GemmaLoadMode.Streamed"/> for
/// <see cref="GemmaLoadMode.Auto"/>: whole when the resident weights plus the encoding working set fit in
/// <see cref="UsableFraction"/> of the memory available now, streamed otherwise (its outputs are identical, it
/// only re-reads each layer once per pass). Gemma 3 12B is about 24 GB in bf16 and 48 GB in float32, so a
/// 24 GiB machine streams and a large one keeps it whole.
/// </summary>
/// <remarks>
/// Available memory: on CPU, Linux's <c>MemAvailable</c> (what can be allocated without swapping, page cache
/// included), capped by the process's memory limit (a container's cgroup limit, via the GC) minus what the
/// process already uses. On CUDA TorchSharp 0.107 has no memory query, so Auto streams there: streaming costs
/// one host-to-device copy per layer and pass, while a whole model that does not fit fails the run.
/// </remarks>
public static class GemmaMemoryPlan
{
    /// <summary>Share of the available memory the whole model and its working set may take (the rest is
    /// headroom for the allocator, the other models loaded next and whatever else runs).</summary>
    public const double UsableFraction = 0.85;

    /// <summary>The mode to use: <paramref name="requested"/> unless it is <see cref="GemmaLoadMode.Auto"/>.</summary>
    /// <param name="requested">The mode asked for (<see cref="TextEncoderOptions.Mode"/>).</param>
    /// <param name="config">The Gemma model's configuration.</param>
    /// <param name="embeddingDType">The dtype the embedding table would be held in (stored or compute, the narrower).</param>
    /// <param name="options">Compute dtype, max length, batch and pass sizes (they size the working set).</param>
    /// <param name="availableBytes">Memory available on the compute device; null = unknown (then streamed).</param>
    public static GemmaLoadMode Resolve(GemmaLoadMode requested, Gemma3TextConfig config, torch.ScalarType embeddingDType,
        TextEncoderOptions options, long? availableBytes)
    {
        if (requested != GemmaLoadMode.Auto) return requested;
        if (availableBytes is not long available) return GemmaLoadMode.Streamed;
        long needed = WholeModelBytes(config, options.ResolvedDType, embeddingDType) + WorkingBytes(config, options);
        return needed <= UsableFraction * available ? GemmaLoadMode.Whole : GemmaLoadMode.Streamed;
    }

    /// <summary>
    /// Bytes the resident weights take in whole mode: the embedding table in <paramref name="embeddingDType"/>,
    /// the linears in the compute dtype, the norm factors in float32 (as <see cref="GemmaLayerWeights"/> holds them).
    /// </summary>
    public static long WholeModelBytes(Gemma3TextConfig c, torch.ScalarType dtype, torch.ScalarType embeddingDType)
    {
        long q = (long)c.NumAttentionHeads * c.HeadDim, kv = (long)c.NumKeyValueHeads * c.HeadDim;
        long linear = 2 * q * c.HiddenSize + 2 * kv * c.HiddenSize + 3L * c.IntermediateSize * c.HiddenSize;
        long norms = 2L * c.HeadDim + (long)GemmaLayerWeights.NormNames.Length * c.HiddenSize;
        long layer = linear * ElementSize(dtype) + norms * sizeof(float);
        return (long)c.VocabSize * c.HiddenSize * ElementSize(embeddingDType) + c.NumHiddenLayers * layer + (long)c.HiddenSize * sizeof(float);
    }

    /// <summary>
    /// Bytes an encoding pass needs besides the weights (an upper estimate): one residual stream and one
    /// feature accumulator per prompt of the pass, and for one batch inside a layer the MLP activations, the
    /// q/k/v/attention outputs and the float32 attention scores and weights.
    /// </summary>
    public static long WorkingBytes(Gemma3TextConfig c, TextEncoderOptions o)
    {
        long e = ElementSize(o.ResolvedDType), l = o.MaxLength;
        long perPrompt = l * c.HiddenSize * e * 2 + l * c.HiddenSize * sizeof(float);
        long q = (long)c.NumAttentionHeads * c.HeadDim;
        long batchToken = (3L * c.IntermediateSize + 4 * q + 4L * c.HiddenSize) * e + 2L * c.NumAttentionHeads * l * sizeof(float);
        return o.CaptionsPerPass * perPrompt + o.BatchSize * l * batchToken;
    }

    /// <summary>Memory available to this process on <paramref name="device"/>, or null when it cannot be told.</summary>
    public static long? AvailableBytes(torch.Device device)
    {
        if (device.type != DeviceType.CPU) return null;
        long processLimit = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes - Environment.WorkingSet;
        long? system = MemAvailable();
        return system is long s ? Math.Min(s, processLimit) : processLimit;
    }

    private static long? MemAvailable()
    {
        const string path = "/proc/meminfo";
        if (!File.Exists(path)) return null;
        foreach (var line in File.ReadLines(path))
        {
            if (!line.StartsWith("MemAvailable:", StringComparison.Ordinal)) continue;
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return parts.Length >= 2 && long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var kib) ? kib * 1024 : null;
        }
        return null;
    }

    internal static int ElementSize(torch.ScalarType t) => t switch
    {
        torch.ScalarType.BFloat16 or torch.ScalarType.Float16 => 2,
        torch.ScalarType.Float32 => 4,
        _ => 8,
    };
}
