using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace LtxTrainer.Core.Ingest;

/// <summary>
/// Fetches an archive from http(s) (or takes a file:// path as is) into a file, streaming with progress.
/// <para>The body goes to a temporary "*.part-*" name beside the destination and is renamed only once
/// complete and recognised as a zip, so an interrupted or failed download never leaves a file under the
/// final name. Transient failures (connection errors, timeouts, 408, 429, 5xx) are retried with
/// exponential back-off; 4xx and non-zip content fail at once.</para>
/// </summary>
public sealed class ArchiveDownloader
{
    private readonly HttpClient _http;
    private readonly DownloadOptions _options;

    public ArchiveDownloader(HttpClient http, DownloadOptions? options = null)
    {
        _http = http;
        _options = options ?? DownloadOptions.Default;
    }

    /// <summary>
    /// Returns a local path of the archive: the file itself for file:// URIs, otherwise
    /// <paramref name="destination"/> after a successful download.
    /// </summary>
    public async Task<string> FetchAsync(Uri uri, string destination, IProgress<IngestProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (!uri.IsAbsoluteUri) throw new ArgumentException("The archive URI must be absolute.", nameof(uri));
        if (uri.IsFile)
        {
            if (!File.Exists(uri.LocalPath)) throw new ArchiveDownloadException(uri, "file not found");
            return uri.LocalPath;
        }
        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            throw new ArchiveDownloadException(uri, $"unsupported scheme '{uri.Scheme}' (use http, https or file)");

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(destination))!);
        var delay = _options.Backoff;
        for (int attempt = 1; ; attempt++)
        {
            var part = destination + ".part-" + Guid.NewGuid().ToString("N");
            try
            {
                await DownloadOnceAsync(uri, part, progress, cancellationToken).ConfigureAwait(false);
                if (_options.RequireZip) EnsureZip(uri, part);
                File.Move(part, destination, overwrite: true);
                return destination;
            }
            catch (TransientDownloadException e) when (attempt < _options.Attempts)
            {
                progress?.Report(new IngestProgress(IngestStage.Downloading, 0, -1, string.Create(CultureInfo.InvariantCulture,
                    $"attempt {attempt} of {_options.Attempts} failed ({e.Message}); retrying in {delay.TotalSeconds:0.###} s")));
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay += delay;
            }
            catch (TransientDownloadException e)
            {
                throw new ArchiveDownloadException(uri, $"failed after {attempt} attempts: {e.Message}", e.StatusCode, e);
            }
            finally
            {
                if (File.Exists(part)) File.Delete(part);
            }
        }
    }

    private async Task DownloadOnceAsync(Uri uri, string part, IProgress<IngestProgress>? progress, CancellationToken cancellationToken)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        idle.CancelAfter(_options.Idle);
        HttpResponseMessage response;
        try
        {
            response = await _http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, idle.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TransientDownloadException($"no response within {_options.Idle.TotalSeconds:0} s");
        }
        catch (HttpRequestException e)
        {
            throw new TransientDownloadException("connection failed: " + e.Message);
        }
        using (response)
        {
            int status = (int)response.StatusCode;
            if (status == 408 || status == 429 || status >= 500)
                throw new TransientDownloadException($"server answered {status} {response.ReasonPhrase}", response.StatusCode);
            if (!response.IsSuccessStatusCode)
                throw new ArchiveDownloadException(uri, $"server answered {status} {response.ReasonPhrase}", response.StatusCode);
            long? total = response.Content.Headers.ContentLength;
            if (total > _options.MaxBytes)
                throw new ArchiveDownloadException(uri, $"the archive is {total} bytes, over the {_options.MaxBytes}-byte limit");

            var clock = Stopwatch.StartNew();
            long received = 0, lastReport = 0;
            var buffer = new byte[81920];
            try
            {
                await using var body = await response.Content.ReadAsStreamAsync(idle.Token).ConfigureAwait(false);
                await using var file = new FileStream(part, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
                while (true)
                {
                    idle.CancelAfter(_options.Idle);
                    int n = await body.ReadAsync(buffer, idle.Token).ConfigureAwait(false);
                    if (n == 0) break;
                    received += n;
                    if (received > _options.MaxBytes)
                        throw new ArchiveDownloadException(uri, $"the archive exceeds the {_options.MaxBytes}-byte limit");
                    await file.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                    if (progress is not null && (received - lastReport >= 1 << 20 || lastReport == 0))
                    {
                        lastReport = received;
                        progress.Report(new IngestProgress(IngestStage.Downloading, received, total ?? -1, null, received / Math.Max(1e-3, clock.Elapsed.TotalSeconds)));
                    }
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TransientDownloadException($"the transfer stalled for {_options.Idle.TotalSeconds:0} s");
            }
            catch (Exception e) when (e is IOException or HttpRequestException)
            {
                throw new TransientDownloadException("the transfer broke off: " + e.Message);
            }
            if (total is not null && received != total)
                throw new TransientDownloadException($"received {received} of {total} bytes");
            progress?.Report(new IngestProgress(IngestStage.Downloading, received, total ?? received, null, received / Math.Max(1e-3, clock.Elapsed.TotalSeconds)));
        }
    }

    private static void EnsureZip(Uri uri, string path)
    {
        Span<byte> head = stackalloc byte[4];
        int n;
        using (var file = File.OpenRead(path)) n = file.Read(head);
        bool zip = n == 4 && head[0] == (byte)'P' && head[1] == (byte)'K' && (head[2], head[3]) is (3, 4) or (5, 6);
        if (!zip) throw new ArchiveDownloadException(uri, "the content is not a zip archive");
    }

    private sealed class TransientDownloadException(string message, HttpStatusCode? statusCode = null) : Exception(message)
    {
        public HttpStatusCode? StatusCode { get; } = statusCode;
    }
}
