using LtxTrainer.Core.Ingest;

namespace LtxTrainer.Core.Dataset;

/// <summary>Tools and limits of a dataset build (not part of the dataset itself).</summary>
/// <param name="FfmpegPath">ffmpeg to use; null looks at LTXTRAINER_FFMPEG, then the PATH.</param>
/// <param name="ArchiveLimits">Zip-bomb and entry-count limits.</param>
/// <param name="DownloadOptions">Retries, size limit and timeouts for URLs.</param>
/// <param name="MaxParallelism">Clips decoded at once; 0 uses every core.</param>
/// <param name="FfmpegStallTimeout">How long ffmpeg may give no output before it is taken to be hung (default <see cref="Audio.FfmpegDecoder.DefaultStallTimeout"/>).</param>
public sealed record DatasetBuildOptions(
    string? FfmpegPath = null,
    ArchiveLimits? ArchiveLimits = null,
    DownloadOptions? DownloadOptions = null,
    int MaxParallelism = 0,
    TimeSpan? FfmpegStallTimeout = null)
{
    public static DatasetBuildOptions Default { get; } = new();
}
