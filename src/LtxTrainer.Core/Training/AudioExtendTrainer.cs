using System.Diagnostics;
using LtxTrainer.Core.Audio;
using LtxTrainer.Core.Ingest;
using LtxTrainer.Core.Model;
using LtxTrainer.Core.Model.Lora;
using LtxTrainer.Core.Outputs;
using LtxTrainer.Core.Preprocess;
using LtxTrainer.Core.Sampling;
using LtxTrainer.Core.Text;

namespace LtxTrainer.Core.Training;

/// <summary>
/// The whole job: from an accepted request and its dataset to a LoRA with its config, metrics, loss curve and
/// preview. Order matters for memory: validation clips are read first (bad input fails before any model loads),
/// captions are encoded (only those not cached) and Gemma released, then the audio models load, clips are encoded
/// (only those not cached), and the loop runs with previews through the same <see cref="LeadInGenerator"/> the
/// inference cmdlet uses.
/// </summary>
public static class AudioExtendTrainer
{
    /// <summary>At most this many validation entries are previewed (the request may list more).</summary>
    public const int MaxPreviewEntries = 2;

    /// <exception cref="TrainingOutputExistsException">The folder holds a finished run (or an unfinished one's checkpoints) and neither Force nor Resume allows going on.</exception>
    /// <exception cref="OperationCanceledException">Cancelled before training started (nothing to keep yet).</exception>
    public static TrainingRunResult Run(TrainingRunRequest request, IProgress<TrainingProgress>? progress = null, IProgress<string>? log = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var wall = Stopwatch.StartNew();
        var config = request.Config;
        var plan = TrainingPlan.For(config, request.Options);
        var folder = new TrainingRunFolder(Path.GetFullPath(request.OutputFolder));
        int total = plan.Steps;
        void Phase(TrainingPhase phase, string message, double? fraction = null) =>
            progress?.Report(new TrainingProgress(phase, 0, total, double.NaN, double.NaN, double.NaN, double.NaN, null, message, fraction));

        Phase(TrainingPhase.Preparing, "Checking the output folder and the validation clips");
        PrepareFolder(folder, plan.Run, log);

        // Validation clips are cut from the closing seconds exactly as Invoke-LtxLeadInPreview cuts them.
        var entries = config.Validation.Take(MaxPreviewEntries).ToList();
        // The explicit path, else LTXTRAINER_FFMPEG or the PATH, as the dataset builder finds it.
        string? ffmpeg = FfmpegLocator.Find(request.FfmpegPath);
        var clips = entries.Select(e => ClosingClip.FromFile(LocalClip(e.AudioUrl, folder, log, cancellationToken), config.ConditioningSeconds,
            ffmpeg, cancellationToken)).ToList();
        if (config.Validation.Count > MaxPreviewEntries)
            log?.Report($"Previewing the first {MaxPreviewEntries} of {config.Validation.Count} validation entries.");

        var captionCache = CaptionEmbeddingCache.ForModel(Path.Combine(folder.Cache, "captions"), request.TextEncoderPath, request.ModelPath, request.TextEncoder);
        var previewPrompts = entries.Select(e => e.Prompt).Append(config.ValidationNegativePrompt).Where(_ => entries.Count > 0);
        var allPrompts = request.Dataset.Clips.Select(c => c.Caption).Concat(previewPrompts).Distinct(StringComparer.Ordinal).ToList();
        TextEncoder OpenEncoder()
        {
            log?.Report($"Opening the text encoder {request.TextEncoderPath} for the captions not cached yet.");
            return TextEncoder.Open(request.TextEncoderPath, request.ModelPath, request.TextEncoder);
        }
        Phase(TrainingPhase.EncodingCaptions, $"Encoding {allPrompts.Count} distinct caption(s)");
        int encodedCaptions = captionCache.EncodeMissing(allPrompts, OpenEncoder,
            new InlineProgress<TextEncodingProgress>(p => Phase(TrainingPhase.EncodingCaptions, $"Caption {p.Completed} of {p.Total}", p.Total > 0 ? (double)p.Completed / p.Total : null)),
            cancellationToken);
        log?.Report($"Captions: {encodedCaptions} encoded, {allPrompts.Count - encodedCaptions} from the cache; the text encoder is released.");

        Phase(TrainingPhase.LoadingModel, $"Loading the audio models from {request.ModelPath}");
        using var models = AudioModelSet.Load(new AudioModelSetOptions
        {
            CheckpointPath = request.ModelPath,
            AudioCheckpointPath = request.AudioModelPath,
            Device = plan.Run.Device,
            DType = plan.Run.ResolvedBaseDType,
            Parts = entries.Count > 0 ? AudioModelParts.All : AudioModelParts.Transformer | AudioModelParts.Connector | AudioModelParts.VaeEncoder,
        }, new InlineProgress<ModelLoadProgress>(p => Phase(TrainingPhase.LoadingModel, $"Loading {p.Part}", p.Total > 0 ? (double)p.Completed / p.Total : null)),
            cancellationToken);
        log?.Report($"Loaded {models.Loaded} ({models.ModelVersion ?? "unknown version"}) on {models.Device} in {models.DType}.");

        var latentCache = new AudioLatentCache(Path.Combine(folder.Cache, "latents"), AudioLatentCache.IdentityOf(models.VaeEncoder));
        using var data = TrainingDataPreparer.Prepare(request.Dataset, models, captionCache, latentCache, progress, total, cancellationToken);
        log?.Report($"{data.Samples.Count} clip latents ready, {data.Captions.Count} distinct caption context(s) computed once.");
        if (entries.Count == 0) models.Release(AudioModelParts.VaeEncoder);

        using var previews = entries.Count > 0 ? new LeadInGenerator(models, new PromptContextCache(captionCache, OpenEncoder)) : null;
        previews?.Prompts.EnsureEncoded(previewPrompts, null, cancellationToken);

        // Returns the joined previews and where the first entry's suffix starts (for the spectrogram's seam line).
        (float[][] Audio, int Rate, double Seam) Preview(string? outputPath)
        {
            var rendered = new List<float[][]>();
            int rate = 0;
            double seam = 0;
            for (int i = 0; i < entries.Count; i++)
            {
                var result = previews!.Generate(new LeadInRequest
                {
                    Clip = clips[i],
                    Prompt = entries[i].Prompt,
                    NegativePrompt = config.ValidationNegativePrompt,
                    DurationSeconds = config.AudioDurationSeconds,
                    FrameRate = config.ValidationFrameRate,
                    StgScale = config.StgScale,
                    StgBlocks = [LeadInRequest.DefaultStgBlock(models.Config.NumLayers)],
                    Steps = request.PreviewSteps,
                    Seed = plan.Run.Seed,
                }, null, null, cancellationToken);
                rendered.Add(result.Channels);
                rate = result.SampleRate;
                if (i == 0) seam = result.SeamSeconds;
            }
            var joined = PreviewMix.Join(rendered, rate);
            if (outputPath is not null) PreviewAudioFile.Write(outputPath, joined, rate);
            return (joined, rate, seam);
        }

        var loop = new TrainingLoop(models.Transformer, plan, data, folder);
        var loopResult = loop.Run(progress, entries.Count == 0 ? null : step =>
        {
            try
            {
                var wav = Path.Combine(folder.Root, "previews", $"step_{step:D6}.wav");
                var (audio, rate, seam) = Preview(wav);
                SpectrogramPlot.Write(Path.ChangeExtension(wav, ".png"), audio, rate, seam, $"validation preview at step {step}");
            }
            catch (OperationCanceledException)
            {
                // The loop sees the cancellation next and writes its checkpoint.
            }
        }, cancellationToken);

        string? loraFile = null, configFile = null, audioFile = null, spectrogramFile = null, debugFile = null, lossPlot = null;
        var steps = File.Exists(folder.Metrics) ? MetricsLog.Read(folder.Metrics) : [];
        if (steps.Count > 0)
        {
            LossCurvePlot.Write(folder.LossPlot, steps, plan.Run.LossSmoothing,
                $"rank {plan.Lora.Rank}, lr {plan.LearningRate:G3}, {loopResult.StepsDone}/{total} steps");
            lossPlot = folder.LossPlot;
        }
        if (loopResult.Completed)
        {
            Phase(TrainingPhase.WritingOutputs, "Writing the LoRA and its config");
            LoraFile.Save(folder.Lora, models.Transformer, plan.Run.LoraDType, TrainedLoraDescription.HeaderMetadata(config, plan, models.ModelVersion));
            loraFile = folder.Lora;
            configFile = TrainedLoraDescription.WriteConfig(folder.Config, config, plan, request.Dataset, request.ModelPath, models.ModelVersion, loopResult, loraFile);
            if (entries.Count > 0)
            {
                Phase(TrainingPhase.Previewing, $"Final preview of {entries.Count} validation entr{(entries.Count == 1 ? "y" : "ies")}");
                try
                {
                    var (audio, rate, seam) = Preview(folder.Preview);
                    audioFile = folder.Preview;
                    SpectrogramPlot.Write(folder.PreviewSpectrogram, audio, rate, seam,
                        entries.Count > 1 ? "validation previews (seam of the first marked)" : "validation preview");
                    spectrogramFile = folder.PreviewSpectrogram;
                }
                catch (OperationCanceledException)
                {
                    log?.Report("The final preview was cancelled; the LoRA and its config are written.");
                }
            }
            if (config.DebugDataset)
                debugFile = DebugArchiveWriter.Write(request.Dataset, Path.Combine(folder.Root, "debug_dataset.zip")).FullName;
        }

        Phase(TrainingPhase.Done, loopResult.Completed ? "Done" : $"Stopped after step {loopResult.StepsDone}; resume from {loopResult.LastCheckpoint}");
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return new TrainingRunResult(folder.Root, loopResult.Completed && loraFile is not null, loraFile, configFile, audioFile, spectrogramFile, debugFile,
            folder.Metrics, lossPlot, loopResult.LastCheckpoint, loopResult.StepsDone, total, loopResult.FinalLoss, loopResult.SmoothedLoss,
            loopResult.StepsPerSecond, wall.Elapsed, process.PeakWorkingSet64,
            Contract.AudioSuffixDerivedFigures.For(config).BillableUnits, loopResult.ResumedFromStep);
    }

