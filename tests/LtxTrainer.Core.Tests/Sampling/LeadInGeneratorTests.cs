using LtxTrainer.Core.Audio;
using LtxTrainer.Core.Checkpoints;
using LtxTrainer.Core.Model.Lora;
using LtxTrainer.Core.Sampling;
using LtxTrainer.Core.Tests.Ingest;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Tests.Sampling;

public sealed class LeadInGeneratorTests(LeadInSessionFixture session, ITestOutputHelper output) : IClassFixture<LeadInSessionFixture>
{
    private LeadInGenerator Generator => session.Generator;

    private static double MaxAbsDifference(float[] a, float[] b)
    {
        Assert.Equal(a.Length, b.Length);
        double max = 0;
        for (int i = 0; i < a.Length; i++) max = Math.Max(max, Math.Abs(a[i] - b[i]));
        return max;
    }

    [Fact]
    public void The_same_seed_twice_gives_identical_samples_and_another_seed_does_not()
    {
        var first = Generator.Generate(LeadInSessionFixture.Request(seed: 7));
        var second = Generator.Generate(LeadInSessionFixture.Request(seed: 7));
        var other = Generator.Generate(LeadInSessionFixture.Request(seed: 8));

        Assert.Equal(first.Latent, second.Latent);
        Assert.Equal(first.Channels[0], second.Channels[0]);
        Assert.Equal(first.Channels[1], second.Channels[1]);
        Assert.True(MaxAbsDifference(first.Latent, other.Latent) > 1e-3, "a different seed must give a different lead-in");
    }

    [Fact]
    public void Result_has_the_contract_figures_stereo_at_the_vocoder_rate()
    {
        var request = LeadInSessionFixture.Request();
        var r = Generator.Generate(request);

        Assert.Equal(2, r.Channels.Length);
        Assert.Equal(Generator.Models.Vocoder.OutputSampleRate, r.SampleRate);
        Assert.Equal(25, r.TotalTokens);                                          // round(25 · 1.0 s)
        Assert.Equal(AudioLatentTiming.EncodedStepsForSeconds(0.5), r.SuffixTokens); // the suffix encoded on its own: 13
        Assert.Equal(r.TotalTokens * r.TokenWidth, r.Latent.Length);
        // Decoder: 4T − 3 mel frames; the vocoder makes (product of its upsample rates) × (BWE ratio) samples per
        // frame: 160 × 3 for the real model, 20 × 3 for the tiny golden one.
        var vocoder = Generator.Models.Vocoder.Config;
        long perFrame = vocoder.Main.UpsampleRates.Aggregate(1L, (p, x) => p * x) * (vocoder.Bwe?.Ratio ?? 1);
        long expectedSamples = AudioLatentTiming.DecodedMelFrames(r.TotalTokens) * perFrame;
        Assert.Equal(expectedSamples, r.Channels[0].Length);
        // The seam sits at the first suffix token's first mel frame, max(0, 4i − 3) of the 4T − 3 frames.
        double seamFrame = 4 * (r.TotalTokens - r.SuffixTokens) - 3;
        Assert.Equal(seamFrame / AudioLatentTiming.DecodedMelFrames(r.TotalTokens), r.SeamSeconds / r.TotalSeconds, 9);
        Assert.Equal(request.Steps + 1, r.Sigmas.Count);
        Assert.All(r.Channels.SelectMany(c => c), v => Assert.InRange(v, -1f, 1f));
        output.WriteLine($"tokens {r.TotalTokens} (suffix {r.SuffixTokens}), {r.Channels[0].Length} samples at {r.SampleRate} Hz, seam {r.SeamSeconds:0.###} s; timings {r.Timings}");
    }

    [Fact]
    public void Suffix_tokens_stay_bit_equal_to_the_separately_encoded_clip_through_every_step()
    {
        var request = LeadInSessionFixture.Request();
        using var encoded = Generator.Models.VaeEncoder.EncodeToTokens([request.Clip.Left, request.Clip.Right], request.Clip.SampleRate);
        int steps = 0;
        Generator.Generate(request, onStep: s =>
        {
            long n = s.Sample.shape[1] - s.SuffixStart;
            Assert.Equal(encoded.shape[1], n);
            using var suffix = s.Sample.narrow(1, s.SuffixStart, n);
            Assert.True(suffix.equal(encoded.to(suffix.dtype)).all().item<bool>(), $"suffix tokens changed at step {s.Index}");
            using var leadIn = s.Sample.narrow(1, 0, s.SuffixStart);
            using var cleanLeadIn = s.CleanLatent.narrow(1, 0, s.SuffixStart);
            Assert.False(leadIn.equal(cleanLeadIn).all().item<bool>(), "the lead-in is being denoised, not kept");
            steps++;
        });
        Assert.Equal(request.Steps, steps);
    }

