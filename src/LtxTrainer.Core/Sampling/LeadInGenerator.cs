using System.Diagnostics;
using System.Globalization;
using LtxTrainer.Core.Audio;
using LtxTrainer.Core.Model;
using LtxTrainer.Core.Outputs;
using LtxTrainer.Core.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Sampling;

/// <summary>
/// Generates lead-ins into closing clips the way ltx-trainer validates an audio-suffix LoRA
/// (<c>validation_runner.py</c> with ltx-core's <c>LTX2Scheduler</c>, <c>MultiModalGuider</c> and Euler steps):
/// the closing clip is encoded on its own and kept clean at the end of the target (timestep 0, never
/// denoised), the rest starts as seeded noise and is denoised with guided Euler steps, then the whole latent is
/// decoded, vocoded and returned (and written as a 16-bit WAV when asked).
/// <para>A generator is a session: models and prompt contexts stay loaded across <see cref="Generate"/> calls,
/// so a second preview pays neither for loading nor for a prompt it has seen. It works on any
/// <see cref="AudioModelSet"/>, including the trainer's, whose transformer carries the LoRA being trained:
/// attached adapters take part in every generation, LoRA files of a request only in that one.</para>
/// </summary>
public sealed class LeadInGenerator : IDisposable
{
    private readonly bool _ownsModels;
    private bool _disposed;

    /// <param name="models">Needs the transformer, connector, VAE encoder and decoder and the vocoder.</param>
    /// <param name="prompts">Where prompt contexts come from (and stay).</param>
    /// <param name="ownsModels">Dispose <paramref name="models"/> with the generator.</param>
    public LeadInGenerator(AudioModelSet models, PromptContextCache prompts, bool ownsModels = false)
    {
        Models = models ?? throw new ArgumentNullException(nameof(models));
        Prompts = prompts ?? throw new ArgumentNullException(nameof(prompts));
        _ownsModels = ownsModels;
    }

    public AudioModelSet Models { get; }

    public PromptContextCache Prompts { get; }

    /// <summary>Seconds spent loading models (and encoding the first prompts) in <see cref="Open"/>.</summary>
    public double OpenSeconds { get; private set; }

