namespace LtxTrainer.Core.Demo;

/// <summary>
/// A written demo model: the unified LTX-2.3 checkpoint and the Gemma 3 folder, to pass where the real
/// model's paths go (<c>-ModelPath</c>, <c>-TextEncoderPath</c>).
/// </summary>
public sealed record DemoModelInfo
{
    /// <summary>The folder holding both.</summary>
    public required string Path { get; init; }

    /// <summary>The unified checkpoint (<c>.safetensors</c>).</summary>
    public required string ModelPath { get; init; }

    /// <summary>The Gemma 3 folder (config.json, model.safetensors, tokenizer.json).</summary>
    public required string TextEncoderPath { get; init; }

    public required long Seed { get; init; }

    public required DemoModelSize Size { get; init; }

    /// <summary>Bytes of the checkpoint file.</summary>
    public required long ModelBytes { get; init; }

    /// <summary>Bytes of the Gemma folder's files.</summary>
    public required long TextEncoderBytes { get; init; }

    /// <summary>True when an identical demo model (same seed, sizes and tokenizer) was already there and was kept.</summary>
    public required bool Reused { get; init; }
}
