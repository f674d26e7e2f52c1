using System.Text.Json;
using LtxTrainer.Core.Checkpoints;
using LtxTrainer.Core.Model.AudioVae;
using LtxTrainer.Core.Model.Connector;
using LtxTrainer.Core.Model.Transformer;
using LtxTrainer.Core.Model.Vocoder;
using LtxTrainer.Core.Text;
using TorchSharp;

namespace LtxTrainer.Core.Demo;

/// <summary>
/// Writes the demo's unified LTX-2.3 checkpoint: the audio path of the real single file, key for key
/// (<c>model.diffusion_model.</c> audio transformer and audio text connector,
/// <c>text_embedding_projection.{audio,video}_aggregate_embed.*</c>, <c>audio_vae.{encoder,decoder,per_channel_statistics}.*</c>,
/// <c>vocoder.{vocoder,bwe_generator,mel_stft}.*</c>) with the real <c>__metadata__</c> (<c>config</c> with the
/// transformer, audio VAE and vocoder sections, <c>model_version</c>), stored in bfloat16 as the released file.
/// The video stream, video VAE and video connector, which nothing here reads, are left out.
/// </summary>
/// <remarks>
/// The key set is not listed by hand: each part is built by the same model classes the loaders build
/// (<see cref="AudioTransformer"/>, <see cref="AudioEmbeddingsConnector"/>, the VAE networks,
/// <see cref="VocoderWithBwe"/>) from the config this file carries, and every tensor they take or hold is
/// written under the key they read it from. Weights are <see cref="DemoWeightSource"/>'s seeded values; the
/// vocoder's stored filters and STFT/mel bases are the real computed ones (<see cref="VocoderBuffers"/>).
/// </remarks>
public static class DemoCheckpointWriter
{
    /// <summary>Writes the checkpoint; the same size and seed give the same bytes.</summary>
    public static void Write(string path, DemoModelSize size, long seed, CancellationToken cancellationToken = default)
    {
        size.Validate();
        var config = DemoModelConfig.Checkpoint(size);
        using var doc = JsonDocument.Parse(config.ToJsonString());
        var root = doc.RootElement;
        var transformerConfig = LtxTransformerConfig.Parse(root.GetProperty("transformer"), "demo model config");
        var vaeConfig = AudioVaeConfig.FromJson(root.GetProperty("audio_vae"), "demo model config");
        var vocoderConfig = VocoderConfig.FromJson(root.GetProperty("vocoder"), "demo model config");

        var source = new DemoWeightSource(seed);
        var modules = new List<IDisposable>();
        try
        {
            source.Prefix = LtxCheckpointKeys.Transformer;
            modules.Add(new AudioTransformer(transformerConfig, source));
            cancellationToken.ThrowIfCancellationRequested();
            source.Prefix = LtxCheckpointKeys.AudioConnector;
            modules.Add(new AudioEmbeddingsConnector(transformerConfig.AudioConnector, transformerConfig.RopeFloat64Grid, source));

            // FeatureExtractorV2: Linear(hidden × (layers + 1) → width) per stream, with bias.
            source.Prefix = TextFeatureExtractors.ProjectionPrefix;
            long features = (long)size.GemmaHidden * (size.GemmaLayers + 1);
            foreach (var stream in new[] { "audio_aggregate_embed.", "video_aggregate_embed." })
            {
                source.Load(stream + "weight", [size.AudioWidth, features]).Dispose();
                source.Load(stream + "bias", [size.AudioWidth]).Dispose();
            }
            cancellationToken.ThrowIfCancellationRequested();

            source.Prefix = "";
            source.Load(PerChannelStatistics.MeanKey, [vaeConfig.Ch]).Dispose();
            source.Load(PerChannelStatistics.StdKey, [vaeConfig.Ch]).Dispose();
            FillState(modules, new AudioEncoderNetwork(vaeConfig), AudioVaeEncoder.Prefix, source);
            FillState(modules, new AudioDecoderNetwork(vaeConfig), AudioVaeDecoder.Prefix, source);
            using (var buffers = new ComputedVocoderBuffers(vocoderConfig))
                FillState(modules, new VocoderWithBwe(vocoderConfig), WaveformVocoder.Prefix, source, buffers.For);
            cancellationToken.ThrowIfCancellationRequested();

            var metadata = new Dictionary<string, string>
            {
                ["config"] = config.ToJsonString(),
                ["model_version"] = DemoModelConfig.ModelVersion,
            };
            using var scope = torch.NewDisposeScope();
            var stored = source.Produced
                .OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => new KeyValuePair<string, torch.Tensor>(p.Key, p.Value.to(torch.bfloat16)))
                .ToList();
            SafetensorsWriter.Write(path, stored, metadata);
        }
        finally
        {
            foreach (var m in modules) m.Dispose();
            foreach (var (_, t) in source.Produced) t.Dispose();
        }
    }

    /// <summary>
    /// Gives every parameter and buffer of a state-dict-loaded module (VAE halves, vocoder) a value under
    /// <paramref name="prefix"/> + its name: the computed value when <paramref name="computed"/> has one, seeded otherwise.
    /// </summary>
    private static void FillState(List<IDisposable> modules, torch.nn.Module module, string prefix, DemoWeightSource source,
        Func<string, torch.Tensor?>? computed = null)
    {
        modules.Add(module);
        foreach (var (name, target) in module.state_dict())
        {
            if (computed?.Invoke(name) is not { } value)
            {
                source.Prefix = prefix;
                source.Load(name, target.shape).Dispose();
                continue;
            }
            if (!value.shape.SequenceEqual(target.shape))
                throw new InvalidOperationException($"Computed buffer for '{prefix}{name}' has shape [{string.Join(", ", value.shape)}], the module expects [{string.Join(", ", target.shape)}].");
            source.Record(prefix + name, value.clone());
        }
        source.Prefix = "";
    }

    /// <summary>The stored buffers of <see cref="VocoderWithBwe"/> that hold computed values, by state-dict name.</summary>
    private sealed class ComputedVocoderBuffers : IDisposable
    {
        private readonly torch.Tensor _forwardBasis, _inverseBasis, _melBasis, _antiAlias;

        public ComputedVocoderBuffers(VocoderConfig vocoder)
        {
            var bwe = vocoder.Bwe!;
            (_forwardBasis, _inverseBasis) = VocoderBuffers.StftBases(bwe.NFft, bwe.HopLength);
            _melBasis = VocoderBuffers.MelBasis(bwe.InputSamplingRate, bwe.NFft, bwe.NumMels);
            // Activation1d's up- and down-sampling filters are the same Kaiser sinc (cutoff 0.5/2, half-width 0.6/2, 12 taps).
            _antiAlias = VocoderBuffers.KaiserSincFilter(0.25, 0.3, 12);
        }

        public torch.Tensor? For(string name) => name switch
        {
            _ when name.EndsWith("upsample.filter", StringComparison.Ordinal) || name.EndsWith("lowpass.filter", StringComparison.Ordinal) => _antiAlias,
            "mel_stft.mel_basis" => _melBasis,
            "mel_stft.stft_fn.forward_basis" => _forwardBasis,
            "mel_stft.stft_fn.inverse_basis" => _inverseBasis,
            _ => null,
        };

        public void Dispose()
        {
            _forwardBasis.Dispose();
            _inverseBasis.Dispose();
            _melBasis.Dispose();
            _antiAlias.Dispose();
        }
    }
}
