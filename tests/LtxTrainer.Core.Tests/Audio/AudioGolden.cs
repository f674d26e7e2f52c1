using LtxTrainer.Core.Checkpoints;
using LtxTrainer.Core.Tests.Golden;

namespace LtxTrainer.Core.Tests.Audio;

/// <summary>
/// The audio golden folder: besides what every <see cref="GoldenSet"/> offers (its cases state atol and rtol per
/// output), the tiny audio checkpoint, opened through the same loader as a real one.
/// </summary>
public sealed class AudioGolden() : GoldenSet("audio")
{
    public string CheckpointPath => PathOf("tiny_audio.safetensors");

    public ITensorSource OpenCheckpoint() => TensorSources.Open(CheckpointPath);
}