    [Fact]
    public void Fused_and_unfused_lora_agree_and_the_session_is_clean_afterwards()
    {
        var plain = Generator.Generate(LeadInSessionFixture.Request());
        var lora = new LoraReference(session.LoraPath, 1.5);
        var unfused = Generator.Generate(LeadInSessionFixture.Request() with { Loras = [lora] });
        var fused = Generator.Generate(LeadInSessionFixture.Request() with { Loras = [lora], FuseLoras = true });
        var plainAgain = Generator.Generate(LeadInSessionFixture.Request());

        double loraEffect = MaxAbsDifference(plain.Latent, unfused.Latent);
        double fusedVsUnfused = MaxAbsDifference(unfused.Latent, fused.Latent);
        output.WriteLine($"LoRA effect on the latent: {loraEffect:E3}; fused vs unfused: {fusedVsUnfused:E3}; " +
                         $"waveform fused vs unfused: {MaxAbsDifference(unfused.Channels[0], fused.Channels[0]):E3}");
        Assert.True(loraEffect > 1e-3, "the LoRA must change the lead-in");
        Assert.True(fusedVsUnfused < 1e-4, $"fused and unfused differ by {fusedVsUnfused} (tolerance 1e-4, float32)");
        Assert.Equal(plain.Latent, plainAgain.Latent);   // adapters detached and base weights restored
        Assert.DoesNotContain(LoraTargets.All(Generator.Models.Transformer), m => m.Layer.HasAdapter);
    }

    [Fact]
    public void Two_loras_unfused_equal_their_sum_fused()
    {
        var a = new LoraReference(session.LoraPath, 0.5);
        var b = new LoraReference(session.LoraPath, 1.0);
        var both = Generator.Generate(LeadInSessionFixture.Request() with { Loras = [a, b] });
        var single = Generator.Generate(LeadInSessionFixture.Request() with { Loras = [new LoraReference(session.LoraPath, 1.5)], FuseLoras = true });
        Assert.True(MaxAbsDifference(both.Latent, single.Latent) < 1e-4);
    }

    [Fact]
    public void A_lora_that_matches_nothing_is_an_error_naming_its_modules()
    {
        var path = Path.Combine(session.Folder, "foreign.safetensors");
        using (var a = ones(2, 8))
        using (var b = ones(8, 2))
            SafetensorsWriter.Write(path, [new("diffusion_model.video_blocks.0.attn.to_q.lora_A.weight", a),
                new("diffusion_model.video_blocks.0.attn.to_q.lora_B.weight", b)]);
        var ex = Assert.Throws<LoraMismatchException>(() =>
            Generator.Generate(LeadInSessionFixture.Request() with { Loras = [new LoraReference(path)] }));
        Assert.Equal(path, ex.Path);
        Assert.Contains("video_blocks.0.attn.to_q", ex.Message);
        Assert.Equal(["video_blocks.0.attn.to_q"], ex.UnmatchedModules);
        Assert.DoesNotContain(LoraTargets.All(Generator.Models.Transformer), m => m.Layer.HasAdapter);
    }

    [Fact]
    public void A_partly_matching_lora_warns_with_the_counts_and_applies_the_rest()
    {
        var path = Path.Combine(session.Folder, "partial.safetensors");
        using (var golden = SafetensorsFile.Open(session.LoraPath))
        using (var scope = NewDisposeScope())
        {
            var tensors = golden.Names.Select(n => new KeyValuePair<string, Tensor>(n, golden.Load(n))).ToList();
            tensors.Add(new("diffusion_model.transformer_blocks.9.audio_attn1.to_q.lora_A.weight", ones(4, 32)));
            tensors.Add(new("diffusion_model.transformer_blocks.9.audio_attn1.to_q.lora_B.weight", ones(32, 4)));
            SafetensorsWriter.Write(path, tensors);
        }
        int modules;
        using (var w = LoraFile.Load(session.LoraPath)) modules = w.Modules.Count;

        var partial = Generator.Generate(LeadInSessionFixture.Request() with { Loras = [new LoraReference(path)] });
        var whole = Generator.Generate(LeadInSessionFixture.Request() with { Loras = [new LoraReference(session.LoraPath)] });

        var warning = Assert.Single(partial.Warnings);
        Assert.Contains($"{modules} of {modules + 1} modules match", warning);
        Assert.Contains("transformer_blocks.9.audio_attn1.to_q", warning);
        Assert.Equal(whole.Latent, partial.Latent);
        Assert.Empty(whole.Warnings);
    }

