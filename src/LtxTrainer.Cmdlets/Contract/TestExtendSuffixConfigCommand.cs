using System.Management.Automation;
using LtxTrainer.Cmdlets.Infrastructure;
using LtxTrainer.Core.Contract;

namespace LtxTrainer.Cmdlets.Contract;

/// <summary>
/// Test-ExtendSuffixConfig: checks an audio-suffix extension training request against the contract
/// and returns the verdict, the normalized config and the derived figures (or, with -Quiet, a bool).
/// Each field error is also written as a non-terminating error (ErrorId InvalidRequestField, category
/// InvalidArgument, target = the field name), each warning as a warning.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "ExtendSuffixConfig", DefaultParameterSetName = FieldsSet)]
[OutputType(typeof(ConfigValidationResult), ParameterSetName = [FieldsSet, InputObjectSet, PathSet, LiteralPathSet])]
[OutputType(typeof(bool))]
public sealed class TestExtendSuffixConfigCommand : LtxCmdlet
{
    private const string FieldsSet = "Fields";
    private const string InputObjectSet = "InputObject";
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    /// <summary>The ErrorId of the error written for each refused field.</summary>
    public const string FieldErrorId = "InvalidRequestField";

    [Parameter(ParameterSetName = FieldsSet, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("training_data_url")]
    public string? TrainingDataUrl { get; set; }

    [Parameter(ParameterSetName = FieldsSet, ValueFromPipelineByPropertyName = true)]
    [Alias("trigger_phrase")]
    [AllowEmptyString]
    public string? TriggerPhrase { get; set; }

    [Parameter(ParameterSetName = FieldsSet, ValueFromPipelineByPropertyName = true)]
    [WholeNumber]
    [ArgumentCompletions("8", "16", "32", "64", "128")]
    public int Rank { get; set; }

    [Parameter(ParameterSetName = FieldsSet, ValueFromPipelineByPropertyName = true)]
    [Alias("number_of_steps")]
    [WholeNumber]
    [ArgumentCompletions("500", "1000", "2000", "4000")]
    public int NumberOfSteps { get; set; }

    [Parameter(ParameterSetName = FieldsSet, ValueFromPipelineByPropertyName = true)]
    [Alias("learning_rate")]
    [ArgumentCompletions("0.0001", "0.0002", "0.0004")]
    public double LearningRate { get; set; }

    [Parameter(ParameterSetName = FieldsSet, ValueFromPipelineByPropertyName = true)]
    [Alias("conditioning_seconds")]
    [ArgumentCompletions("0.5", "1.0", "2.0")]
    public double ConditioningSeconds { get; set; }

    [Parameter(ParameterSetName = FieldsSet, ValueFromPipelineByPropertyName = true)]
    [Alias("audio_duration_seconds")]
    [ArgumentCompletions("2.0", "5.0", "10.0")]
    public double AudioDurationSeconds { get; set; }

    [Parameter(ParameterSetName = FieldsSet, ValueFromPipelineByPropertyName = true)]
    [Alias("audio_normalize")]
    public bool AudioNormalize { get; set; }

    [Parameter(ParameterSetName = FieldsSet, ValueFromPipelineByPropertyName = true)]
    [Alias("audio_preserve_pitch")]
    public bool AudioPreservePitch { get; set; }

    [Parameter(ParameterSetName = FieldsSet, ValueFromPipelineByPropertyName = true)]
    [AllowEmptyCollection]
    public object[]? Validation { get; set; }

    [Parameter(ParameterSetName = FieldsSet, ValueFromPipelineByPropertyName = true)]
    [Alias("validation_negative_prompt")]
    [AllowEmptyString]
    public string? ValidationNegativePrompt { get; set; }

    [Parameter(ParameterSetName = FieldsSet, ValueFromPipelineByPropertyName = true)]
    [Alias("validation_frame_rate")]
    [WholeNumber]
    [ArgumentCompletions("8", "12", "24", "25", "30", "50", "60")]
    public int ValidationFrameRate { get; set; }

    [Parameter(ParameterSetName = FieldsSet, ValueFromPipelineByPropertyName = true)]
    [Alias("stg_scale")]
    [ArgumentCompletions("0.0", "1.0", "2.0")]
    public double StgScale { get; set; }

    [Parameter(ParameterSetName = FieldsSet, ValueFromPipelineByPropertyName = true)]
    [Alias("debug_dataset")]
    public SwitchParameter DebugDataset { get; set; }

    /// <summary>A whole request as one object (ConvertFrom-Json output, a hashtable, a config); every property is a field.</summary>
    [Parameter(ParameterSetName = InputObjectSet, Mandatory = true, ValueFromPipeline = true)]
    [AllowNull]
    public PSObject? InputObject { get; set; }

    /// <summary>JSON request files (wildcards allowed, one result per file); relative paths inside one are resolved against its folder.</summary>
    [Parameter(ParameterSetName = PathSet, Mandatory = true)]
    public string? Path { get; set; }

    /// <summary>A JSON request file, the name taken as written (no wildcards).</summary>
    [Parameter(ParameterSetName = LiteralPathSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    public string? LiteralPath { get; set; }

    /// <summary>Return only True or False; write no errors or warnings.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    /// <summary>Parameters that are request fields (all of the Fields set but -Quiet).</summary>
    private static readonly string[] FieldParameters =
    [
        nameof(TrainingDataUrl), nameof(TriggerPhrase), nameof(Rank), nameof(NumberOfSteps), nameof(LearningRate),
        nameof(ConditioningSeconds), nameof(AudioDurationSeconds), nameof(AudioNormalize), nameof(AudioPreservePitch),
        nameof(Validation), nameof(ValidationNegativePrompt), nameof(ValidationFrameRate), nameof(StgScale),
        nameof(DebugDataset),
    ];

    protected override void ProcessRecordCore()
    {
        string here = SessionState.Path.CurrentFileSystemLocation.ProviderPath;
        ConfigValidationResult result;
        switch (ParameterSetName)
        {
            case PathSet:
                foreach (var file in ResolveWildcardPath(Path!)) Report(ValidateFile(file));
                return;
            case LiteralPathSet:
                result = ValidateFile(ResolvePath(LiteralPath!));
                break;
            case InputObjectSet:
                result = InputObject?.BaseObject switch
                {
                    // Get-ChildItem *.json | Test-ExtendSuffixConfig
                    FileInfo jsonFile => ValidateFile(jsonFile.FullName),
                    AudioSuffixConfig config => new AudioSuffixConfigValidator(here).Validate(config),
                    ConfigValidationResult { Config: { } config } => new AudioSuffixConfigValidator(here).Validate(config),
                    // A refused result has no config to check again: report its verdict as it stands.
                    ConfigValidationResult refused => refused,
                    _ => new AudioSuffixConfigValidator(here).Validate(RawRequestConverter.Request(InputObject)),
                };
                break;
            default:
                var request = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var name in FieldParameters)
                {
                    if (MyInvocation.BoundParameters.TryGetValue(name, out var value))
                        request[name] = RawRequestConverter.Value(value);
                }
                result = new AudioSuffixConfigValidator(here).Validate(request);
                break;
        }
        Report(result);
    }

    private static ConfigValidationResult ValidateFile(string file) =>
        new AudioSuffixConfigValidator(System.IO.Path.GetDirectoryName(file)).ValidateJson(File.ReadAllText(file));

    private void Report(ConfigValidationResult result)
    {
        if (Quiet)
        {
            WriteObject(result.IsValid);
            return;
        }
        foreach (var warning in result.Warnings) WriteWarning(warning.Message);
        foreach (var error in result.Errors)
        {
            var record = new ErrorRecord(new ArgumentException(error.Message), FieldErrorId, ErrorCategory.InvalidArgument, error.Field)
            {
                ErrorDetails = new ErrorDetails(error.Message)
                {
                    RecommendedAction = "Correct the field and test the request again; Get-Help about_LtxTrainer lists the allowed values.",
                },
            };
            WriteError(record);
        }
        WriteObject(result);
    }
}
