using TorchSharp;
using LtxTrainer.Core.Audio;
using LtxTrainer.Core.Checkpoints;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.AudioVae;

/// <summary>
/// Waveform / log-mel → normalised latent tokens, exactly as ltx-core's <c>encode_audio</c> and the
/// trainer's preprocessing: log-mel front-end, encoder network, keep the mean half of conv_out (no
/// sampling), patchify, (x − mean)/std. Always float32 (inputs are cast). Loadable without the decoder.
/// </summary>
public sealed class AudioVaeEncoder : IDisposable
{
    public const string Prefix = "audio_vae.encoder.";

    private AudioVaeEncoder(AudioVaeConfig config, AudioEncoderNetwork network, PerChannelStatistics statistics, Device device)
    {
        Config = config;
        Network = network;
        Statistics = statistics;
        Device = device;
        FrontEnd = new LogMelSpectrogram(config.SampleRate, config.NFft, config.HopLength, config.MelBins, device);
    }

    public AudioVaeConfig Config { get; }
    public AudioEncoderNetwork Network { get; }
    public PerChannelStatistics Statistics { get; }
    public LogMelSpectrogram FrontEnd { get; }
    public Device Device { get; }

    /// <summary>
    /// Loads the encoder from a unified checkpoint (or an audio-VAE pack with the same key prefixes):
    /// config from <c>config.audio_vae</c>, weights from <c>audio_vae.encoder.*</c>, statistics from
    /// <c>audio_vae.per_channel_statistics.*</c>.
    /// </summary>
    public static AudioVaeEncoder Load(ITensorSource source, Device? device = null, string description = "audio VAE encoder") =>
        AudioVaeNetworkLoader.Load(source, device, description, Prefix,
            config => new AudioEncoderNetwork(config), (config, network, stats, dev) => new AudioVaeEncoder(config, network, stats, dev));

    /// <summary>Raw conv_out output [B, 2z, L, F] (mean ‖ logvar) of a log-mel [B, 2, T, mels].</summary>
    public Tensor EncodeRaw(Tensor logMel)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        return Network.forward(Prepare(logMel)).MoveToOuterDisposeScope();
    }

    /// <summary>Normalised latent [B, z, L, F] of a log-mel [B, 2, T, mels].</summary>
    public Tensor EncodeMel(Tensor logMel)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var tokens = TokensFromRaw(Network.forward(Prepare(logMel)));
        return AudioPatchifier.Unpatchify(tokens, Config.ZChannels, tokens.shape[2] / Config.ZChannels).MoveToOuterDisposeScope();
    }

    /// <summary>Normalised tokens [B, L, z·F] of a log-mel [B, 2, T, mels].</summary>
    public Tensor MelToTokens(Tensor logMel)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        return TokensFromRaw(Network.forward(Prepare(logMel))).MoveToOuterDisposeScope();
    }

    /// <summary>Normalised tokens [B, L, z·F] of a stereo waveform [B, 2, N] at the VAE's sample rate (16 kHz).</summary>
    public Tensor EncodeToTokens(Tensor waveform)
    {
        using var scope = NewDisposeScope();
        var mel = FrontEnd.Forward(Prepare(waveform));
        return MelToTokens(mel).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Normalised tokens [1, L, z·F] of per-channel samples (exactly <see cref="AudioVaeConfig.InChannels"/>
    /// channels) at any sample rate; other rates are resampled like torchaudio's default resampler.
    /// </summary>
    public Tensor EncodeToTokens(IReadOnlyList<float[]> channels, int sampleRate)
    {
        if (channels.Count != Config.InChannels)
            throw new ArgumentException($"The audio VAE needs exactly {Config.InChannels} channels, got {channels.Count}.", nameof(channels));
        using var wave = LogMelSpectrogram.ToWaveform(channels, sampleRate, Config.SampleRate, Device);
        return EncodeToTokens(wave);
    }

    /// <summary>The mean half of a raw encoder output, patchified and normalised: [B, L, z·F].</summary>
    public Tensor TokensFromRaw(Tensor raw)
    {
        using var scope = NewDisposeScope();
        var mean = Config.DoubleZ ? raw.narrow(1, 0, Config.ZChannels) : raw;
        return Statistics.Normalize(AudioPatchifier.Patchify(mean)).MoveToOuterDisposeScope();
    }

    private Tensor Prepare(Tensor x) => x.to(ScalarType.Float32, Device);

    public void Dispose()
    {
        Network.Dispose();
        Statistics.Dispose();
        FrontEnd.Dispose();
    }
}
