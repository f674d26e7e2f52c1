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

    /// <summary>A local .zip.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>An http, https or file URL of a .zip.</summary>
    [Parameter(Mandatory = true, ParameterSetName = UriSet)]
    [ValidateNotNull]
    public Uri Uri { get; set; } = null!;

    /// <summary>The normalized request from Test-ExtendSuffixConfig; its archive, durations, trigger and audio options are used.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ConfigSet)]
    [ValidateNotNull]
    public AudioSuffixConfig Config { get; set; } = null!;

    /// <summary>Folder that receives the processed clips and the manifest.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string WorkFolder { get; set; } = "";

    [Parameter]
    [ValidateRange(0.5, 60.0)]
    public double AudioDurationSeconds { get; set; } = AudioSuffixConfig.DefaultAudioDurationSeconds;

    [Parameter]
    [ValidateRange(0.04, 30.0)]
    public double ConditioningSeconds { get; set; } = AudioSuffixConfig.DefaultConditioningSeconds;

    [Parameter]
    [AllowEmptyString]
    public string TriggerPhrase { get; set; } = "";

    /// <summary>Peak-normalise to -1 dBFS. On unless -Normalize:$false is given.</summary>
    [Parameter]
    public SwitchParameter Normalize { get; set; }

    /// <summary>Stretch with WSOLA (pitch kept). On unless -PreservePitch:$false is given.</summary>
    [Parameter]
    public SwitchParameter PreservePitch { get; set; }

    /// <summary>How much shorter than the bucket (0 to 0.5) a clip may be and still be stretched to fit.</summary>
    [Parameter]
    [ValidateRange(0.0, 0.5)]
    public double StretchTolerance { get; set; }

    /// <summary>Which end of a longer clip to keep (default End: the closing the model leads into).</summary>
    [Parameter]
    public TrimFrom TrimFrom { get; set; } = TrimFrom.End;

    /// <summary>ffmpeg to use for FLAC/AAC/M4A (default: LTXTRAINER_FFMPEG, then the PATH).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? FfmpegPath { get; set; }

    protected override void ProcessRecordCore()
    {
        var settings = Settings();
        var workFolder = ResolvePath(WorkFolder);
        var (uri, label) = Source();
        if (!ShouldProcess(workFolder, $"Build an audio dataset from {label}")) return;

        var options = new DatasetBuildOptions(FfmpegPath is null ? null : ResolvePath(FfmpegPath));
        AudioSuffixDataset dataset;
        try
        {
            dataset = RunOnWorker(context =>
            {
                var progress = context.Progress<Core.Ingest.IngestProgress>(IngestProgressRecords.ToRecord);
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
        var fromConfig = ParameterSetName == ConfigSet;
        var settings = new DatasetSettings(
            AudioDurationSeconds: fromConfig && !Bound(nameof(AudioDurationSeconds)) ? Config.AudioDurationSeconds : AudioDurationSeconds,
            ConditioningSeconds: fromConfig && !Bound(nameof(ConditioningSeconds)) ? Config.ConditioningSeconds : ConditioningSeconds,
            TriggerPhrase: fromConfig && !Bound(nameof(TriggerPhrase)) ? Config.TriggerPhrase : TriggerPhrase,
            Normalize: Bound(nameof(Normalize)) ? Normalize.IsPresent : !fromConfig || Config.AudioNormalize,
            PreservePitch: Bound(nameof(PreservePitch)) ? PreservePitch.IsPresent : !fromConfig || Config.AudioPreservePitch,
            StretchTolerance: StretchTolerance,
            TrimFrom: TrimFrom);
        try
        {
            return settings.Validated();
        }
        catch (ArgumentException e)
        {
            ThrowEngineError(e, e.ParamName);
            return settings; // not reached
        }
    }

    private (Uri Uri, string Label) Source()
    {
        switch (ParameterSetName)
        {
            // PowerShell binds "/data/set.zip" to a RELATIVE Uri on Unix: such a Uri is a path.
            case UriSet when Uri.IsAbsoluteUri && !Uri.IsFile:
                return (Uri, Uri.GetLeftPart(UriPartial.Path));
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