    /// <summary>
    /// Opens a session: encodes <paramref name="prompts"/> first (Gemma is loaded only for prompts the caption
    /// cache lacks, and released before anything else loads), then loads every audio model. The session owns both.
    /// </summary>
    public static LeadInGenerator Open(LeadInSessionOptions options, IEnumerable<string> prompts,
        IProgress<LeadInProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        var textOptions = options.TextEncoder;
        string checkpoint = options.Models.CheckpointPath;
        Func<TextEncoder>? open = options.TextEncoderPath is null ? null : () => TextEncoder.Open(options.TextEncoderPath, checkpoint, textOptions);
        var disk = options.CaptionCacheFolder is null || options.TextEncoderPath is null
            ? null
            : CaptionEmbeddingCache.ForModel(options.CaptionCacheFolder, options.TextEncoderPath, checkpoint, textOptions);
        var cache = new PromptContextCache(disk, open);
        try
        {
            var list = prompts.ToArray();
            progress?.Report(new LeadInProgress(LeadInPhase.EncodingPrompts, 0, 0, $"Encoding {list.Distinct().Count()} prompt(s)"));
            cache.EnsureEncoded(list, null, cancellationToken);
            var models = AudioModelSet.Load(options.Models with { Parts = AudioModelParts.All },
                progress is null ? null : new Progress<ModelLoadProgress>(p =>
                    progress.Report(new LeadInProgress(LeadInPhase.LoadingModels, p.Completed, p.Total, $"Loading {p.Part}"))),
                cancellationToken);
            return new LeadInGenerator(models, cache, ownsModels: true) { OpenSeconds = clock.Elapsed.TotalSeconds };
        }
        catch
        {
            cache.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Generates one lead-in. Checks the request first (<see cref="LeadInRequest.Validate"/>); reports each
    /// denoising step; stops between steps when cancelled (nothing is written then).
    /// </summary>
    /// <param name="request">What to generate.</param>
    /// <param name="progress">Phases and steps.</param>
    /// <param name="onStep">Sees the sampler state after each step (for tests and diagnostics).</param>
    /// <param name="cancellationToken">Checked between steps.</param>
    public LeadInResult Generate(LeadInRequest request, IProgress<LeadInProgress>? progress = null, Action<LeadInStep>? onStep = null,
        CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        var transformer = Models.Transformer;
        var dtype = transformer.DType;
        var device = Models.Device;
        int steps = request.Steps;
        long total = request.TargetTokens;
        var guidance = request.Guidance;
        if (guidance.NeedsPerturbed && guidance.PerturbedBlocks.Any(b => b >= transformer.Config.NumLayers))
            throw new LeadInRequestException(nameof(LeadInRequest.StgBlocks),
                $"STG block {guidance.PerturbedBlocks.Max()} does not exist: the transformer has {transformer.Config.NumLayers} blocks (0 to {transformer.Config.NumLayers - 1}).");

        var clock = Stopwatch.StartNew();
        double Lap() { double s = clock.Elapsed.TotalSeconds; clock.Restart(); return s; }

        // Text: encoded once per session and prompt.
        var promptTexts = guidance.NeedsUnconditional ? new[] { request.Prompt, request.ResolvedNegativePrompt } : new[] { request.Prompt };
        progress?.Report(new LeadInProgress(LeadInPhase.EncodingPrompts, 0, steps, "Encoding prompts"));
        Prompts.EnsureEncoded(promptTexts, null, cancellationToken);
        var positive = Prompts.Context(request.Prompt, Models.Connector);
        var negative = guidance.NeedsUnconditional ? Prompts.Context(request.ResolvedNegativePrompt, Models.Connector) : null;
        double promptSeconds = Lap();

        bool wasTraining = transformer.training;
        transformer.eval();
        try
        {
            using var noGrad = no_grad();
            // Before the dispose scope: the adapters and saved base weights must outlive it until removed.
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Report(new LeadInProgress(LeadInPhase.ApplyingLoras, 0, steps, $"Applying {request.Loras.Count} LoRA file(s)"));
            using var loras = AppliedLoras.Apply(transformer, request.Loras, request.FuseLoras);
            foreach (var w in loras.Warnings)
                progress?.Report(new LeadInProgress(LeadInPhase.ApplyingLoras, 0, steps, "Warning: " + w));
            double loraSeconds = Lap();

            using var scope = NewDisposeScope();

            // The closing clip on its own: validation encodes the suffix media separately, so its first tokens see
            // no earlier context (a causal mismatch with training's in-clip latents that upstream accepts).
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Report(new LeadInProgress(LeadInPhase.EncodingSuffix, 0, steps, "Encoding the closing clip"));
            var suffix = Models.VaeEncoder.EncodeToTokens([request.Clip.Left, request.Clip.Right], request.Clip.SampleRate);
            long suffixTokens = suffix.shape[1];
            long suffixStart = total - suffixTokens;
            if (suffixStart < 1)
                throw new LeadInRequestException(nameof(LeadInRequest.DurationSeconds),
                    $"The closing clip encodes to {suffixTokens} tokens, which leaves no lead-in in {total} tokens.");
            int width = (int)suffix.shape[2];
            var clean = zeros(1, total, width, dtype: dtype, device: device);
            clean.narrow(1, suffixStart, suffixTokens).copy_(suffix);
            var mask = ones(1, total, 1, dtype: ScalarType.Float32, device: device);
            mask.narrow(1, suffixStart, suffixTokens).fill_(0);
            var positions = Models.Patchifier.Positions(1, total, device);
            double suffixSeconds = Lap();

            // Noise from a CPU generator in float32, so a seed gives the same start on every device.
            using var generator = new Generator((ulong)request.Seed, CPU);
            var noise = randn([1, total, width], dtype: ScalarType.Float32, generator: generator).to(dtype, device);
            var sample = (clean.to(ScalarType.Float32) + mask * (noise.to(ScalarType.Float32) - clean.to(ScalarType.Float32))).to(dtype);
            var state = new AudioDenoiseState(sample, clean, mask, positions);
            var sigmas = Ltx2Scheduler.Sigmas(steps);
            for (int i = 0; i < steps; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var stepScope = NewDisposeScope();
                var r = GuidedAudioStep.Run(transformer, state, positive, negative, guidance, sigmas, i);
                var next = r.NextSample.MoveToOuterDisposeScope();
                state.Sample.Dispose();
                state = state with { Sample = next };
                onStep?.Invoke(new LeadInStep(i, sigmas[i], sigmas[i + 1], next, clean, suffixStart));
                progress?.Report(new LeadInProgress(LeadInPhase.Denoising, i + 1, steps,
                    string.Create(CultureInfo.InvariantCulture, $"Step {i + 1}/{steps} (sigma {sigmas[i]:0.####})")));
            }
            double denoiseSeconds = Lap();

            cancellationToken.ThrowIfCancellationRequested();
            progress?.Report(new LeadInProgress(LeadInPhase.Decoding, steps, steps, "Decoding and vocoding"));
            var final = state.Sample.to(ScalarType.Float32, CPU).contiguous();
            var mel = Models.VaeDecoder.DecodeTokens(state.Sample);
            var wave = Models.Vocoder.Forward(mel).to(ScalarType.Float32, CPU);   // [1, channels, samples]
            var channels = Enumerable.Range(0, (int)wave.shape[1]).Select(c => wave[0, c].contiguous().data<float>().ToArray()).ToArray();
            double decodeSeconds = Lap();

            var result = new LeadInResult
            {
                Channels = channels,
                SampleRate = Models.Vocoder.OutputSampleRate,
                Latent = final.data<float>().ToArray(),
                TokenWidth = width,
                TotalTokens = total,
                SuffixTokens = suffixTokens,
                SeamSeconds = SeamSeconds(suffixStart, mel.shape[2], channels[0].Length, Models.Vocoder.OutputSampleRate),
                Request = request,
                Sigmas = sigmas,
                Warnings = loras.Warnings.ToArray(),
                Timings = new LeadInTimings(promptSeconds, suffixSeconds, loraSeconds, denoiseSeconds, decodeSeconds),
            };
            if (request.OutputPath is not null)
            {
                PreviewAudioFile.Write(request.OutputPath, channels, result.SampleRate);
                result = result with { OutputPath = Path.GetFullPath(request.OutputPath) };
            }
            progress?.Report(new LeadInProgress(LeadInPhase.Done, steps, steps, "Done"));
            return result;
        }
        finally
        {
            if (wasTraining) transformer.train();
        }
    }

    // The first suffix token starts at mel frame max(0, 4i − 3) (causal VAE timing, AudioLatentTiming.StepTimeSpan);
    // the vocoder turns every mel frame into the same number of samples, so the seam is that frame's share of the
    // waveform (for LTX-2.3, 480 samples at 48 kHz per 10 ms frame).
    private static double SeamSeconds(long suffixStart, long melFrames, long samples, int sampleRate)
    {
        long frame = Math.Max(0, AudioLatentTiming.TimeDownsample * suffixStart - (AudioLatentTiming.TimeDownsample - 1));
        return (double)frame * samples / melFrames / sampleRate;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Prompts.Dispose();
        if (_ownsModels) Models.Dispose();
    }
}