    /// <summary>
    /// A validation entry's clip as a local file: a path as it is, an http(s) URL downloaded once into the cache
    /// (named by the URL's hash, so a rerun does not download it again).
    /// </summary>
    private static string LocalClip(string audioUrl, TrainingRunFolder folder, IProgress<string>? log, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(audioUrl, UriKind.Absolute, out var url) || url.IsFile) return audioUrl;
        var file = Path.Combine(folder.Cache, "validation", TensorFingerprint.OfText(audioUrl)[..16] + Path.GetExtension(url.AbsolutePath));
        if (File.Exists(file)) return file;
        log?.Report($"Downloading the validation clip {url.GetLeftPart(UriPartial.Path)}.");
        using var http = new HttpClient();
        return new ArchiveDownloader(http, DownloadOptions.Default with { RequireZip = false })
            .FetchAsync(url, file, null, cancellationToken).GetAwaiter().GetResult();
    }


    /// <summary>
    /// The output-folder rules, checked without touching anything: a finished run is replaced only with Force; an
    /// unfinished run's checkpoints are continued with Resume or discarded with Force.
    /// </summary>
    /// <exception cref="TrainingOutputExistsException">The folder holds what this run may not replace.</exception>
    public static void CheckFolder(TrainingRunFolder folder, TrainingRunOptions options)
    {
        if (folder.HasFinishedRun && !options.Force)
            throw new TrainingOutputExistsException(
                $"'{folder.Root}' holds a finished run ({folder.Lora}); pass -Force to replace its outputs, or choose another output folder.", folder.Lora);
        if (TrainingCheckpoint.Latest(folder.Checkpoints) is not null && !options.Resume && !options.Force)
            throw new TrainingOutputExistsException(
                $"'{folder.Root}' holds checkpoints of an unfinished run; pass -Resume to continue it or -Force to start over.", folder.Checkpoints);
    }

    /// <summary>
    /// Applies the output-folder rules (<see cref="CheckFolder"/>); with Force removes the previous outputs (and, unless
    /// resuming, the checkpoints) this trainer wrote.
    /// </summary>
    public static void PrepareFolder(TrainingRunFolder folder, TrainingRunOptions options, IProgress<string>? log = null)
    {
        CheckFolder(folder, options);
        bool finished = folder.HasFinishedRun;
        bool checkpoints = TrainingCheckpoint.Latest(folder.Checkpoints) is not null;
        if (options.Force && (finished || (checkpoints && !options.Resume)))
        {
            // Only files this trainer writes under their own names are removed; the cache stays (it is keyed by content).
            foreach (var output in folder.FinalOutputs.Where(File.Exists)) File.Delete(output);
            if (!options.Resume) TrainingCheckpoint.DeleteAll(folder.Checkpoints);
            log?.Report($"-Force: the previous outputs in '{folder.Root}' are replaced.");
        }
        if (options.Resume && !checkpoints)
            log?.Report($"No checkpoint in '{folder.Checkpoints}' to resume; starting at step 0.");
        Directory.CreateDirectory(folder.Root);
    }

    /// <summary>Reports synchronously on the calling thread (System.Progress would post to a context).</summary>
    private sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
