using System.Text;
using LtxTrainer.Core.Audio;
using LtxTrainer.Core.Ingest;

namespace LtxTrainer.Core.Dataset;

/// <summary>
/// Builds an <see cref="AudioSuffixDataset"/> from a zip (path or URL) into a work folder:
/// download → safe extraction → pairing → parallel decode/condition → processed clips + manifest.
/// <para>Work-folder layout: <c>dataset.json</c>, <c>clips/&lt;name&gt;.wav</c> (16 kHz stereo float) and
/// <c>clips/&lt;name&gt;.txt</c> (caption as used). The download, the extracted sources and the new clips
/// live in a scratch folder of the build's own (<see cref="DatasetWorkFolder"/>) and are removed
/// afterwards: once built, the dataset needs neither the archive nor its sources. Nothing is ever
/// written outside the work folder.</para>
/// <para>The work folder may hold the user's own files: they are never deleted or overwritten. A clip
/// file that would replace one of them refuses the build before any decoding
/// (<see cref="WorkFolderConflictException"/>); a rebuild replaces only the files the previous manifest
/// lists, and only once the new dataset is complete, so a rebuild that fails or is cancelled leaves the
/// dataset already in the folder as it was. A first build that fails removes the folders it created.</para>
/// </summary>
public sealed class AudioSuffixDatasetBuilder
{
    private readonly DatasetBuildOptions _options;
    private readonly HttpClient? _http;

    public AudioSuffixDatasetBuilder(DatasetBuildOptions? options = null, HttpClient? http = null)
    {
        _options = options ?? DatasetBuildOptions.Default;
        _http = http;
    }

    /// <summary>Builds from an archive URL (http, https or file).</summary>
    public Task<AudioSuffixDataset> BuildAsync(Uri archive, string workFolder, DatasetSettings settings,
        IProgress<IngestProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        settings.Validated();
        if (archive.IsFile) return Task.FromResult(Build(archive.LocalPath, workFolder, settings, progress, cancellationToken));
        return InWorkFolder(workFolder, async folder =>
        {
            using var ownClient = _http is null ? new HttpClient { Timeout = Timeout.InfiniteTimeSpan } : null;
            var downloader = new ArchiveDownloader(_http ?? ownClient!, _options.DownloadOptions);
            var zip = await downloader.FetchAsync(archive, Path.Combine(folder.ScratchFolder("download"), "archive.zip"), progress, cancellationToken).ConfigureAwait(false);
            return Build(zip, folder, settings, progress, cancellationToken, ArchiveDownloadException.Redacted(archive));
        });
    }

    /// <summary>Builds from a local zip file.</summary>
    public AudioSuffixDataset Build(string zipPath, string workFolder, DatasetSettings settings,
        IProgress<IngestProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        settings.Validated();
        if (!File.Exists(zipPath)) throw new FileNotFoundException($"Archive not found: {zipPath}", zipPath);
        return InWorkFolder(workFolder, folder => Task.FromResult(Build(zipPath, folder, settings, progress, cancellationToken, Path.GetFullPath(zipPath))))
            .GetAwaiter().GetResult();
    }

    // The scratch space goes whatever happens; a failed build also takes back the folders it created.
    private static async Task<AudioSuffixDataset> InWorkFolder(string workFolder, Func<DatasetWorkFolder, Task<AudioSuffixDataset>> build)
    {
        var folder = DatasetWorkFolder.Open(workFolder);
        try
        {
            var dataset = await build(folder).ConfigureAwait(false);
            folder.DeleteScratch();
            return dataset;
        }
        catch
        {
            folder.DeleteScratch();
            folder.RemoveCreatedFoldersIfEmpty();
            throw;
        }
    }

    private AudioSuffixDataset Build(string zipPath, DatasetWorkFolder folder, DatasetSettings settings,
        IProgress<IngestProgress>? progress, CancellationToken cancellationToken, string sourceLabel)
    {
        if (!File.Exists(zipPath)) throw new FileNotFoundException($"Archive not found: {zipPath}", zipPath);
        var owned = folder.OwnedFiles();
        var extracted = SafeZipExtractor.Extract(zipPath, folder.ScratchFolder("extracted"), _options.ArchiveLimits, progress, cancellationToken);
        var (sources, orphans) = ClipPairing.Pair(extracted.Files);
        folder.CheckClipFilesAreFree(sources.SelectMany(s => new[] { s.Name + ".wav", s.Name + ".txt" }), owned);
        var ffmpeg = FfmpegLocator.Find(_options.FfmpegPath);
        var needFfmpeg = sources.Where(s => AudioFormats.NeedsFfmpeg(s.Audio.Path)).Select(s => s.Audio.EntryName).ToList();
        if (ffmpeg is null && needFfmpeg.Count > 0) throw new FfmpegNotFoundException(needFfmpeg);

        var buildingDir = folder.ScratchFolder("building");
        var outcomes = Process(sources, buildingDir, settings, ffmpeg, progress, cancellationToken);
        var kept = outcomes.OfType<ClipRecord>().ToList();
        var skipped = outcomes.OfType<SkippedClip>().ToList();
        if (kept.Count == 0) throw new NoUsableClipsException(sourceLabel, skipped);

        var dataset = new AudioSuffixDataset(DatasetManifest.CurrentFormatVersion, settings, sourceLabel, DateTimeOffset.UtcNow,
            SuffixCarving.For(settings.AudioDurationSeconds, settings.ConditioningSeconds), kept, skipped,
            extracted.Ignored.Concat(orphans).ToList()) { WorkFolder = folder.Path };
        cancellationToken.ThrowIfCancellationRequested();
        folder.SwapIn(dataset, buildingDir, owned);
        return dataset;
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
            outcomes[i] = ProcessOne(sources[i], clipsDir, settings, carving, ffmpeg, _options.FfmpegStallTimeout, cancellationToken);
            progress?.Report(new IngestProgress(IngestStage.Decoding, Interlocked.Increment(ref done), sources.Count, sources[i].Audio.EntryName));
        });
        return outcomes;
    }

    private static object ProcessOne(ClipSource source, string clipsDir, DatasetSettings settings, SuffixCarving carving, string? ffmpeg,
        TimeSpan? ffmpegStallTimeout, CancellationToken cancellationToken)
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
            audio = ClipConditioner.Condition(source.Audio.Path, settings.ToFitOptions(), ffmpeg, cancellationToken, ffmpegStallTimeout);
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
            audio.PeakBeforeNormalization, audio.Gain, audio.StretchRatio, Math.Round(audio.TrimmedSilenceSeconds, 6));
    }
}
