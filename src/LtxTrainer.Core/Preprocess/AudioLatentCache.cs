using LtxTrainer.Core.Audio;
using LtxTrainer.Core.Checkpoints;
using LtxTrainer.Core.Model.AudioVae;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Preprocess;

/// <summary>
/// Encoded training clips on disk: one safetensors file per (clip bytes, VAE encoder weights), holding the
/// normalised, patchified latent [1, T, C] in float32 (ltx-trainer's <c>audio_latents</c> are float32 too). A rerun
/// on unchanged clips with the same VAE reads them back instead of encoding; a changed clip or VAE gets a new key.
/// Files are written atomically, so a cancelled run keeps the clips it finished.
/// </summary>
public sealed class AudioLatentCache
{
    private const string TensorName = "latent";

    /// <param name="folder">Cache folder (created on first store).</param>
    /// <param name="encoderIdentity">Identity of the VAE encoder (see <see cref="IdentityOf"/>).</param>
    public AudioLatentCache(string folder, string encoderIdentity)
    {
        Folder = Path.GetFullPath(folder);
        EncoderIdentity = encoderIdentity;
    }

    public string Folder { get; }

    public string EncoderIdentity { get; }

    /// <summary>The identity of a loaded VAE encoder: its network weights and latent statistics.</summary>
    public static string IdentityOf(AudioVaeEncoder encoder) => TensorFingerprint.Of("audio-vae-encoder-v1",
        encoder.Network.named_parameters().Select(p => (p.name, (Tensor)p.parameter))
            .Concat(encoder.Network.named_buffers().Select(b => (b.name, b.buffer)))
            .Append(("statistics.mean", encoder.Statistics.Mean)).Append(("statistics.std", encoder.Statistics.Std)));

    /// <summary>Cache key of a clip file: its bytes and the encoder.</summary>
    public string KeyFor(string clipPath) => TensorFingerprint.OfText(EncoderIdentity + "|" + TensorFingerprint.OfFile(clipPath));

    public string PathFor(string key) => Path.Combine(Folder, key + ".safetensors");

    /// <summary>
    /// The latent [1, T, C] (float32, CPU) of a 16 kHz stereo clip file (as the dataset stores them), read from the
    /// cache or encoded with <paramref name="encoder"/> and stored. <paramref name="key"/> is what it was keyed by.
    /// </summary>
    public Tensor GetOrEncode(string clipPath, AudioVaeEncoder encoder, out string key, out bool encoded)
    {
        key = KeyFor(clipPath);
        var path = PathFor(key);
        if (TryLoad(path) is { } cached)
        {
            encoded = false;
            return cached;
        }
        var (left, right, rate) = StereoWavFile.Read(clipPath);
        Tensor tokens;
        using (no_grad())
        using (var onDevice = encoder.EncodeToTokens([left, right], rate))
            tokens = onDevice.to(ScalarType.Float32, CPU).contiguous();
        SafetensorsWriter.Write(path, [new(TensorName, tokens)], new Dictionary<string, string>
        {
            ["source"] = Path.GetFileName(clipPath),
            ["encoder"] = EncoderIdentity,
        });
        encoded = true;
        return tokens;
    }

    private static Tensor? TryLoad(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            using var file = SafetensorsFile.Open(path);
            return file.TryGetInfo(TensorName) is null ? null : file.Load(TensorName, ScalarType.Float32);
        }
        catch (CheckpointFormatException)
        {
            return null; // unreadable (e.g. truncated by a full disk): encode again
        }
    }
}
