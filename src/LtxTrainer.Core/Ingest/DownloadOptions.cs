namespace LtxTrainer.Core.Ingest;

/// <summary>How an archive is fetched from a URL.</summary>
/// <param name="MaxBytes">Largest archive accepted (checked against Content-Length and while streaming).</param>
/// <param name="Attempts">Tries in all for transient failures (5xx, 408, 429, timeouts, broken connections).</param>
/// <param name="InitialBackoff">Wait before the second try; doubled before each further try.</param>
/// <param name="IdleTimeout">Longest wait for the response or for the next bytes of the body.</param>
/// <param name="RequireZip">Refuse a body that is not a zip (archives); off for other files, e.g. a closing clip.</param>
public sealed record DownloadOptions(
    long MaxBytes = 16L << 30,
    int Attempts = 4,
    TimeSpan? InitialBackoff = null,
    TimeSpan? IdleTimeout = null,
    bool RequireZip = true)
{
    public static DownloadOptions Default { get; } = new();

    public TimeSpan Backoff => InitialBackoff ?? TimeSpan.FromSeconds(1);
    public TimeSpan Idle => IdleTimeout ?? TimeSpan.FromSeconds(60);
}
