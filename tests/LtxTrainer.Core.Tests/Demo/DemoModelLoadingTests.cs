using LtxTrainer.Core.Audio;
using LtxTrainer.Core.Checkpoints;
using LtxTrainer.Core.Demo;
using LtxTrainer.Core.Model.AudioVae;
using LtxTrainer.Core.Model.Lora;
using LtxTrainer.Core.Model.Transformer;
using LtxTrainer.Core.Model.Vocoder;
using LtxTrainer.Core.Text;
using LtxTrainer.Core.Training;
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

        using var vae = AudioVae.Load(checkpoint.Source);
        var tokens = EncodeTabla(vae);
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

        using var connector = AudioTextContextBuilder.Load(checkpoint, ScalarType.Float32);
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

    // The loop the training issue runs, in miniature: a LoRA on the demo transformer fits one fixed batch
    // (a real clip's latents, a real caption's context, fixed noise and sigma) through the project's step.
    [Fact]
    public void A_lora_on_the_demo_model_learns_a_fixed_batch()
    {
        using var scope = NewDisposeScope();
        using var checkpoint = LtxCheckpoint.Open(demo.Model.ModelPath);
        Tensor x0;
        using (var vae = AudioVae.Load(checkpoint.Source))
            x0 = EncodeTabla(vae);
        Tensor context;
        using (var text = TextEncoder.Open(demo.Model.TextEncoderPath, demo.Model.ModelPath, new TextEncoderOptions { Mode = GemmaLoadMode.Whole }))
        using (var connector = AudioTextContextBuilder.Load(checkpoint, ScalarType.Float32))
        {
            var embeddings = text.Encode(["demoloop a tabla loop with deep bass strokes"]);
            using var ctx = connector.Apply(embeddings);
            context = ctx.Context.clone();
            foreach (var e in embeddings) e.Dispose();
        }

        using var model = AudioTransformer.Load(checkpoint, ScalarType.Float32);
        LoraTargets.AttachNew(model, new LoraConfig(Rank: 8, Alpha: 8), new Generator(3));
        long steps = x0.shape[1];
        var batch = new SuffixTrainingBatch(x0, context, null, new AudioPatchifier().Positions(1, steps),
            randn(x0.shape, generator: new Generator(4)), tensor(new[] { 0.6f }), SuffixTokens: 25, Conditioned: [true]);
        using var step = new LoraTrainingStep(model, new TrainingStepOptions(
            new LearningRateSchedule(LearningRateScheduleKind.Constant, 2e-3, 40), RecomputeActivations: false));
        var losses = new List<double>();
        for (int i = 0; i < 40; i++)
            losses.Add(step.Step(batch).Loss);
        output.WriteLine($"demo model, rank-8 LoRA on one batch ({steps} tokens, 25 clean suffix): loss {losses[0]:F4} -> {losses[^1]:F4} after 40 steps");
        Assert.All(losses, l => Assert.True(double.IsFinite(l)));
        Assert.True(losses[^1] < 0.8 * losses[0], $"loss went {losses[0]:F4} -> {losses[^1]:F4}");
    }

    // 2 s of loop_tabla (a real 44.1 kHz stereo recording), resampled to 16 kHz and encoded by the demo VAE.
    private Tensor EncodeTabla(AudioVae vae)
    {
        var wav = Path.Combine(demo.Folder, "tabla.wav");
        if (!File.Exists(wav)) FfmpegTool.Convert(RealAudio.Flac("loop_tabla"), wav, "-t", "2", "-c:a", "pcm_s16le");
        var (left, right, rate) = StereoWavFile.Read(wav);
        return vae.Encoder.EncodeToTokens([left, right], rate);
    }
}
