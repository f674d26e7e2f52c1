using TorchSharp;

namespace LtxTrainer.Core.Model;

/// <summary>
/// What an <see cref="AudioModelSet"/> loads and where. Defaults: every part, CPU, float32 (bfloat16 for the
/// transformer and connector on CUDA, as upstream trains and samples); the audio VAE and the vocoder always run
/// in float32.
/// </summary>
public sealed record AudioModelSetOptions
{
    /// <summary>The unified LTX checkpoint (file, index or folder): transformer, connector, audio VAE, vocoder.</summary>
    public required string CheckpointPath { get; init; }

    /// <summary>
    /// Where the audio VAE and the vocoder come from when they are not in <see cref="CheckpointPath"/> (a split
    /// audio pack with the unified key names, as ltx-core's split loaders read); null = the same checkpoint.
    /// </summary>
    public string? AudioCheckpointPath { get; init; }

    /// <summary>The parts to load.</summary>
    public AudioModelParts Parts { get; init; } = AudioModelParts.All;

    /// <summary>Device of every part; null = CPU.</summary>
    public torch.Device? Device { get; init; }

    /// <summary>Dtype of the transformer and the connector; null = bfloat16 on CUDA, float32 elsewhere.</summary>
    public torch.ScalarType? DType { get; init; }

    public torch.Device ResolvedDevice => Device ?? torch.CPU;

    public torch.ScalarType ResolvedDType =>
        DType ?? (ResolvedDevice.type == DeviceType.CUDA ? torch.ScalarType.BFloat16 : torch.ScalarType.Float32);

    /// <summary>The file the audio VAE and the vocoder are read from.</summary>
    public string ResolvedAudioCheckpointPath => AudioCheckpointPath ?? CheckpointPath;
}
