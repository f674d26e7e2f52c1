using LtxTrainer.Core.Audio;
using LtxTrainer.Core.Dataset;
using LtxTrainer.Core.Ingest;
using LtxTrainer.Core.Tests.Ingest;
using LtxTrainer.TestData;

namespace LtxTrainer.Core.Tests.Dataset;

public sealed class AudioSuffixDatasetBuilderTests(UserArchive archive, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<UserArchive>, IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static DatasetSettings Settings => new(UserArchive.Duration, UserArchive.Conditioning, TriggerPhrase: "tbx");

    [Fact]
    public void BuildsTheRealArchiveKeepingEveryUsableClipAndSayingWhyOthersWereSkipped()
    {
        var dataset = new AudioSuffixDatasetBuilder().Build(archive.ZipPath, _temp.Work, Settings);

        Assert.Equal(UserArchive.Kept, dataset.Clips.Select(c => c.Name));
        var skipped = dataset.Skipped.ToDictionary(s => s.Name);
        Assert.Equal(new[] { "corrupt", "cowbell", "empty", "garzul", "nan", "silence" }, skipped.Keys.Order());
        Assert.Equal(ClipSkipKind.TooShort, skipped["cowbell"].Kind);
        Assert.Equal("0.17 s < 2.00 s", skipped["cowbell"].Reason);
        Assert.Equal(ClipSkipKind.Silent, skipped["silence"].Kind);
        Assert.Equal(ClipSkipKind.NonFinite, skipped["nan"].Kind);
        // Random bytes may hold a few MPEG sync words: a tolerant decoder yields a blip, which is then too short.
        Assert.Contains(skipped["corrupt"].Kind, new[] { ClipSkipKind.Unreadable, ClipSkipKind.TooShort });
        foreach (var s in dataset.Skipped) output.WriteLine($"{s.SourceEntry}: {s.Kind}: {s.Reason}");
        Assert.Equal("empty file (0 bytes)", skipped["empty"].Reason);
        Assert.Contains(skipped["garzul"].Kind, new[] { ClipSkipKind.Unreadable, ClipSkipKind.TooShort });
        Assert.Equal("My Samples/drums/cowbell.wav", skipped["cowbell"].SourceEntry);
        Assert.Contains(dataset.Ignored, i => i.EntryName == "My Samples/lonely.txt");
        Assert.Contains(dataset.Ignored, i => i.EntryName.StartsWith("__MACOSX/"));

        var clips = dataset.Clips.ToDictionary(c => c.Name);
        Assert.Equal("tbx tabla loop, dry", clips["tabla"].Caption);
        Assert.Equal("tbx glitchy beat", clips["beat_a"].Caption);
        Assert.Equal("tbx guitare à l'été", clips["guitar"].Caption);
        Assert.Equal("tbx glass hum", clips["hum"].Caption);
        Assert.Equal("tbx", clips["safari"].Caption);
        Assert.Null(clips["safari"].CaptionEntry);
        Assert.Equal("tbx", clips["boom"].Caption);
        Assert.Equal(6, clips["surround"].SourceChannels);
        Assert.Equal(1, clips["ride"].SourceChannels);
        foreach (var clip in dataset.Clips)
        {
            Assert.Equal(51, clip.TotalSteps);          // EncodedStepsForSeconds(2.0)
            Assert.Equal(12, clip.SuffixSteps);         // RoundedSteps(0.5), half-to-even
            Assert.Equal(39, clip.LeadInSteps);
            Assert.Equal(0.48, clip.SuffixSeconds, 9);
            Assert.Equal(1.52, clip.LeadInSeconds, 9);
            var (left, right, rate) = StereoWavFile.Read(dataset.AudioPathOf(clip));
            Assert.Equal(16000, rate);
            Assert.Equal(32000, left.Length);
            Assert.Equal(32000, clip.Samples);
            Assert.Equal(PeakLevels.FromDbfs(-1), Math.Max(left.Max(Math.Abs), right.Max(Math.Abs)), 4);
            Assert.InRange(clip.PeakBeforeNormalization, 0.001, 2.0);
            Assert.Equal(clip.Caption, File.ReadAllText(Path.Combine(dataset.WorkFolder, clip.CaptionFile)));
        }
        Assert.Equal(16.0, dataset.TotalSeconds, 9);
        Assert.Empty(_temp.FilesOutsideWork());
        Assert.Equal(new[] { "clips", DatasetManifest.FileName }, Directory.GetFileSystemEntries(_temp.Work).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void ReopensFromTheManifestWithoutTheArchive()
    {
        var built = new AudioSuffixDatasetBuilder(new DatasetBuildOptions(MaxParallelism: 1)).Build(archive.ZipPath, _temp.Work, Settings with { Normalize = false, TrimFrom = TrimFrom.Start });
        var reopened = DatasetManifest.Read(_temp.Work);
        Assert.Equal(DatasetManifest.ToJson(built), DatasetManifest.ToJson(reopened));
        Assert.Equal(built.Settings, reopened.Settings);
        Assert.Equal(built.Carving, reopened.Carving);
        Assert.Equal(built.Clips.ToList(), reopened.Clips.ToList());
        Assert.Equal(_temp.Work, reopened.WorkFolder);
        Assert.All(reopened.Clips, c => Assert.Equal(1.0, c.Gain));
    }

    [Fact]
    public void ATamperedOrIncompleteWorkFolderIsRefusedOnReopen()
    {
        var dataset = new AudioSuffixDatasetBuilder().Build(archive.ZipPath, _temp.Work, Settings);
        var manifest = File.ReadAllText(dataset.ManifestPath);
        File.WriteAllText(dataset.ManifestPath, manifest.Replace("clips/tabla.wav", "../../escape.wav"));
        Assert.Contains("outside the work folder", Assert.Throws<DatasetManifestException>(() => DatasetManifest.Read(_temp.Work)).Message);
        File.WriteAllText(dataset.ManifestPath, manifest);
        File.Delete(dataset.AudioPathOf(dataset.Clips[0]));
        Assert.Contains("missing its file", Assert.Throws<DatasetManifestException>(() => DatasetManifest.Read(_temp.Work)).Message);
        File.WriteAllText(dataset.ManifestPath, "{ not json");
        Assert.Throws<DatasetManifestException>(() => DatasetManifest.Read(_temp.Work));
        Assert.Throws<DatasetManifestException>(() => DatasetManifest.Read(_temp.Inputs));
    }

    [Fact]
    public void MissingFfmpegIsOneErrorNamingEveryFileThatNeedsIt()
    {
        var e = Assert.Throws<FfmpegNotFoundException>(() =>
            new AudioSuffixDatasetBuilder(new DatasetBuildOptions(FfmpegPath: "/nonexistent/ffmpeg")).Build(archive.ZipPath, _temp.Work, Settings));
        Assert.Equal(new[] { "My Samples/ambient/hum.m4a", "My Samples/garzul.flac", "My Samples/Loops/tabla.flac", "My Samples/safari.aac" }.Order(), e.Files.Order());
        Assert.Contains("apt-get install ffmpeg", e.Message);
        Assert.False(Directory.Exists(Path.Combine(_temp.Work, "clips")));
    }

    [Fact]
    public void NoUsableClipIsATerminatingErrorListingEveryReason()
    {
        var zip = new ZipBuilder()
            .File("kit/cowbell.wav", RealAudio.Drum("GMRockKit", "Cowbell-Hard.wav"))
            .Bytes("kit/quiet.wav", WavBytes.Pcm16(new float[3 * 8000], 8000, 1))
            .Save(_temp.Input("useless.zip"));
        var e = Assert.Throws<NoUsableClipsException>(() => new AudioSuffixDatasetBuilder().Build(zip, _temp.Work, Settings));
        Assert.Equal(2, e.Skipped.Count);
        Assert.Contains("kit/cowbell.wav: 0.17 s < 2.00 s", e.Message);
        Assert.Contains("kit/quiet.wav: silent", e.Message);
        Assert.False(File.Exists(Path.Combine(_temp.Work, DatasetManifest.FileName)));
    }

    [Fact]
    public void AnArchiveWithoutAudioSaysSo()
    {
        var zip = new ZipBuilder().Text("notes/readme.txt", "hello").Text("cover.jpg", "x").Save(_temp.Input("noaudio.zip"));
        var e = Assert.Throws<NoUsableClipsException>(() => new AudioSuffixDatasetBuilder().Build(zip, _temp.Work, Settings));
        Assert.Empty(e.Skipped);
        Assert.Contains("holds no audio clips", e.Message);
    }

    [Fact]
    public void StretchToleranceKeepsSlightlyShortClips()
    {
        var ride = RealAudio.Drum("GMRockKit", "24Ride-1.wav"); // 4.29 s
        var zip = new ZipBuilder().File("ride.wav", ride).Save(_temp.Input("ride.zip"));
        var strict = new DatasetSettings(4.5, 1.0);
        Assert.Throws<NoUsableClipsException>(() => new AudioSuffixDatasetBuilder().Build(zip, _temp.Work, strict));
        // The cymbal's decay below -40 dB is silence to the trimming rule, and without it the clip is more than 10 % short.
        var trimmed = Assert.Throws<NoUsableClipsException>(() =>
            new AudioSuffixDatasetBuilder().Build(zip, _temp.Work, strict with { StretchTolerance = 0.1 }));
        Assert.Matches(@"ride\.wav: \d\.\d\d s < 4\.50 s after trimming \d\.\d\d s of silence \(more than the 10 % stretch tolerance\)", trimmed.Message);
        var dataset = new AudioSuffixDatasetBuilder().Build(zip, _temp.Work, strict with { StretchTolerance = 0.1, PreservePitch = true, TrimSilence = false });
        var clip = Assert.Single(dataset.Clips);
        Assert.Equal(4.5 / 4.29, clip.StretchRatio!.Value, 2);
        Assert.Equal(72000, clip.Samples);
    }

    [Fact]
    public async Task BuildsFromAUrlServedLocally()
    {
        var bytes = File.ReadAllBytes(archive.ZipPath);
        await using var server = new LocalHttpServer((i, _) => i == 1 ? new(503, "later"u8.ToArray()) : new(200, bytes));
        var builder = new AudioSuffixDatasetBuilder(new DatasetBuildOptions(DownloadOptions: new DownloadOptions(InitialBackoff: TimeSpan.FromMilliseconds(10))));
        var dataset = await builder.BuildAsync(server.Url("sets/user.zip"), _temp.Work, Settings);
        Assert.Equal(UserArchive.Kept, dataset.Clips.Select(c => c.Name));
        Assert.DoesNotContain("secret", dataset.Source);
        Assert.EndsWith("/sets/user.zip", dataset.Source);
        Assert.Equal(new[] { "clips", DatasetManifest.FileName }, Directory.GetFileSystemEntries(_temp.Work).Select(Path.GetFileName).Order());
        Assert.Empty(_temp.FilesOutsideWork());
    }

    [Fact]
    public void HostileArchiveLeavesTheWorkFolderClean()
    {
        var zip = new ZipBuilder().File("ok.wav", RealAudio.Drum("GMRockKit", "24Ride-1.wav")).Text("../../../pwned.txt", "x").Save(_temp.Input("evil.zip"));
        Assert.Throws<UnsafeArchiveException>(() => new AudioSuffixDatasetBuilder().Build(zip, _temp.Work, Settings));
        Assert.Empty(_temp.FilesOutsideWork());
        Assert.Empty(Directory.GetFiles(_temp.Work, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void CancellationStopsTheBuildAndLeavesNoDataset()
    {
        using var cancel = new CancellationTokenSource();
        var progress = new CancelOnFirstDecode(cancel);
        Assert.ThrowsAny<OperationCanceledException>(() =>
            new AudioSuffixDatasetBuilder(new DatasetBuildOptions(MaxParallelism: 1)).Build(archive.ZipPath, _temp.Work, Settings, progress, cancel.Token));
        Assert.False(File.Exists(Path.Combine(_temp.Work, DatasetManifest.FileName)));
        Assert.False(Directory.Exists(Path.Combine(_temp.Work, DatasetManifest.ClipsFolder)));
        Assert.Empty(Directory.GetFileSystemEntries(_temp.Work));
    }

    [Fact]
    public void ACancelledOrFailedRebuildKeepsThePreviousDataset()
    {
        var builder = new AudioSuffixDatasetBuilder(new DatasetBuildOptions(MaxParallelism: 1));
        var first = builder.Build(archive.ZipPath, _temp.Work, Settings);
        var manifest = File.ReadAllText(first.ManifestPath);
        var clipBytes = File.ReadAllBytes(first.AudioPathOf(first.Clips[0]));

        using (var cancel = new CancellationTokenSource())
            Assert.ThrowsAny<OperationCanceledException>(() =>
                builder.Build(archive.ZipPath, _temp.Work, Settings with { TriggerPhrase = "other" }, new CancelOnFirstDecode(cancel), cancel.Token));
        var useless = new ZipBuilder().Bytes("quiet.wav", WavBytes.Pcm16(new float[3 * 8000], 8000, 1)).Save(_temp.Input("useless.zip"));
        Assert.Throws<NoUsableClipsException>(() => builder.Build(useless, _temp.Work, Settings));

        Assert.Equal(manifest, File.ReadAllText(first.ManifestPath));
        var reopened = DatasetManifest.Read(_temp.Work);
        Assert.Equal(first.Clips.ToList(), reopened.Clips.ToList());
        Assert.Equal(clipBytes, File.ReadAllBytes(reopened.AudioPathOf(reopened.Clips[0])));
        Assert.Equal(new[] { "clips", DatasetManifest.FileName }, Directory.GetFileSystemEntries(_temp.Work).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void UserFilesInTheWorkFolderAreNeverDeletedOrOverwritten()
    {
        // The folders the builder used to own by name, and its clips/ folder, holding the user's own files.
        var userFiles = new[] { "clips/notes.txt", "extracted/mine.txt", "download/archive.zip", "building/keep.txt", "notes.md" }
            .ToDictionary(f => Path.Combine(_temp.Work, f), f => "user content of " + f);
        foreach (var (path, text) in userFiles)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
        }
        var builder = new AudioSuffixDatasetBuilder(new DatasetBuildOptions(MaxParallelism: 1));
        var first = builder.Build(archive.ZipPath, _temp.Work, Settings);
        var second = builder.Build(archive.ZipPath, _temp.Work, Settings with { TriggerPhrase = "again", TrimFrom = TrimFrom.Start });

        foreach (var (path, text) in userFiles) Assert.Equal(text, File.ReadAllText(path));
        Assert.Equal(UserArchive.Kept, first.Clips.Select(c => c.Name));
        Assert.Equal(second.Clips.Select(c => c.Name), DatasetManifest.Read(_temp.Work).Clips.Select(c => c.Name));
        Assert.All(second.Clips, c => Assert.StartsWith("again", File.ReadAllText(second.AudioPathOf(c)[..^4] + ".txt")));
        Assert.Equal(second.Clips.Count * 2 + 1, Directory.GetFiles(Path.Combine(_temp.Work, "clips")).Length);
        Assert.DoesNotContain(Directory.GetDirectories(_temp.Work), d => Path.GetFileName(d).StartsWith('.'));
    }

    [Fact]
    public void AUserFileWhereAClipWouldGoRefusesTheBuildBeforeAnyWork()
    {
        var clips = Directory.CreateDirectory(Path.Combine(_temp.Work, "clips")).FullName;
        File.WriteAllText(Path.Combine(clips, "tabla.wav"), "my own tabla");
        var e = Assert.Throws<WorkFolderConflictException>(() => new AudioSuffixDatasetBuilder().Build(archive.ZipPath, _temp.Work, Settings));
        Assert.Equal(Path.Combine(clips, "tabla.wav"), e.Path);
        Assert.Equal("my own tabla", File.ReadAllText(Path.Combine(clips, "tabla.wav")));
        Assert.Equal(new[] { "clips" }, Directory.GetFileSystemEntries(_temp.Work).Select(Path.GetFileName));

        File.Delete(Path.Combine(clips, "tabla.wav"));
        File.WriteAllText(Path.Combine(_temp.Work, DatasetManifest.FileName), "{\"my\": \"own settings\"}");
        Assert.Throws<WorkFolderConflictException>(() => new AudioSuffixDatasetBuilder().Build(archive.ZipPath, _temp.Work, Settings));
        Assert.Equal("{\"my\": \"own settings\"}", File.ReadAllText(Path.Combine(_temp.Work, DatasetManifest.FileName)));
    }

    [Fact]
    public void AFailedOrStoppedFirstBuildLeavesNoFolderItCreated()
    {
        var work = Path.Combine(_temp.Outside, "new", "work");
        var useless = new ZipBuilder().Bytes("quiet.wav", WavBytes.Pcm16(new float[3 * 8000], 8000, 1)).Save(_temp.Input("useless.zip"));
        Assert.Throws<NoUsableClipsException>(() => new AudioSuffixDatasetBuilder().Build(useless, work, Settings));
        Assert.False(Directory.Exists(Path.Combine(_temp.Outside, "new")));

        using var cancel = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() => new AudioSuffixDatasetBuilder(new DatasetBuildOptions(MaxParallelism: 1))
            .Build(archive.ZipPath, work, Settings, new CancelOnFirstDecode(cancel), cancel.Token));
        Assert.False(Directory.Exists(Path.Combine(_temp.Outside, "new")));

        // A folder that existed before is kept, even empty.
        Assert.Throws<NoUsableClipsException>(() => new AudioSuffixDatasetBuilder().Build(useless, _temp.Work, Settings));
        Assert.True(Directory.Exists(_temp.Work));
    }

    [Fact]
    public void ALongRecordingFadingOutIsKeptOnItsLastAudibleSound()
    {
        // A 10 s guitar recording faded out over its last 4 s and followed by 3 s of silence.
        var faded = FfmpegTool.Convert(RealAudio.Flac("guit_em9"), _temp.Input("faded.wav"), "-af", "afade=t=out:st=6:d=4,apad=pad_dur=3", "-c:a", "pcm_f32le");
        var zip = new ZipBuilder().File("faded.wav", faded).Save(_temp.Input("faded.zip"));
        var dataset = new AudioSuffixDatasetBuilder().Build(zip, _temp.Work, Settings with { Normalize = false });
        var clip = Assert.Single(dataset.Clips);
        Assert.InRange(clip.TrimmedSilenceSeconds, 3.0, 7.0);
        var (left, right, _) = StereoWavFile.Read(dataset.AudioPathOf(clip));
        var suffix = (int)dataset.Carving.SuffixStartSample;
        float suffixPeak = Math.Max(left[suffix..].Max(Math.Abs), right[suffix..].Max(Math.Abs));
        float clipPeak = Math.Max(left.Max(Math.Abs), right.Max(Math.Abs));
        Assert.True(PeakLevels.ToDbfs(suffixPeak / clipPeak) > -40, $"the suffix is sound, not the fade's tail ({PeakLevels.ToDbfs(suffixPeak / clipPeak):0.0} dB)");
        Assert.True(PeakLevels.ToDbfs(clip.PeakBeforeNormalization) > -40, "the window is not near silence");

        // Without trimming the window is the padding: skipped as silent, as it was before trimming existed.
        var e = Assert.Throws<NoUsableClipsException>(() => new AudioSuffixDatasetBuilder().Build(zip, _temp.Work, Settings with { Normalize = false, TrimSilence = false }));
        Assert.Equal(ClipSkipKind.Silent, Assert.Single(e.Skipped).Kind);
    }

    [Fact]
    public void FilesThatAreNotWhatTheirNameSaysAreSkippedAsUnreadable()
    {
        var noise = new byte[50000];
        new Random(11).NextBytes(noise);
        var mp3 = FfmpegTool.Convert(RealAudio.Flac("loop_tabla"), _temp.Input("tabla.mp3"), "-c:a", "libmp3lame");
        var zip = new ZipBuilder()
            .Bytes("noise.flac", noise)
            .File("tabla.flac", mp3)
            .File("ride.wav", RealAudio.Drum("GMRockKit", "24Ride-1.wav"))
            .Save(_temp.Input("mislabeled.zip"));
        var dataset = new AudioSuffixDatasetBuilder().Build(zip, _temp.Work, Settings);
        Assert.Equal(new[] { "ride" }, dataset.Clips.Select(c => c.Name));
        Assert.All(dataset.Skipped, s => Assert.Equal(ClipSkipKind.Unreadable, s.Kind));
        Assert.All(dataset.Skipped, s => Assert.StartsWith("not a FLAC file", s.Reason));
        Assert.Equal(2, dataset.Skipped.Count);
    }

    private sealed class CancelOnFirstDecode(CancellationTokenSource cancel) : IProgress<IngestProgress>
    {
        public void Report(IngestProgress value)
        {
            if (value.Stage == IngestStage.Decoding) cancel.Cancel();
        }
    }
}
