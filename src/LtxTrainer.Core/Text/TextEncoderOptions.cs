using TorchSharp;

namespace LtxTrainer.Core.Text;

/// <summary>How the text encoder runs. Defaults: CPU, float32, whole model when it fits in memory (else streamed), 1024 tokens, batches of 4, 32 prompts per pass.</summary>
public sealed record TextEncoderOptions
{
    /// <summary>Whole (all layers resident), streamed (one layer at a time from the mapped file), or Auto
    /// (whichever the available memory allows: see <see cref="GemmaMemoryPlan"/>).</summary>
    public GemmaLoadMode Mode { get; init; } = GemmaLoadMode.Auto;

    /// <summary>Device for Gemma and the projections; null = CPU.</summary>
    public torch.Device? Device { get; init; }

    /// <summary>Compute dtype; null = bfloat16 on CUDA (the official dtype), float32 elsewhere.</summary>
    public torch.ScalarType? DType { get; init; }

    /// <summary>Tokens per prompt after padding/truncation (the official 1024).</summary>
    public int MaxLength { get; init; } = GemmaTokenizer.DefaultMaxLength;

    /// <summary>Prompts per Gemma forward.</summary>
    public int BatchSize { get; init; } = 4;

    /// <summary>
    /// Prompts taken through the decoder together, layer by layer, in batches of <see cref="BatchSize"/>: in
    /// streamed mode each layer is read once per pass. Each prompt costs one residual stream and one feature
    /// accumulator meanwhile (about 24 MB at the 12B widths, 1024 tokens, float32).
    /// </summary>
    public int CaptionsPerPass { get; init; } = 32;

    /// <summary>Also compute the video features (unused when training audio).</summary>
    public bool IncludeVideo { get; init; }

    public torch.Device ResolvedDevice => Device ?? torch.CPU;

    public torch.ScalarType ResolvedDType =>
        DType ?? (ResolvedDevice.type == DeviceType.CUDA ? torch.ScalarType.BFloat16 : torch.ScalarType.Float32);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the bad option.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Mode)) throw new ArgumentOutOfRangeException(nameof(Mode), Mode, "Mode must be Auto, Whole or Streamed.");
        if (MaxLength < 1) throw new ArgumentOutOfRangeException(nameof(MaxLength), MaxLength, "MaxLength must be positive.");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must be positive.");
        if (CaptionsPerPass < 1) throw new ArgumentOutOfRangeException(nameof(CaptionsPerPass), CaptionsPerPass, "CaptionsPerPass must be positive.");
        if (ResolvedDType is not (torch.ScalarType.Float32 or torch.ScalarType.BFloat16 or torch.ScalarType.Float16 or torch.ScalarType.Float64))
            throw new ArgumentOutOfRangeException(nameof(DType), ResolvedDType, "DType must be a floating type.");
    }
}
