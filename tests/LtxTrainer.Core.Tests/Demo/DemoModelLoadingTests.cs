using LtxTrainer.Core.Audio;
using LtxTrainer.Core.Checkpoints;
using LtxTrainer.Core.Demo;
using LtxTrainer.Core.Model.AudioVae;
using LtxTrainer.Core.Model.Transformer;
using LtxTrainer.Core.Model.Vocoder;
using LtxTrainer.Core.Text;
using LtxTrainer.TestData;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Tests.Demo;

/// <summary>
/// The demo model goes through the loaders a real LTX-2.3 checkpoint and Gemma folder go through, and every
/// component runs on a real recording: encode, connector, transformer, decode, vocoder (48 kHz), text encoder
/// with the real Gemma 3 tokenizer.
/// </summary>
public sealed class DemoModelLoadingTests(DemoModelFixture demo, ITestOutputHelper output) : IClassFixture<DemoModelFixture>
{
    [Fact]
    public void Every_component_loads_through_the_real_loaders_and_runs()
    {
        using var scope = NewDisposeScope();
        using var checkpoint = LtxCheckpoint.Open(demo.Model.ModelPath);
        Assert.Equal(LtxModelVariant.Ltx23, checkpoint.Variant);
        Assert.Equal("2.3.0", checkpoint.ModelVersion);
        Assert.False(checkpoint.IsSplitTransformer);

        // A real recording: 2 s of loop_tabla, 44.1 kHz stereo, resampled to 16 kHz by the encoder.
        var wav = FfmpegTool.Convert(RealAudio.Flac("loop_tabla"), Path.Combine(demo.Folder, "tabla.wav"), "-t", "2", "-c:a", "pcm_s16le");
        var (left, right, rate) = StereoWavFile.Read(wav);
        using var vae = AudioVae.Load(checkpoint.Source);
        var tokens = vae.Encoder.EncodeToTokens([left, right], rate);
        long n16 = 32000, latentSteps = n16 / 160 / 4 + 1;     // floor(floor(N/160)/4)+1 = 51 at the real 25 steps/s
        Assert.Equal(new long[] { 1, latentSteps, demo.Model.Size.TokenWidth }, tokens.shape);
        Assert.True(tokens.isfinite().all().item<bool>());

        using var text = TextEncoder.Open(demo.Model.TextEncoderPath, demo.Model.ModelPath, new TextEncoderOptions { Mode = GemmaLoadMode.Whole });
        const string caption = "a tabla loop with a deep bass drum";
        var tokenized = text.Tokenize([caption]);
        int valid = tokenized.ValidCounts[0];
        output.WriteLine($"real Gemma 3 tokenizer: \"{caption}\" -> {valid} tokens (with <bos>)");
        // A real vocabulary keeps common words whole: far fewer tokens than characters, BOS first.
        Assert.InRange(valid, 3, 12);
        Assert.Equal(2, tokenized.InputIds[0][^valid]);
        var embeddings = text.Encode([caption]);
        Assert.Equal(new long[] { GemmaTokenizer.DefaultMaxLength, demo.Model.Size.AudioWidth }, embeddings[0].AudioFeatures.shape);

        using var connector = AudioTextConnector.Load(checkpoint, ScalarType.Float32);
        using var context = connector.Apply(embeddings);
        Assert.Equal(new long[] { 1, GemmaTokenizer.DefaultMaxLength, demo.Model.Size.AudioWidth }, context.Context.shape);

        using var transformer = AudioTransformer.Load(checkpoint, ScalarType.Float32);
        var positions = new AudioPatchifier().Positions(1, latentSteps);
        var sigma = tensor(new[] { 0.7f });
        var noisy = tokens * 0.3 + randn_like(tokens) * 0.7;
        Tensor velocity;
        using (no_grad())
            velocity = transformer.Forward(new AudioTransformerInput(noisy, sigma, sigma.expand(1, latentSteps).contiguous(), positions, context.Context));
        Assert.Equal(tokens.shape, velocity.shape);
        Assert.True(velocity.isfinite().all().item<bool>());
        Assert.True(velocity.std().item<float>() > 1e-3, "the random transformer's output should not be constant");

        var mel = vae.Decoder.DecodeTokens(tokens);
        Assert.Equal(new long[] { 1, 2, 4 * latentSteps - 3, 64 }, mel.shape);
        using var vocoder = WaveformVocoder.Load(checkpoint.Source);
        Assert.Equal(48000, vocoder.OutputSampleRate);
        var waveform = vocoder.Forward(mel);
        Assert.Equal(new long[] { 1, 2, (4 * latentSteps - 3) * 480 }, waveform.shape);
        Assert.True(waveform.abs().max().item<float>() <= 1f);
        output.WriteLine($"{latentSteps} latent steps -> mel {string.Join("x", mel.shape)} -> {waveform.shape[2]} samples at 48 kHz; " +
                         $"checkpoint {demo.Model.ModelBytes / 1e6:F1} MB, Gemma folder {demo.Model.TextEncoderBytes / 1e6:F1} MB");
        foreach (var e in embeddings) e.Dispose();
    }
}