    [Fact]
    public void The_trainers_live_adapters_take_part_and_training_mode_is_restored()
    {
        var transformer = Generator.Models.Transformer;
        var plain = Generator.Generate(LeadInSessionFixture.Request());
        var layers = LoraTargets.AttachNew(transformer, new LoraConfig(Rank: 2, Alpha: 2), new Generator(3));
        try
        {
            using (no_grad())
                foreach (var (_, layer) in layers) layer.B.Weight.fill_(0.05f);
            transformer.train();
            var live = Generator.Generate(LeadInSessionFixture.Request());
            Assert.True(transformer.training, "the trainer's model must be back in training mode");
            Assert.True(MaxAbsDifference(plain.Latent, live.Latent) > 1e-3, "the attached adapter must change the lead-in");
            Assert.Throws<InvalidOperationException>(() =>
                Generator.Generate(LeadInSessionFixture.Request() with { Loras = [new LoraReference(session.LoraPath)] }));
            var fusedOnTop = Generator.Generate(LeadInSessionFixture.Request() with { Loras = [new LoraReference(session.LoraPath)], FuseLoras = true });
            Assert.True(MaxAbsDifference(live.Latent, fusedOnTop.Latent) > 1e-3);
            Assert.Equal(live.Latent, Generator.Generate(LeadInSessionFixture.Request()).Latent);
        }
        finally
        {
            foreach (var (_, layer) in layers) layer.Detach();
            transformer.eval();
        }
        Assert.Equal(plain.Latent, Generator.Generate(LeadInSessionFixture.Request()).Latent);
    }

    [Fact]
    public void A_second_generation_encodes_no_prompt_again_and_reports_every_step()
    {
        int before = Generator.Prompts.EncoderOpenings;
        var reports = new List<LeadInProgress>();
        var r = Generator.Generate(LeadInSessionFixture.Request(), new SyncProgress<LeadInProgress>(reports.Add));
        Assert.Equal(before, Generator.Prompts.EncoderOpenings);
        Assert.Equal(0.0, r.Timings.Prompts, 1);
        var steps = reports.Where(p => p.Phase == LeadInPhase.Denoising).Select(p => p.Step).ToArray();
        Assert.Equal([1, 2, 3, 4], steps);
        Assert.Equal(LeadInPhase.Done, reports[^1].Phase);
    }

    [Fact]
    public void A_new_prompt_is_encoded_once_and_then_reused()
    {
        int before = Generator.Prompts.EncoderOpenings;
        var request = LeadInSessionFixture.Request() with { Prompt = "rain on a tin roof " + Guid.NewGuid() };
        Generator.Generate(request);
        Generator.Generate(request);
        Assert.Equal(before + 1, Generator.Prompts.EncoderOpenings);
    }

    [Fact]
    public void Cancelling_stops_between_steps_and_leaves_the_session_usable()
    {
        using var cts = new CancellationTokenSource();
        var path = Path.Combine(session.Folder, "cancelled.wav");
        int seen = 0;
        Assert.ThrowsAny<OperationCanceledException>(() => Generator.Generate(LeadInSessionFixture.Request() with { OutputPath = path },
            onStep: s => { seen++; if (s.Index == 1) cts.Cancel(); }, cancellationToken: cts.Token));
        Assert.Equal(2, seen);
        Assert.False(File.Exists(path));
        var after = Generator.Generate(LeadInSessionFixture.Request() with { OutputPath = path });
        Assert.True(File.Exists(path));
        Assert.Equal(path, after.OutputPath);
    }

    [Fact]
    public void The_wav_is_16_bit_stereo_at_the_vocoder_rate()
    {
        var path = Path.Combine(session.Folder, "preview.wav");
        var r = Generator.Generate(LeadInSessionFixture.Request() with { OutputPath = path });
        using var reader = new NAudio.Wave.WaveFileReader(path);
        Assert.Equal(16, reader.WaveFormat.BitsPerSample);
        Assert.Equal(2, reader.WaveFormat.Channels);
        Assert.Equal(r.SampleRate, reader.WaveFormat.SampleRate);
        Assert.Equal(r.Channels[0].Length, reader.SampleCount);
        var frame = reader.ReadNextSampleFrame();
        Assert.Equal(Pcm16.FromSample(r.Channels[0][0]) / 32768f, frame[0], 6);
    }

