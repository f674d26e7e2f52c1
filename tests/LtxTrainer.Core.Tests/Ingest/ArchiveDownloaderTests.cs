using System.Net;
using LtxTrainer.Core.Ingest;
using LtxTrainer.TestData;

namespace LtxTrainer.Core.Tests.Ingest;

public sealed class ArchiveDownloaderTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };

    public void Dispose()
    {
        _http.Dispose();
        _temp.Dispose();
    }

    private byte[] SmallZip() => File.ReadAllBytes(new ZipBuilder().Text("a.txt", "hello").Save(_temp.Input("small.zip")));

    // The idle timeout is generous: on a loaded machine a loopback accept can take most of a second, and a
    // spurious timeout would shift which reply each attempt gets. The stall test sets its own short one.
    private static DownloadOptions Fast(long maxBytes = 1 << 20) =>
        new(maxBytes, Attempts: 3, InitialBackoff: TimeSpan.FromMilliseconds(20), IdleTimeout: TimeSpan.FromSeconds(10));

    private string Destination => Path.Combine(_temp.Work, "download", "archive.zip");

    private void AssertNothingLeftBehind() =>
        Assert.Empty(Directory.Exists(Path.GetDirectoryName(Destination)) ? Directory.GetFiles(Path.GetDirectoryName(Destination)!) : []);

    [Fact]
    public async Task DownloadsWithProgressUnderTheFinalNameOnly()
    {
        var zip = SmallZip();
        await using var server = new LocalHttpServer((_, _) => new(200, zip));
        var reports = new List<IngestProgress>();
        var path = await new ArchiveDownloader(_http, Fast()).FetchAsync(server.Url("data.zip"), Destination, new SyncProgress<IngestProgress>(reports.Add));
        Assert.Equal(Destination, path);
        Assert.Equal(zip, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(Destination)!));
        Assert.Contains(reports, r => r.Stage == IngestStage.Downloading && r.Done == zip.Length && r.BytesPerSecond > 0);
    }

    [Fact]
    public async Task ClientErrorsFailAtOnceWithoutCredentialsInTheMessage()
    {
        await using var server = new LocalHttpServer((_, _) => new(404, "missing"u8.ToArray()));
        var e = await Assert.ThrowsAsync<ArchiveDownloadException>(() => new ArchiveDownloader(_http, Fast()).FetchAsync(server.Url("x.zip"), Destination));
        Assert.Equal(HttpStatusCode.NotFound, e.StatusCode);
        Assert.Equal(1, server.Requests);
        Assert.DoesNotContain("secret", e.Message);
        AssertNothingLeftBehind();
    }

    [Fact]
    public async Task ServerErrorsAreRetriedWithBackoff()
    {
        var zip = SmallZip();
        await using var server = new LocalHttpServer((i, _) => i < 3 ? new(i == 1 ? 500 : 503, "busy"u8.ToArray()) : new(200, zip));
        var notices = new List<string>();
        var options = Fast() with { InitialBackoff = TimeSpan.FromMilliseconds(50) };
        var path = await new ArchiveDownloader(_http, options).FetchAsync(server.Url("x.zip"), Destination,
            new SyncProgress<IngestProgress>(p => { if (p.Current is not null) notices.Add(p.Current); }));
        Assert.Equal(3, server.Requests);
        Assert.Equal(zip, File.ReadAllBytes(path));
        // The wait doubles before each further try.
        Assert.Equal(2, notices.Count);
        Assert.Contains("attempt 1 of 3 failed (server answered 500", notices[0]);
        Assert.EndsWith("retrying in 0.05 s", notices[0]);
        Assert.Contains("attempt 2 of 3 failed (server answered 503", notices[1]);
        Assert.EndsWith("retrying in 0.1 s", notices[1]);
    }

    [Fact]
    public async Task PersistentServerErrorsGiveUpAfterTheAttempts()
    {
        await using var server = new LocalHttpServer((_, _) => new(500, "down"u8.ToArray()));
        var e = await Assert.ThrowsAsync<ArchiveDownloadException>(() => new ArchiveDownloader(_http, Fast()).FetchAsync(server.Url("x.zip"), Destination));
        Assert.Contains("failed after 3 attempts", e.Message);
        Assert.Equal(HttpStatusCode.InternalServerError, e.StatusCode);
        AssertNothingLeftBehind();
    }

    [Fact]
    public async Task CancellingMidTransferIsACancellationAndLeavesNoPartialFile()
    {
        var zip = SmallZip();
        await using var server = new LocalHttpServer((_, _) => new(200, zip, StallAfterHalf: TimeSpan.FromSeconds(20)));
        using var cancel = new CancellationTokenSource();
        var progress = new SyncProgress<IngestProgress>(p => { if (p.Done > 0) cancel.CancelAfter(200); });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new ArchiveDownloader(_http, Fast()).FetchAsync(server.Url("x.zip"), Destination, progress, cancel.Token));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Equal(1, server.Requests);
        AssertNothingLeftBehind();
    }

    [Fact]
    public async Task StalledTransfersTimeOutAndLeaveNoPartialFile()
    {
        var zip = SmallZip();
        await using var server = new LocalHttpServer((_, _) => new(200, zip, StallAfterHalf: TimeSpan.FromSeconds(5)));
        var e = await Assert.ThrowsAsync<ArchiveDownloadException>(() => new ArchiveDownloader(_http, Fast() with { Attempts = 2, IdleTimeout = TimeSpan.FromMilliseconds(700) }).FetchAsync(server.Url("x.zip"), Destination));
        Assert.Contains("stalled", e.Message);
        AssertNothingLeftBehind();
    }

    [Fact]
    public async Task NonZipContentIsRefused()
    {
        await using var server = new LocalHttpServer((_, _) => new(200, "<html>login page</html>"u8.ToArray()));
        var e = await Assert.ThrowsAsync<ArchiveDownloadException>(() => new ArchiveDownloader(_http, Fast()).FetchAsync(server.Url("x.zip"), Destination));
        Assert.Contains("not a zip", e.Message);
        AssertNothingLeftBehind();
    }

    [Fact]
    public async Task OtherFilesAreFetchedWhenAZipIsNotRequired()
    {
        var wav = WavBytes.Pcm16(WavBytes.Sine(440, 0.1, 8000), 8000, 1);
        await using var server = new LocalHttpServer((_, _) => new(200, wav));
        var path = await new ArchiveDownloader(_http, Fast() with { RequireZip = false }).FetchAsync(server.Url("clip.wav"), Destination);
        Assert.Equal(wav, File.ReadAllBytes(path));
    }

    [Fact]
    public async Task OversizedArchivesAreRefusedByHeaderAndWhileStreaming()
    {
        var big = new byte[4096];
        "PK\u0003\u0004"u8.CopyTo(big);
        await using var server = new LocalHttpServer((i, _) => new(200, big, Chunked: i > 1));
        var byHeader = await Assert.ThrowsAsync<ArchiveDownloadException>(() => new ArchiveDownloader(_http, Fast(maxBytes: 1000)).FetchAsync(server.Url("x.zip"), Destination));
        Assert.Contains("over the 1000-byte limit", byHeader.Message);
        var whileStreaming = await Assert.ThrowsAsync<ArchiveDownloadException>(() => new ArchiveDownloader(_http, Fast(maxBytes: 1000)).FetchAsync(server.Url("x.zip"), Destination));
        Assert.Contains("exceeds the 1000-byte limit", whileStreaming.Message);
        Assert.Equal(2, server.Requests);
        AssertNothingLeftBehind();
    }

    [Fact]
    public async Task TruncatedBodiesAreRetried()
    {
        var zip = SmallZip();
        await using var server = new LocalHttpServer((i, _) => i == 1 ? new(200, zip[..(zip.Length / 2)], ContentLength: zip.Length) : new(200, zip));
        var path = await new ArchiveDownloader(_http, Fast()).FetchAsync(server.Url("x.zip"), Destination);
        Assert.Equal(zip, File.ReadAllBytes(path));
        Assert.Equal(2, server.Requests);
    }

    [Fact]
    public async Task FileUrisAreUsedInPlace()
    {
        var zipPath = new ZipBuilder().Text("a.txt", "x").Save(_temp.Input("local.zip"));
        Assert.Equal(zipPath, await new ArchiveDownloader(_http).FetchAsync(new Uri(zipPath), Destination));
        await Assert.ThrowsAsync<ArchiveDownloadException>(() => new ArchiveDownloader(_http).FetchAsync(new Uri(zipPath + ".missing"), Destination));
    }
}
