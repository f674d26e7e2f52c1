using LtxTrainer.Core.Checkpoints;
using LtxTrainer.Core.Model.AudioVae;
using LtxTrainer.Core.Model.Transformer;
using LtxTrainer.Core.Model.Vocoder;
using LtxTrainer.Core.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Model;

/// <summary>
/// The audio models of one LTX checkpoint, loaded once and shared by training and previews: the audio
/// transformer, the audio text connector, the audio VAE encoder and decoder and the vocoder (whichever of them
/// <see cref="AudioModelSetOptions.Parts"/> asks for), on one device. The transformer and the connector run in
/// <see cref="DType"/>; the VAE and the vocoder always in float32. Gemma and the feature-extractor projection are
/// not part of the set: they are opened through <see cref="TextEncoder"/> only for captions the embedding cache
/// lacks, and released before the transformer is needed.
/// </summary>
public sealed class AudioModelSet : IDisposable
{
    private AudioTransformer? _transformer;
    private AudioTextContextBuilder? _connector;
    private AudioVaeEncoder? _encoder;
    private AudioVaeDecoder? _decoder;
    private WaveformVocoder? _vocoder;
    private bool _disposed;

    private AudioModelSet(AudioModelSetOptions options, LtxTransformerConfig config, string? modelVersion)
    {
        Options = options;
        Config = config;
        ModelVersion = modelVersion;
    }

    public AudioModelSetOptions Options { get; }

    /// <summary>The checkpoint's parsed transformer config.</summary>
    public LtxTransformerConfig Config { get; }

    /// <summary><c>model_version</c> of the checkpoint (e.g. "2.3.0"), when it has one.</summary>
    public string? ModelVersion { get; }

    public Device Device => Options.ResolvedDevice;

    /// <summary>Dtype of the transformer and the connector.</summary>
    public ScalarType DType => Options.ResolvedDType;

    /// <summary>The parts loaded and not yet released.</summary>
    public AudioModelParts Loaded =>
        (_transformer is null ? 0 : AudioModelParts.Transformer) | (_connector is null ? 0 : AudioModelParts.Connector)
        | (_encoder is null ? 0 : AudioModelParts.VaeEncoder) | (_decoder is null ? 0 : AudioModelParts.VaeDecoder)
        | (_vocoder is null ? 0 : AudioModelParts.Vocoder);

    public AudioTransformer Transformer => Get(_transformer, AudioModelParts.Transformer);
    public AudioTextContextBuilder Connector => Get(_connector, AudioModelParts.Connector);
    public AudioVaeEncoder VaeEncoder => Get(_encoder, AudioModelParts.VaeEncoder);
    public AudioVaeDecoder VaeDecoder => Get(_decoder, AudioModelParts.VaeDecoder);
    public WaveformVocoder Vocoder => Get(_vocoder, AudioModelParts.Vocoder);

    /// <summary>Token positions of the audio latents (the VAE's geometry: 16 kHz, hop 160, ×4 in time, causal).</summary>
    public AudioPatchifier Patchifier
    {
        get
        {
            var vae = _encoder?.Config ?? _decoder?.Config;
            return vae is null ? new AudioPatchifier() : new AudioPatchifier(vae.SampleRate, vae.HopLength);
        }
    }

