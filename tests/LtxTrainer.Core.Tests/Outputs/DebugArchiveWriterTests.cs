using System.IO.Compression;
using System.Text.Json;
using LtxTrainer.Core.Dataset;
using LtxTrainer.Core.Outputs;
using LtxTrainer.Core.Tests.Ingest;
using LtxTrainer.TestData;

namespace LtxTrainer.Core.Tests.Outputs;

public sealed class DebugArchiveWriterTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void ExportsClipsCaptionsAndTheManifestWithSkipReasons()
    {
        var zip = new ZipBuilder()
            .File("kit/ride.wav", RealAudio.Drum("GMRockKit", "24Ride-1.wav")).Text("kit/ride.txt", "open ride")
            .File("kit/cowbell.wav", RealAudio.Drum("GMRockKit", "Cowbell-Hard.wav"))
            .Save(_temp.Input("kit.zip"));
        var dataset = new AudioSuffixDatasetBuilder().Build(zip, _temp.Work, new DatasetSettings(2.0, 0.5, "drm"));
        var extra = _temp.Input("latents.safetensors");
        File.WriteAllBytes(extra, new byte[] { 1, 2, 3 });

        var file = DebugArchiveWriter.Write(dataset, Path.Combine(_temp.Work, "debug", "dataset-debug.zip"),
            new Dictionary<string, string> { ["latents/ride.safetensors"] = extra });

        using var archive = ZipFile.OpenRead(file.FullName);
        Assert.Equal(new[] { "clips/ride.txt", "clips/ride.wav", "dataset.json", "latents/ride.safetensors" }, archive.Entries.Select(e => e.FullName).Order());
        using var manifest = JsonDocument.Parse(archive.GetEntry("dataset.json")!.Open());
        var skipped = manifest.RootElement.GetProperty("skipped")[0];
        Assert.Equal("TooShort", skipped.GetProperty("kind").GetString());
        Assert.Equal("0.17 s < 2.00 s", skipped.GetProperty("reason").GetString());
        using var caption = new StreamReader(archive.GetEntry("clips/ride.txt")!.Open());
        Assert.Equal("drm open ride", caption.ReadToEnd());
        Assert.Equal(new FileInfo(dataset.AudioPathOf(dataset.Clips[0])).Length, archive.GetEntry("clips/ride.wav")!.Length);
        Assert.Single(Directory.GetFiles(Path.Combine(_temp.Work, "debug")));
    }

    [Fact]
    public void RefusesExtraFilesWithHostileNames()
    {
        var zip = new ZipBuilder().File("ride.wav", RealAudio.Drum("GMRockKit", "24Ride-1.wav")).Save(_temp.Input("one.zip"));
        var dataset = new AudioSuffixDatasetBuilder().Build(zip, _temp.Work, new DatasetSettings(2.0, 0.5));
        var target = Path.Combine(_temp.Work, "debug.zip");
        Assert.Throws<ArgumentException>(() => DebugArchiveWriter.Write(dataset, target, new Dictionary<string, string> { ["../evil"] = zip }));
        Assert.False(File.Exists(target));
        Assert.Empty(Directory.GetFiles(_temp.Work, "debug.zip*"));
    }

    [Fact]
    public void AStoppedExportLeavesTheEarlierArchiveAndNoTemporaryFile()
    {
        var zip = new ZipBuilder()
            .File("a/ride.wav", RealAudio.Drum("GMRockKit", "24Ride-1.wav"))
            .File("b/ride2.wav", RealAudio.Drum("GMRockKit", "24Ride-1.wav"))
            .Save(_temp.Input("two.zip"));
        var dataset = new AudioSuffixDatasetBuilder().Build(zip, _temp.Work, new DatasetSettings(2.0, 0.5));
        var target = Path.Combine(_temp.Work, "debug.zip");
        var earlier = DebugArchiveWriter.Write(dataset, target);
        var earlierBytes = File.ReadAllBytes(earlier.FullName);

        using var cancel = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            DebugArchiveWriter.Write(dataset, target, null, new SyncProgress<int>(_ => cancel.Cancel()), cancel.Token));
        Assert.Equal(earlierBytes, File.ReadAllBytes(target));
        Assert.Equal(new[] { target }, Directory.GetFiles(_temp.Work, "debug.zip*"));
    }
}
