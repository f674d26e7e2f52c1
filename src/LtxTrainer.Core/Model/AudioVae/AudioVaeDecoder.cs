using TorchSharp;
using LtxTrainer.Core.Checkpoints;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.AudioVae;

/// <summary>
/// Normalised latent tokens → log-mel [B, 2, 4L − 3, mels] (ltx_core/model/audio_vae/audio_vae.py): x·std + mean,
/// unpatchify,
/// decoder network, then crop / zero-pad to the causal target length. Always float32 (inputs are cast).
/// </summary>
public sealed class AudioVaeDecoder : IDisposable
{
    public const string Prefix = "audio_vae.decoder.";

    private AudioVaeDecoder(AudioVaeConfig config, AudioDecoderNetwork network, PerChannelStatistics statistics, Device device)
    {
        Config = config;
        Network = network;
        Statistics = statistics;
        Device = device;
    }

    public AudioVaeConfig Config { get; }
    public AudioDecoderNetwork Network { get; }
    public PerChannelStatistics Statistics { get; }
    public Device Device { get; }

    /// <summary>Loads the decoder: <c>config.audio_vae</c>, <c>audio_vae.decoder.*</c> and the shared statistics.</summary>
    public static AudioVaeDecoder Load(ITensorSource source, Device? device = null, string description = "audio VAE decoder") =>
        AudioVaeNetworkLoader.Load(source, device, description, Prefix,
            config => new AudioDecoderNetwork(config), (config, network, stats, dev) => new AudioVaeDecoder(config, network, stats, dev));

    /// <summary>Decoder input after de-normalisation: [B, z, L, F].</summary>
    public Tensor Denormalize(Tensor latent)
    {
        using var scope = NewDisposeScope();
        var x = latent.to(ScalarType.Float32, Device);
        var tokens = Statistics.Denormalize(AudioPatchifier.Patchify(x));
        return AudioPatchifier.Unpatchify(tokens, x.shape[1], x.shape[3]).MoveToOuterDisposeScope();
    }

    /// <summary>Log-mel [B, out_ch, 4L − 3, mels] of a normalised latent [B, z, L, F].</summary>
    public Tensor DecodeLatent(Tensor latent)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var raw = Network.forward(Denormalize(latent));
        return FitToTarget(raw, latent.shape[2]).MoveToOuterDisposeScope();
    }

    /// <summary>Log-mel [B, out_ch, 4L − 3, mels] of normalised tokens [B, L, z·F].</summary>
    public Tensor DecodeTokens(Tensor tokens)
    {
        using var scope = NewDisposeScope();
        var latent = AudioPatchifier.Unpatchify(tokens, Config.ZChannels, Config.LatentMelBins);
        return DecodeLatent(latent).MoveToOuterDisposeScope();
    }

    /// <summary>Mel frames decoded from <paramref name="latentFrames"/> latent steps (4L − 3, at least 1).</summary>
    public static long TargetFrames(long latentFrames) =>
        Math.Max(latentFrames * AudioVaeConfig.LatentDownsampleFactor - (AudioVaeConfig.LatentDownsampleFactor - 1), 1);

    /// <summary>The reference's <c>_adjust_output_shape</c>: crop to the target, then zero-pad what is missing.</summary>
    public Tensor FitToTarget(Tensor raw, long latentFrames)
    {
        using var scope = NewDisposeScope();
        long targetTime = TargetFrames(latentFrames), targetFreq = Config.MelBins, targetCh = Config.OutCh;
        var x = raw[.., ..(int)Math.Min(raw.shape[1], targetCh), ..(int)Math.Min(raw.shape[2], targetTime), ..(int)Math.Min(raw.shape[3], targetFreq)];
        long padTime = targetTime - x.shape[2], padFreq = targetFreq - x.shape[3];
        if (padTime > 0 || padFreq > 0)
            x = nn.functional.pad(x, [0, Math.Max(padFreq, 0), 0, Math.Max(padTime, 0)]);
        return x.contiguous().MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        Network.Dispose();
        Statistics.Dispose();
    }
}