    [Theory]
    [InlineData(0.5, "DurationSeconds")]   // 12 tokens in all, 13 for the 0.5 s suffix alone
    [InlineData(0.2, "DurationSeconds")]
    public void A_length_that_leaves_no_lead_in_is_refused_before_any_work(double seconds, string setting)
    {
        var ex = Assert.Throws<LeadInRequestException>(() => Generator.Generate(LeadInSessionFixture.Request() with { DurationSeconds = seconds }));
        Assert.Equal(setting, ex.Setting);
        Assert.Contains("leaves no lead-in", ex.Message);
    }

    [Fact]
    public void Bad_settings_are_refused_naming_them()
    {
        Assert.Equal("Steps", Assert.Throws<LeadInRequestException>(() => (LeadInSessionFixture.Request() with { Steps = 0 }).Validate()).Setting);
        Assert.Equal("Loras", Assert.Throws<LeadInRequestException>(() =>
            (LeadInSessionFixture.Request() with { Loras = [new LoraReference("/nonexistent/x.safetensors")] }).Validate()).Setting);
        Assert.Equal("StgBlocks", Assert.Throws<LeadInRequestException>(() =>
            Generator.Generate(LeadInSessionFixture.Request() with { StgBlocks = [28] })).Setting);
    }

    [Fact]
    public void Closing_clips_that_are_too_short_or_silent_are_refused_when_prepared()
    {
        var tones = LeadInSessionFixture.Tones(seconds: 0.3);
        var tooShort = Assert.Throws<ClosingClipException>(() => ClosingClip.FromSamples(tones, 44100, 0.5, "short.wav"));
        Assert.Equal(ClipSkipKind.TooShort, tooShort.Kind);
        Assert.Equal("short.wav", tooShort.Source);
        Assert.Contains("0.30 s < 0.50 s", tooShort.Message);
        var silent = Assert.Throws<ClosingClipException>(() => ClosingClip.FromSamples(LeadInSessionFixture.Tones(amplitude: 0f), 44100, 0.5));
        Assert.Equal(ClipSkipKind.Silent, silent.Kind);
    }

    [Fact]
    public void A_closing_clip_that_fades_out_ends_on_its_last_audible_sound_unless_trimming_is_off()
    {
        var tones = LeadInSessionFixture.Tones();
        var withTail = tones.Select(c => c.Concat(new float[44100]).ToArray()).ToArray();   // + 1 s of silence

        var trimmed = ClosingClip.FromSamples(withTail, 44100, 0.5, "fade.wav");
        var plain = ClosingClip.FromSamples(tones, 44100, 0.5, "tones.wav");
        Assert.InRange(trimmed.TrimmedSilenceSeconds, 0.99, 1.01);
        Assert.Equal(0, plain.TrimmedSilenceSeconds);
        Assert.Equal(plain.Left.Length, trimmed.Left.Length);
        Assert.True(trimmed.Left.Zip(plain.Left).Max(p => Math.Abs(p.First - p.Second)) < 1e-3f,
            "the trimmed clip's closing seconds are the tones' closing seconds");

        var untrimmed = Assert.Throws<ClosingClipException>(() => ClosingClip.FromSamples(withTail, 44100, 0.5, "fade.wav", trimSilence: false));
        Assert.Equal(ClipSkipKind.Silent, untrimmed.Kind);
    }

    [Fact]
    public void The_closing_clip_is_the_last_seconds_resampled_to_16k()
    {
        var clip = LeadInSessionFixture.Clip(0.5);
        Assert.Equal(8000, clip.Left.Length);
        Assert.Equal(AudioLatentTiming.EncodedStepsForSeconds(0.5), clip.Tokens);
        // The last round(0.5 · 44100) source samples, resampled on their own (the official order: cut, then resample).
        var tones = LeadInSessionFixture.Tones();
        var lastLeft = tones[0][^22050..];
        Assert.Equal(SincResampler.Resample(lastLeft, 44100, 16000), clip.Left);
        Assert.NotEqual(clip.Left, clip.Right);
    }
}
