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

    /// <summary>One of the set's sizes (cases.json "sizes"), e.g. samples_16k: tests hold for any set of this layout.</summary>
    public long Size(string name) => Json.RootElement.GetProperty("sizes").GetProperty(name).GetInt64();

    /// <summary>The audio VAE preprocessing setting <paramref name="section"/>.<paramref name="name"/> of the set's checkpoint.</summary>
    public long Preprocessing(string section, string name) => Json.RootElement.GetProperty("checkpoint").GetProperty("metadata_config")
        .GetProperty("audio_vae").GetProperty("preprocessing").GetProperty(section).GetProperty(name).GetInt64();
}
