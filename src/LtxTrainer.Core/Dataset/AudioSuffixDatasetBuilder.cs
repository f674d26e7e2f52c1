using System.Text;
using LtxTrainer.Core.Audio;
using LtxTrainer.Core.Ingest;

namespace LtxTrainer.Core.Dataset;

/// <summary>
/// Builds an <see cref="AudioSuffixDataset"/> from a zip (path or URL) into a work folder:
/// download → safe extraction → pairing → parallel decode/condition → processed clips + manifest.
/// <para>Work-folder layout: <c>dataset.json</c>, <c>clips/&lt;name&gt;.wav</c> (16 kHz stereo float) and
/// <c>clips/&lt;name&gt;.txt</c> (caption as used). Downloads and the extracted sources live in
/// <c>download/</c> and <c>extracted/</c> only during the build and are removed afterwards: once built,
/// the dataset needs neither the archive nor its sources. Nothing is ever written outside the work folder.</para>
/// <para>Clips are written to <c>building/</c> and swapped in for the previous dataset only once the new
/// one is complete: a rebuild that fails or is cancelled leaves the dataset already in the folder as it was.</para>
/// </summary>
public sealed class AudioSuffixDatasetBuilder
{
    public const string ExtractedFolder = "extracted";
    public const string DownloadFolder = "download";
    public const string BuildingFolder = "building";

    private readonly DatasetBuildOptions _options;
    private readonly HttpClient? _http;

    public AudioSuffixDatasetBuilder(DatasetBuildOptions? options = null, HttpClient? http = null)
    {
        _options = options ?? DatasetBuildOptions.Default;
        _http = http;
    }

    /// <summary>Builds from an archive URL (http, https or file).</summary>
    public async Task<AudioSuffixDataset> BuildAsync(Uri archive, string workFolder, DatasetSettings settings,
        IProgress<IngestProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        settings.Validated();
        var folder = PrepareWorkFolder(workFolder);
        if (archive.IsFile) return Build(archive.LocalPath, folder, settings, progress, cancellationToken);
        var downloadDir = Path.Combine(folder, DownloadFolder);
        try
        {
            using var ownClient = _http is null ? new HttpClient { Timeout = Timeout.InfiniteTimeSpan } : null;
            var downloader = new ArchiveDownloader(_http ?? ownClient!, _options.DownloadOptions);
            var zip = await downloader.FetchAsync(archive, Path.Combine(downloadDir, "archive.zip"), progress, cancellationToken).ConfigureAwait(false);
            return Build(zip, folder, settings, progress, cancellationToken, ArchiveDownloadException.Redacted(archive));
        }
        finally
        {
            DeleteOwnFolder(downloadDir);
        }
    }

