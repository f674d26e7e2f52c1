using System.Globalization;
using System.Management.Automation;
using LtxTrainer.Cmdlets.Contract;
using LtxTrainer.Cmdlets.Dataset;
using LtxTrainer.Cmdlets.Infrastructure;
using LtxTrainer.Core.Contract;
using LtxTrainer.Core.Dataset;
using LtxTrainer.Core.Text;
using LtxTrainer.Core.Training;
using TorchSharp;

namespace LtxTrainer.Cmdlets.Training;

/// <summary>
/// Start-LtxAudioExtendTraining: trains an audio-extension (suffix) LoRA from a dataset and a validated request,
/// writing checkpoints, metrics, the LoRA, its config, a loss curve and a preview into the output folder.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "LtxAudioExtendTraining", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(TrainingRunResult))]
public sealed class StartLtxAudioExtendTrainingCommand : LtxCmdlet
{
    private const int ProgressId = 8;

    /// <summary>The dataset (New-AudioSuffixDataset / Import-AudioSuffixDataset output).</summary>
    [Parameter(ValueFromPipeline = true)]
    public AudioSuffixDataset? Dataset { get; set; }

    /// <summary>The normalized request (the Config of Test-ExtendSuffixConfig's result binds by property name).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public AudioSuffixConfig? Config { get; set; }

    [Parameter]
    [Alias("training_data_url")]
    [ValidateNotNullOrEmpty]
    public string? TrainingDataUrl { get; set; }

    [Parameter]
    [Alias("trigger_phrase")]
    [AllowEmptyString]
    public string? TriggerPhrase { get; set; }

    [Parameter]
    [WholeNumber]
    public int Rank { get; set; }

    [Parameter]
    [Alias("number_of_steps")]
    [WholeNumber]
    public int NumberOfSteps { get; set; }

    [Parameter]
    [Alias("learning_rate")]
    public double LearningRate { get; set; }

    [Parameter]
    [Alias("conditioning_seconds")]
    public double ConditioningSeconds { get; set; }

    [Parameter]
    [Alias("audio_duration_seconds")]
    public double AudioDurationSeconds { get; set; }

    [Parameter]
    [AllowEmptyCollection]
    public object[]? Validation { get; set; }

    [Parameter]
    [Alias("validation_negative_prompt")]
    [AllowEmptyString]
    public string? ValidationNegativePrompt { get; set; }

    [Parameter]
    [Alias("validation_frame_rate")]
    [WholeNumber]
    public int ValidationFrameRate { get; set; }

    [Parameter]
    [Alias("stg_scale")]
    public double StgScale { get; set; }

    [Parameter]
    [Alias("debug_dataset")]
    public SwitchParameter DebugDataset { get; set; }

    /// <summary>The unified LTX-2.3 checkpoint (file, sharded index or folder), or the transformer of a split pack.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string ModelPath { get; set; } = "";

    /// <summary>The audio VAE + vocoder file of a split pack.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? AudioModelPath { get; set; }

    /// <summary>The Gemma 3 folder.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string TextEncoderPath { get; set; } = "";

    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string OutputFolder { get; set; } = "";

    [Parameter]
    public long Seed { get; set; } = 42;

    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int CheckpointInterval { get; set; } = 250;

    [Parameter]
    [ValidateRange(1, 1000)]
    public int KeepCheckpoints { get; set; } = 3;

    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int ValidationInterval { get; set; }

    [Parameter]
    [ValidateRange(1, 200)]
    public int PreviewSteps { get; set; } = 30;

    [Parameter]
    [ValidateSet("bfloat16", "float32")]
    public string LoraPrecision { get; set; } = "bfloat16";

    [Parameter]
    public SwitchParameter Resume { get; set; }

    [Parameter]
    [ValidatePattern(@"^(cpu|cuda(:\d+)?)$")]
    public string Device { get; set; } = "cpu";

    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? FfmpegPath { get; set; }

    private static readonly string[] FieldParameters =
    [
        nameof(TrainingDataUrl), nameof(TriggerPhrase), nameof(Rank), nameof(NumberOfSteps), nameof(LearningRate), nameof(ConditioningSeconds),
        nameof(AudioDurationSeconds), nameof(Validation), nameof(ValidationNegativePrompt), nameof(ValidationFrameRate), nameof(StgScale),
        nameof(DebugDataset),
    ];

