using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using LtxTrainer.Cmdlets.Infrastructure;
using LtxTrainer.Core.Audio;
using LtxTrainer.Core.Contract;
using LtxTrainer.Core.Ingest;
using LtxTrainer.Core.Model;
using LtxTrainer.Core.Outputs;
using LtxTrainer.Core.Platform;
using LtxTrainer.Core.Sampling;
using LtxTrainer.Core.Text;

namespace LtxTrainer.Cmdlets.Sampling;

/// <summary>
/// Invoke-LtxLeadInPreview: generates the lead-in an LTX-2.3 audio model (with LoRAs) makes before each closing
/// clip, and writes it followed by the clip as a WAV and a spectrogram PNG with the seam marked. Models load once
/// per call, on the first clip that passes its checks, and serve every clip piped in.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "LtxLeadInPreview", SupportsShouldProcess = true)]
[OutputType(typeof(LeadInPreview))]
public sealed class InvokeLtxLeadInPreviewCommand : LtxCmdlet
{
    private LeadInGenerator? _session;
    private double _openSeconds;
    private string _modelPath = "";
    private string _textEncoderPath = "";
    private string? _ffmpeg;

    /// <summary>The closing clip(s): files (wildcards allowed) or http(s) URLs.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    [Parameter(Position = 1)]
    [AllowEmptyString]
    public string Prompt { get; set; } = "";

    [Parameter]
    [AllowEmptyString]
    public string NegativePrompt { get; set; } = LeadInRequest.OfficialNegativePrompt;

    /// <summary>LoRA files: paths, @{ Path; Strength } tables, or a training result (its LoraFile).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("LoraFile")]
    [LoraArgumentTransformation]
    public LoraReference[] Lora { get; set; } = [];

    [Parameter]
    public SwitchParameter FuseLora { get; set; }

    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string ModelPath { get; set; } = "";

    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string TextEncoderPath { get; set; } = "";

    [Parameter]
    [ValidateRange(AudioSuffixConfigValidator.MinimumConditioningSeconds, AudioSuffixConfigValidator.MaximumConditioningSeconds)]
    public double ConditioningSeconds { get; set; } = AudioSuffixConfig.DefaultConditioningSeconds;

    [Parameter]
    [ValidateRange(AudioSuffixConfigValidator.MinimumAudioDurationSeconds, AudioSuffixConfigValidator.MaximumAudioDurationSeconds)]
    public double DurationSeconds { get; set; } = AudioSuffixConfig.DefaultAudioDurationSeconds;

    [Parameter]
    [ValidateRange(AudioSuffixConfigValidator.MinimumValidationFrameRate, AudioSuffixConfigValidator.MaximumValidationFrameRate)]
    public int FrameRate { get; set; }

    [Parameter]
    [ValidateRange(1, 1000)]
    public int Steps { get; set; } = 30;

    [Parameter]
    [ValidateRange(0.0, 100.0)]
    public double CfgScale { get; set; } = 7.0;

    [Parameter]
    [ValidateRange(AudioSuffixConfigValidator.MinimumStgScale, AudioSuffixConfigValidator.MaximumStgScale)]
    public double StgScale { get; set; } = 1.0;

    [Parameter]
    [ValidateCount(1, 1000)]
    [ValidateRange(0, 1000)]
    public int[] StgBlocks { get; set; } = [28];

    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double GuidanceRescale { get; set; } = 0.7;

    [Parameter]
    [ValidateRange(0L, long.MaxValue)]
    public long Seed { get; set; } = 42;

    /// <summary>A folder (default: the current location) or, for one clip, the .wav file to write.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string OutputPath { get; set; } = ".";

    [Parameter]
    [ValidatePattern(@"^(?i)(cpu|cuda|cuda:\d+)$")]
    public string Device { get; set; } = "cpu";

    /// <summary>Caption-embedding cache shared across runs (and with training).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CaptionCachePath { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? FfmpegPath { get; set; }

    /// <summary>Keep the clip's trailing silence instead of ending the suffix on its last audible sound.</summary>
    [Parameter]
    public SwitchParameter NoSilenceTrim { get; set; }

    /// <summary>Replace output files that already exist.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void BeginProcessing()
    {
        // Everything that needs no model is checked here, before any clip is read or any model loads.
        _modelPath = ResolvePath(ModelPath);
        _textEncoderPath = ResolvePath(TextEncoderPath);
        if (!File.Exists(_modelPath) && !Directory.Exists(_modelPath))
            ThrowEngineError(new FileNotFoundException($"Model checkpoint not found: {_modelPath}", _modelPath), _modelPath);
        if (!Directory.Exists(_textEncoderPath))
            ThrowEngineError(new DirectoryNotFoundException($"Text encoder (Gemma 3 folder) not found: {_textEncoderPath}"), _textEncoderPath);
        DeviceName.Parse(Device);   // a bad name stops here, not after the first clip
        _ffmpeg = FfmpegLocator.Find(FfmpegPath is null ? null : ResolvePath(FfmpegPath));
    }