    /// <summary>Builds from a local zip file.</summary>
    public AudioSuffixDataset Build(string zipPath, string workFolder, DatasetSettings settings,
        IProgress<IngestProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Build(zipPath, PrepareWorkFolder(workFolder), settings.Validated(), progress, cancellationToken, Path.GetFullPath(zipPath));

    private AudioSuffixDataset Build(string zipPath, string folder, DatasetSettings settings,
        IProgress<IngestProgress>? progress, CancellationToken cancellationToken, string sourceLabel)
    {
        if (!File.Exists(zipPath)) throw new FileNotFoundException($"Archive not found: {zipPath}", zipPath);
        var extractedDir = Path.Combine(folder, ExtractedFolder);
        var buildingDir = Path.Combine(folder, BuildingFolder);
        try
        {
            DeleteOwnFolder(extractedDir);
            DeleteOwnFolder(buildingDir);
            var extracted = SafeZipExtractor.Extract(zipPath, extractedDir, _options.ArchiveLimits, progress, cancellationToken);
            var (sources, orphans) = ClipPairing.Pair(extracted.Files);
            var ffmpeg = FfmpegLocator.Find(_options.FfmpegPath);
            var needFfmpeg = sources.Where(s => AudioFormats.NeedsFfmpeg(s.Audio.Path)).Select(s => s.Audio.EntryName).ToList();
            if (ffmpeg is null && needFfmpeg.Count > 0) throw new FfmpegNotFoundException(needFfmpeg);

            Directory.CreateDirectory(buildingDir);
            var outcomes = Process(sources, buildingDir, settings, ffmpeg, progress, cancellationToken);
            var kept = outcomes.OfType<ClipRecord>().ToList();
            var skipped = outcomes.OfType<SkippedClip>().ToList();
            if (kept.Count == 0) throw new NoUsableClipsException(sourceLabel, skipped);

            var dataset = new AudioSuffixDataset(DatasetManifest.CurrentFormatVersion, settings, sourceLabel, DateTimeOffset.UtcNow,
                SuffixCarving.For(settings.AudioDurationSeconds, settings.ConditioningSeconds), kept, skipped,
                extracted.Ignored.Concat(orphans).ToList()) { WorkFolder = folder };
            cancellationToken.ThrowIfCancellationRequested();
            SwapIn(dataset, buildingDir);
            return dataset;
        }
        finally
        {
            DeleteOwnFolder(buildingDir);
            DeleteOwnFolder(extractedDir);
        }
    }

    private object[] Process(IReadOnlyList<ClipSource> sources, string clipsDir, DatasetSettings settings, string? ffmpeg,
        IProgress<IngestProgress>? progress, CancellationToken cancellationToken)
    {
        var outcomes = new object[sources.Count];
        int done = 0;
        var parallel = new ParallelOptions
        {
            CancellationToken = cancellationToken,
            MaxDegreeOfParallelism = _options.MaxParallelism > 0 ? _options.MaxParallelism : Environment.ProcessorCount,
        };
        var carving = SuffixCarving.For(settings.AudioDurationSeconds, settings.ConditioningSeconds);
        Parallel.For(0, sources.Count, parallel, i =>
        {
            outcomes[i] = ProcessOne(sources[i], clipsDir, settings, carving, ffmpeg, cancellationToken);
            progress?.Report(new IngestProgress(IngestStage.Decoding, Interlocked.Increment(ref done), sources.Count, sources[i].Audio.EntryName));
        });
        return outcomes;
    }

    private static object ProcessOne(ClipSource source, string clipsDir, DatasetSettings settings, SuffixCarving carving, string? ffmpeg, CancellationToken cancellationToken)
    {
        SkippedClip Skip(ClipSkipKind kind, string reason) => new(source.Name, source.Audio.EntryName, kind, reason);
        if (source.Audio.Damage is not null) return Skip(ClipSkipKind.Unreadable, source.Audio.Damage);
        if (source.Caption?.Damage is not null) return Skip(ClipSkipKind.BadCaption, "caption " + source.Caption.Damage);
        string caption;
        try
        {
            var text = source.Caption is null ? null : CaptionText.Read(source.Caption.Path);
            caption = ClipPairing.ComposeCaption(settings.TriggerPhrase, text);
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            return Skip(ClipSkipKind.BadCaption, e.Message);
        }

        ConditionedAudio audio;
        try
        {
            if (new FileInfo(source.Audio.Path).Length == 0) return Skip(ClipSkipKind.Unreadable, "empty file (0 bytes)");
            audio = ClipConditioner.Condition(source.Audio.Path, settings.ToFitOptions(), ffmpeg, cancellationToken);
        }
        catch (ClipUnusableException e)
        {
            return Skip(e.Kind, e.Message);
        }
        catch (AudioDecodeException e)
        {
            return Skip(ClipSkipKind.Unreadable, e.Reason);
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            // A decoder library failing in an unforeseen way on hostile data is that clip's problem only.
            return Skip(ClipSkipKind.Unreadable, $"decoder failed ({e.GetType().Name}: {e.Message})");
        }

        // Manifest paths use '/' on every OS so a work folder can move between machines.
        var audioFile = DatasetManifest.ClipsFolder + "/" + source.Name + ".wav";
        var captionFile = DatasetManifest.ClipsFolder + "/" + source.Name + ".txt";
        StereoWavFile.Write(Path.Combine(clipsDir, source.Name + ".wav"), audio.Left, audio.Right, AudioLatentTiming.SampleRate);
        File.WriteAllText(Path.Combine(clipsDir, source.Name + ".txt"), caption, new UTF8Encoding(false));
        return new ClipRecord(source.Name, source.Audio.EntryName, source.Caption?.EntryName, caption, audioFile, captionFile,
            audio.SourceSampleRate, audio.SourceChannels, Math.Round(audio.SourceSeconds, 6), settings.AudioDurationSeconds, audio.Left.Length,
            carving.LeadInSeconds, carving.SuffixSeconds, carving.LeadInSteps, carving.SuffixSteps, carving.ClipSteps,
            audio.PeakBeforeNormalization, audio.Gain, audio.StretchRatio);
    }

    // The old manifest goes first, the new one last: an interruption in between leaves a folder without
    // a manifest (refused on reopen), never a manifest naming clips that are not its own.
    private static void SwapIn(AudioSuffixDataset dataset, string buildingDir)
    {
        var clipsDir = Path.Combine(dataset.WorkFolder, DatasetManifest.ClipsFolder);
        File.Delete(dataset.ManifestPath);
        DeleteOwnFolder(clipsDir);
        Directory.Move(buildingDir, clipsDir);
        DatasetManifest.Write(dataset);
    }

    private static string PrepareWorkFolder(string workFolder)
    {
        if (string.IsNullOrWhiteSpace(workFolder)) throw new ArgumentException("A work folder is required.", nameof(workFolder));
        var folder = Path.GetFullPath(workFolder);
        Directory.CreateDirectory(folder);
        return folder;
    }

    private static void DeleteOwnFolder(string path)
    {
        if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
    }
}