    protected override void ProcessRecordCore()
    {
        string here = SessionState.Path.CurrentFileSystemLocation.ProviderPath;
        var fields = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var name in FieldParameters)
            if (MyInvocation.BoundParameters.TryGetValue(name, out var value))
                fields[name] = RawRequestConverter.Value(value);
        AudioSuffixConfig config;
        try
        {
            config = TrainingRequestResolver.Resolve(Config, fields, Dataset, here);
        }
        catch (ArgumentException e)
        {
            // Refused before any work: nothing was loaded or written.
            ThrowEngineError(e);
            return;
        }

        var outputFolder = ResolvePath(OutputFolder);
        var options = new TrainingRunOptions
        {
            Seed = Seed,
            CheckpointInterval = CheckpointInterval,
            KeepCheckpoints = KeepCheckpoints,
            ValidationInterval = ValidationInterval,
            Device = torch.device(Device),
            LoraDType = LoraPrecision == "float32" ? torch.ScalarType.Float32 : torch.ScalarType.BFloat16,
            Resume = Resume,
            Force = Force,
        };
        var modelPath = ResolvePath(ModelPath);
        var textEncoderPath = ResolvePath(TextEncoderPath);
        string? audioModelPath = AudioModelPath is null ? null : ResolvePath(AudioModelPath);
        string? ffmpeg = FfmpegPath is null ? null : ResolvePath(FfmpegPath);
        foreach (var (path, name) in new[] { (modelPath, nameof(ModelPath)), (textEncoderPath, nameof(TextEncoderPath)) })
            if (!File.Exists(path) && !Directory.Exists(path))
                ThrowEngineError(new FileNotFoundException($"{name}: '{path}' does not exist.", path), path);
        // The folder rules are checked before the confirmation and before any model loads.
        try
        {
            AudioExtendTrainer.CheckFolder(new TrainingRunFolder(outputFolder), options);
        }
        catch (TrainingOutputExistsException e)
        {
            ThrowEngineError(e);
        }
        if (!ShouldProcess(outputFolder, string.Create(CultureInfo.InvariantCulture,
                $"Train a rank-{config.Rank} audio-extend LoRA for {config.NumberOfSteps} steps{(Resume ? " (resuming)" : "")}")))
            return;

        var result = RunOnWorker(context =>
        {
            var log = context.VerboseLog;
            var dataset = Dataset ?? BuildDataset(config, outputFolder, ffmpeg, context);
            log.Report(string.Create(CultureInfo.InvariantCulture,
                $"Training: {dataset.KeptCount} clip(s), rank {config.Rank}, {config.NumberOfSteps} steps at lr {config.LearningRate}, suffix {config.ConditioningSeconds} s, seed {Seed}, device {Device}."));
            var request = new TrainingRunRequest
            {
                Config = config,
                Dataset = dataset,
                ModelPath = modelPath,
                AudioModelPath = audioModelPath,
                TextEncoderPath = textEncoderPath,
                OutputFolder = outputFolder,
                Options = options,
                TextEncoder = new TextEncoderOptions { Device = options.Device },
                FfmpegPath = ffmpeg,
                PreviewSteps = PreviewSteps,
            };
            var phase = TrainingPhase.Preparing;
            var progress = context.Progress<TrainingProgress>(p =>
            {
                if (p.Phase != phase)
                {
                    phase = p.Phase;
                    context.WriteVerbose($"{p.Phase}: {p.Message}");
                }
                return TrainingProgressRecords.ToRecord(ProgressId, p);
            });
            return AudioExtendTrainer.Run(request, progress, log, context.CancellationToken);
        });

        if (!result.Completed)
            WriteWarning($"Stopped after step {result.StepsDone} of {result.TotalSteps}; continue with -Resume (checkpoint {result.Checkpoint}).");
        WriteObject(result);
    }

    private static AudioSuffixDataset BuildDataset(AudioSuffixConfig config, string outputFolder, string? ffmpeg, WorkerContext context)
    {
        var workFolder = Path.Combine(outputFolder, "dataset");
        context.WriteVerbose($"Building the dataset from {config.TrainingDataUrl} in {workFolder}.");
        var uri = Uri.TryCreate(config.TrainingDataUrl, UriKind.Absolute, out var url) ? url : new Uri(Path.GetFullPath(config.TrainingDataUrl));
        var progress = context.Progress<Core.Ingest.IngestProgress>(IngestProgressRecords.ToRecord);
        return new AudioSuffixDatasetBuilder(new DatasetBuildOptions(ffmpeg))
            .BuildAsync(uri, workFolder, TrainingRequestResolver.DatasetSettingsFor(config), progress, context.CancellationToken)
            .GetAwaiter().GetResult();
    }
}
