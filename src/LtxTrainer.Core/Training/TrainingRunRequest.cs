using LtxTrainer.Core.Contract;
using LtxTrainer.Core.Dataset;
using LtxTrainer.Core.Text;

namespace LtxTrainer.Core.Training;

/// <summary>Everything <see cref="AudioExtendTrainer.Run"/> needs: the accepted request, its dataset, the models and where to write.</summary>
public sealed record TrainingRunRequest
{
    /// <summary>The request the contract accepted (rank, steps, rate, seconds, validation entries, …).</summary>
    public required AudioSuffixConfig Config { get; init; }

    /// <summary>The dataset built from the request's archive.</summary>
    public required AudioSuffixDataset Dataset { get; init; }

    /// <summary>The unified LTX-2.3 checkpoint (file, index or folder), or the transformer part of a split pack.</summary>
    public required string ModelPath { get; init; }

    /// <summary>The audio VAE + vocoder file of a split pack; null when <see cref="ModelPath"/> holds them.</summary>
    public string? AudioModelPath { get; init; }

    /// <summary>The Gemma 3 folder (Hugging Face layout).</summary>
    public required string TextEncoderPath { get; init; }

    /// <summary>The run's folder: checkpoints, cache, metrics and outputs.</summary>
    public required string OutputFolder { get; init; }

    public TrainingRunOptions Options { get; init; } = new();

    public TextEncoderOptions TextEncoder { get; init; } = new();

    /// <summary>ffmpeg for validation clips in formats the managed decoders do not read; null = LTXTRAINER_FFMPEG, then PATH.</summary>
    public string? FfmpegPath { get; init; }

    /// <summary>Denoising steps of each validation preview (ltx-trainer's validation default: 30).</summary>
    public int PreviewSteps { get; init; } = 30;
}