    protected override void ProcessRecordCore()
    {
        var loras = Lora.Select(l => l with { Path = ResolvePath(l.Path) }).ToArray();
        foreach (var input in Path)
        {
            bool isUrl = Uri.TryCreate(input, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
            foreach (var source in isUrl ? [input] : ResolveWildcardPath(input))
            {
                try
                {
                    PreviewOne(source, isUrl ? uri : null, loras);
                }
                catch (Exception e) when (e is not PipelineStoppedException and not RuntimeException)
                {
                    WriteEngineError(e, source);
                }
            }
        }
    }

    private void PreviewOne(string source, Uri? url, LoraReference[] loras)
    {
        var clock = Stopwatch.StartNew();
        var (wav, png) = Outputs(url is null ? source : url.AbsolutePath);
        var clip = ReadClip(source, url);
        if (clip.TrimmedSilenceSeconds > 0)
            WriteVerbose(string.Create(CultureInfo.InvariantCulture,
                $"{source}: {clip.TrimmedSilenceSeconds:0.00} s of trailing silence dropped; the suffix ends on the last audible sound."));
        var request = new LeadInRequest
        {
            Clip = clip,
            Prompt = Prompt,
            NegativePrompt = NegativePrompt,
            DurationSeconds = DurationSeconds,
            FrameRate = FrameRate > 0 ? FrameRate : null,
            Steps = Steps,
            CfgScale = CfgScale,
            StgScale = StgScale,
            StgBlocks = StgBlocks,
            GuidanceRescale = GuidanceRescale,
            Seed = Seed,
            Loras = loras,
            FuseLoras = FuseLora.IsPresent,
            OutputPath = wav,
        };
        request.Validate();
        foreach (var file in new[] { wav, png })
            if (File.Exists(file) && !Force)
                throw new IOException($"'{file}' already exists; use -Force to replace it.");
        if (!ShouldProcess(wav, $"Generate a lead-in into '{source}' and write it with its spectrogram")) return;

        bool first = _session is null;
        var preview = RunOnWorker(context =>
        {
            var progress = context.Progress<LeadInProgress>(1, "Lead-in preview", p =>
                ($"{System.IO.Path.GetFileName(source)}: {p.Message}", p.Phase == LeadInPhase.Denoising ? 100 * p.Step / Math.Max(1, p.Steps) : -1));
            if (_session is null)
            {
                context.WriteVerbose($"Loading the audio models from {_modelPath} on {Device} (prompts through {_textEncoderPath}).");
                _session = LeadInGenerator.Open(SessionOptions(), [Prompt, NegativePrompt], progress, context.CancellationToken);
                _openSeconds = _session.OpenSeconds;
            }
            context.WriteVerbose(string.Create(CultureInfo.InvariantCulture,
                $"Generating {request.TargetSeconds:0.###} s ({request.TargetTokens} tokens, {request.Clip.Tokens} of them the closing clip), {Steps} steps, seed {Seed}."));
            // Without -StgBlocks, the official block on a 48-block model, the last block on a smaller one.
            if (!MyInvocation.BoundParameters.ContainsKey(nameof(StgBlocks)))
                request = request with { StgBlocks = [LeadInRequest.DefaultStgBlock(_session.Models.Config.NumLayers)] };
            var result = _session.Generate(request, progress, null, context.CancellationToken);
            SpectrogramPlot.Write(png, result.Channels, result.SampleRate, result.SeamSeconds,
                $"{System.IO.Path.GetFileName(source)}: lead-in {result.LeadInSeconds:0.00} s + suffix {result.SuffixSeconds:0.00} s");
            return LeadInPreview.From(result, result.OutputPath!, png, source, Device, clock.Elapsed.TotalSeconds);
        });
        foreach (var w in preview.Warnings) WriteWarning(w);
        if (first) WriteVerbose(string.Create(CultureInfo.InvariantCulture, $"Models and prompts were ready after {_openSeconds:0.##} s."));
        WriteObject(preview);
    }

    private ClosingClip ReadClip(string source, Uri? url)
    {
        if (url is null) return ClosingClip.FromFile(source, ConditioningSeconds, _ffmpeg, CancellationToken, trimSilence: !NoSilenceTrim);
        var folder = Directory.CreateTempSubdirectory("ltx-leadin-").FullName;
        try
        {
            var file = System.IO.Path.Combine(folder, "clip" + System.IO.Path.GetExtension(url.AbsolutePath));
            using var http = new HttpClient();
            RunOnWorker(context =>
            {
                context.WriteVerbose($"Downloading {url.GetLeftPart(UriPartial.Path)}.");
                new ArchiveDownloader(http, DownloadOptions.Default with { RequireZip = false })
                    .FetchAsync(url, file, null, context.CancellationToken).GetAwaiter().GetResult();
            });
            // Named by its URL in messages and errors, not by the temporary file.
            using var decoder = AudioFormats.Open(file, _ffmpeg, CancellationToken);
            return ClosingClip.FromDecoder(decoder, ConditioningSeconds, url.ToString(), CancellationToken, trimSilence: !NoSilenceTrim);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    // A folder gets "<clip>.leadin.wav" and ".png"; a path ending in .wav is the WAV itself.
    private (string Wav, string Png) Outputs(string sourcePath)
    {
        var target = ResolvePath(OutputPath);
        string wav = target.EndsWith(".wav", StringComparison.OrdinalIgnoreCase) && !Directory.Exists(target)
            ? target
            : System.IO.Path.Combine(target, System.IO.Path.GetFileNameWithoutExtension(sourcePath) + ".leadin.wav");
        return (wav, System.IO.Path.ChangeExtension(wav, ".png"));
    }

    private LeadInSessionOptions SessionOptions()
    {
        var device = DeviceName.Parse(Device);
        var cache = CaptionCachePath is not null
            ? ResolvePath(CaptionCachePath)
            : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create) is { Length: > 0 } local
                ? local : System.IO.Path.GetTempPath(), "LtxTrainer", "caption-embeddings");
        return new LeadInSessionOptions
        {
            Models = new AudioModelSetOptions { CheckpointPath = _modelPath, Device = device },
            TextEncoderPath = _textEncoderPath,
            TextEncoder = new TextEncoderOptions { Device = device },
            CaptionCacheFolder = cache,
        };
    }

    protected override void EndProcessing()
    {
        _session?.Dispose();
        _session = null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _session?.Dispose();
        _session = null;
        base.Dispose(disposing);
    }
}