    /// <summary>
    /// Loads the requested parts, reporting each as it starts and checking <paramref name="cancellationToken"/>
    /// between parts. Whatever was loaded is disposed when a part fails or the load is cancelled. Call it outside
    /// any dispose scope: a scope would free the parameters when it ends.
    /// </summary>
    /// <exception cref="CheckpointFormatException">A part is missing or does not fit the others (e.g. the VAE's token
    /// width differs from the transformer's input width).</exception>
    public static AudioModelSet Load(AudioModelSetOptions options, IProgress<ModelLoadProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        cancellationToken.ThrowIfCancellationRequested();
        var parts = Enum.GetValues<AudioModelParts>()
            .Where(p => p is not (AudioModelParts.None or AudioModelParts.All) && options.Parts.HasFlag(p)).ToArray();
        using var checkpoint = LtxCheckpoint.Open(options.CheckpointPath);
        var set = new AudioModelSet(options, checkpoint.Config, checkpoint.ModelVersion);
        ITensorSource? audioSource = null;
        try
        {
            ITensorSource AudioSource() => options.AudioCheckpointPath is null
                ? checkpoint.Source
                : audioSource ??= TensorSources.Open(options.AudioCheckpointPath);
            var device = options.ResolvedDevice;
            for (int i = 0; i < parts.Length; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Report(new ModelLoadProgress(parts[i], i, parts.Length));
                switch (parts[i])
                {
                    case AudioModelParts.Transformer:
                        set._transformer = AudioTransformer.Load(checkpoint, options.ResolvedDType, device);
                        break;
                    case AudioModelParts.Connector:
                        set._connector = AudioTextContextBuilder.Load(checkpoint, options.ResolvedDType, device);
                        break;
                    case AudioModelParts.VaeEncoder:
                        set._encoder = AudioVaeEncoder.Load(AudioSource(), device);
                        break;
                    case AudioModelParts.VaeDecoder:
                        set._decoder = AudioVaeDecoder.Load(AudioSource(), device);
                        break;
                    case AudioModelParts.Vocoder:
                        set._vocoder = WaveformVocoder.Load(AudioSource(), device);
                        break;
                }
            }
            set.CheckTokenWidths(options.ResolvedAudioCheckpointPath);
            progress?.Report(new ModelLoadProgress(parts.LastOrDefault(), parts.Length, parts.Length));
            return set;
        }
        catch
        {
            set.Dispose();
            throw;
        }
        finally
        {
            audioSource?.Dispose();
        }
    }

    /// <summary>Disposes the given parts now (e.g. the VAE encoder once every latent is cached); the others stay.</summary>
    public void Release(AudioModelParts parts)
    {
        if (parts.HasFlag(AudioModelParts.Transformer)) { _transformer?.Dispose(); _transformer = null; }
        if (parts.HasFlag(AudioModelParts.Connector)) { _connector?.Dispose(); _connector = null; }
        if (parts.HasFlag(AudioModelParts.VaeEncoder)) { _encoder?.Dispose(); _encoder = null; }
        if (parts.HasFlag(AudioModelParts.VaeDecoder)) { _decoder?.Dispose(); _decoder = null; }
        if (parts.HasFlag(AudioModelParts.Vocoder)) { _vocoder?.Dispose(); _vocoder = null; }
    }

    // The transformer reads and writes patchified VAE tokens, so both must agree on the token width; a mismatch
    // would otherwise surface as a shape error deep inside the first forward.
    private void CheckTokenWidths(string audioCheckpoint)
    {
        var vae = _encoder?.Config ?? _decoder?.Config;
        if (vae is null || _transformer is null) return;
        long width = vae.TokenWidth;
        if (width != Config.AudioInChannels || width != Config.AudioOutChannels)
            throw new CheckpointFormatException(
                $"The audio VAE of '{audioCheckpoint}' makes tokens of width {width} (z_channels {vae.ZChannels} x {vae.LatentMelBins} latent mel bins), " +
                $"but the transformer of '{Options.CheckpointPath}' takes {Config.AudioInChannels} and returns {Config.AudioOutChannels}: they are not one model.",
                audioCheckpoint, "config.transformer.audio_in_channels");
    }

    private T Get<T>(T? part, AudioModelParts which) where T : class
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return part ?? throw new InvalidOperationException($"The {which} part is not loaded in this model set (parts loaded: {Loaded}).");
    }

    public void Dispose()
    {
        if (_disposed) return;
        Release(AudioModelParts.All);
        _disposed = true;
    }
}
