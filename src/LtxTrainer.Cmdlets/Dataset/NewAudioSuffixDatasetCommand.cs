using System.Globalization;
using System.Management.Automation;
using LtxTrainer.Cmdlets.Infrastructure;
using LtxTrainer.Core.Audio;
using LtxTrainer.Core.Contract;
using LtxTrainer.Core.Dataset;

namespace LtxTrainer.Cmdlets.Dataset;

/// <summary>
/// New-AudioSuffixDataset: builds a clean, carved dataset from a .zip (path, URL, or the training_data_url
/// of a normalized request piped in) into a work folder, and returns it.
/// </summary>
[Cmdlet(VerbsCommon.New, "AudioSuffixDataset", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
[OutputType(typeof(AudioSuffixDataset))]
public sealed class NewAudioSuffixDatasetCommand : LtxCmdlet
{
    private const string PathSet = "Path";
    private const string UriSet = "Uri";
    private const string ConfigSet = "Config";

    /// <summary>A local .zip (a file piped in from Get-ChildItem binds by its FullName), or an http(s) URL.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>An http, https or file URL of a .zip.</summary>
    [Parameter(Mandatory = true, ParameterSetName = UriSet)]
    [ValidateNotNull]
    public Uri Uri { get; set; } = null!;

    /// <summary>
    /// The normalized request from Test-ExtendSuffixConfig (piped as it is, or the whole result, whose
    /// Config property binds by name); its archive, durations, trigger and audio options are used.
    /// </summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ConfigSet)]
    [ValidateNotNull]
    public AudioSuffixConfig Config { get; set; } = null!;

    /// <summary>Folder that receives the processed clips and the manifest.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string WorkFolder { get; set; } = "";

    [Parameter]
    [ValidateRange(AudioSuffixConfigValidator.MinimumAudioDurationSeconds, AudioSuffixConfigValidator.MaximumAudioDurationSeconds)]
    public double AudioDurationSeconds { get; set; } = AudioSuffixConfig.DefaultAudioDurationSeconds;

    [Parameter]
    [ValidateRange(AudioSuffixConfigValidator.MinimumConditioningSeconds, AudioSuffixConfigValidator.MaximumConditioningSeconds)]
    public double ConditioningSeconds { get; set; } = AudioSuffixConfig.DefaultConditioningSeconds;

    [Parameter]
    [AllowEmptyString]
    public string TriggerPhrase { get; set; } = "";

    /// <summary>Peak-normalise to -1 dBFS (audio_normalize). On unless -AudioNormalize:$false is given.</summary>
    [Parameter]
    [Alias("Normalize")]
    public SwitchParameter AudioNormalize { get; set; } = AudioSuffixConfig.DefaultAudioNormalize;

    /// <summary>Stretch with WSOLA, pitch kept (audio_preserve_pitch). On unless -AudioPreservePitch:$false is given.</summary>
    [Parameter]
    [Alias("PreservePitch")]
    public SwitchParameter AudioPreservePitch { get; set; } = AudioSuffixConfig.DefaultAudioPreservePitch;

    /// <summary>How much shorter than the bucket (0 to 0.5) a clip may be and still be stretched to fit.</summary>
    [Parameter]
    [ValidateRange(0.0, DatasetSettings.MaxStretchTolerance)]
    public double StretchTolerance { get; set; }

    /// <summary>Which end of a longer clip to keep (default End: the closing the model leads into).</summary>
    [Parameter]
    public TrimFrom TrimFrom { get; set; } = TrimFrom.End;

    /// <summary>Keep the silence at the kept end of each clip instead of trimming it before placing the window.</summary>
    [Parameter]
    public SwitchParameter NoSilenceTrim { get; set; }

    /// <summary>ffmpeg to use for FLAC/AAC/M4A (default: LTXTRAINER_FFMPEG, then the PATH).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? FfmpegPath { get; set; }

    /// <summary>Seconds ffmpeg may go without output before it is taken to be hung.</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int FfmpegTimeoutSeconds { get; set; } = (int)FfmpegDecoder.DefaultStallTimeout.TotalSeconds;

    protected override void ProcessRecordCore()
    {
        var settings = Settings();
        var workFolder = ResolvePath(WorkFolder);
        var (uri, label) = Source();
        if (!ShouldProcess(workFolder, $"Build an audio dataset from {label}")) return;

        var options = new DatasetBuildOptions(FfmpegPath is null ? null : ResolvePath(FfmpegPath),
            FfmpegStallTimeout: TimeSpan.FromSeconds(FfmpegTimeoutSeconds));
        AudioSuffixDataset dataset;
        try
        {
            dataset = RunOnWorker(context =>
            {
                var progress = context.Progress<Core.Ingest.IngestProgress>(IngestProgressRecords.ToRecord, IngestProgressRecords.ToVerbose);
                context.WriteVerbose($"Building the dataset in {workFolder} from {label}.");
                return new AudioSuffixDatasetBuilder(options).BuildAsync(uri, workFolder, settings, progress, context.CancellationToken)
                    .GetAwaiter().GetResult();
            });
        }
        catch (Exception e) when (e is not PipelineStoppedException and not RuntimeException)
        {
            // Nothing usable was built: stop the pipeline rather than pass on a half-made dataset.
            ThrowEngineError(e, label);
            return;
        }

        foreach (var skipped in dataset.Skipped)
            WriteVerbose($"Skipped {skipped.SourceEntry}: {skipped.Reason}");
        if (dataset.KeptCount < AudioSuffixDataset.RecommendedMinimumClips)
            WriteWarning(string.Create(CultureInfo.InvariantCulture,
                $"Only {dataset.KeptCount} clip(s) kept ({dataset.SkippedCount} skipped); at least {AudioSuffixDataset.RecommendedMinimumClips} are recommended for a LoRA."));
        WriteObject(dataset);
    }

    private DatasetSettings Settings()
    {
        bool Bound(string name) => MyInvocation.BoundParameters.ContainsKey(name);
        try
        {
            if (ParameterSetName != ConfigSet)
                return new DatasetSettings(AudioDurationSeconds, ConditioningSeconds, TriggerPhrase, AudioNormalize.IsPresent,
                    AudioPreservePitch.IsPresent, StretchTolerance, TrimFrom, !NoSilenceTrim).Validated();

            // Values given beside a request are checked against it by the contract, never silently preferred.
            var explicitValues = new Dictionary<string, object?>();
            if (Bound(nameof(AudioDurationSeconds))) explicitValues[RequestFields.AudioDurationSeconds] = AudioDurationSeconds;
            if (Bound(nameof(ConditioningSeconds))) explicitValues[RequestFields.ConditioningSeconds] = ConditioningSeconds;
            if (Bound(nameof(TriggerPhrase))) explicitValues[RequestFields.TriggerPhrase] = TriggerPhrase;
            if (Bound(nameof(AudioNormalize))) explicitValues[RequestFields.AudioNormalize] = AudioNormalize.IsPresent;
            if (Bound(nameof(AudioPreservePitch))) explicitValues[RequestFields.AudioPreservePitch] = AudioPreservePitch.IsPresent;
            var (config, warnings) = DatasetSettingsMapping.ApplyExplicit(Config, explicitValues,
                new AudioSuffixConfigValidator(SessionState.Path.CurrentFileSystemLocation.ProviderPath));
            foreach (var warning in warnings) WriteWarning(warning.Message);
            return DatasetSettingsMapping.FromConfig(config, StretchTolerance, TrimFrom, !NoSilenceTrim).Validated();
        }
        catch (ArgumentException e)
        {
            ThrowEngineError(e, e.ParamName);
            return null!; // not reached
        }
    }

    private (Uri Uri, string Label) Source()
    {
        switch (ParameterSetName)
        {
            // PowerShell binds "/data/set.zip" to a RELATIVE Uri on Unix: such a Uri is a path.
            case UriSet when Uri.IsAbsoluteUri && !Uri.IsFile:
                return (Uri, Uri.GetLeftPart(UriPartial.Path));
            // A URL given to -Path is what the user meant, not a PowerShell drive named "https".
            case PathSet when System.Uri.TryCreate(Path, UriKind.Absolute, out var web) && web.Scheme is "http" or "https":
                return (web, web.GetLeftPart(UriPartial.Path));
            case ConfigSet when System.Uri.TryCreate(Config.TrainingDataUrl, UriKind.Absolute, out var url) && !url.IsFile:
                return (url, url.GetLeftPart(UriPartial.Path));
            default:
                var path = ResolvePath(ParameterSetName switch
                {
                    ConfigSet => Config.TrainingDataUrl,
                    UriSet => Uri.IsAbsoluteUri ? Uri.LocalPath : Uri.OriginalString,
                    _ => Path,
                });
                if (!File.Exists(path)) ThrowEngineError(new FileNotFoundException($"Archive not found: {path}", path), path);
                return (new Uri(path), path);
        }
    }
}
