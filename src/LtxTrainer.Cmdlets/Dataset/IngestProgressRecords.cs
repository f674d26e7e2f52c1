using System.Globalization;
using System.Management.Automation;
using LtxTrainer.Core.Ingest;

namespace LtxTrainer.Cmdlets.Dataset;

/// <summary>Turns the engine's <see cref="IngestProgress"/> into Write-Progress records, one activity per stage.</summary>
public static class IngestProgressRecords
{
    private const int BaseActivityId = 3100;

    public static ProgressRecord ToRecord(IngestProgress progress)
    {
        var (activity, status) = progress.Stage switch
        {
            IngestStage.Downloading => ("Downloading the archive", DownloadStatus(progress)),
            IngestStage.Extracting => ("Extracting the archive", $"{progress.Done} of {progress.Total}: {progress.Current}"),
            IngestStage.Decoding => ("Decoding clips", $"{progress.Done} of {progress.Total}: {progress.Current}"),
            _ => ("Writing the dataset", progress.Current ?? ""),
        };
        int percent = progress.Total > 0 ? (int)Math.Clamp(100 * progress.Done / progress.Total, 0, 100) : -1;
        return new ProgressRecord(BaseActivityId + (int)progress.Stage, activity, string.IsNullOrEmpty(status) ? activity : status)
        {
            PercentComplete = percent,
        };
    }

    /// <summary>The verbose line for a report that carries a notice (a download retry), else null.</summary>
    public static string? ToVerbose(IngestProgress progress) =>
        progress.Stage == IngestStage.Downloading && !string.IsNullOrEmpty(progress.Current) ? "Download: " + progress.Current : null;

    private static string DownloadStatus(IngestProgress p)
    {
        if (!string.IsNullOrEmpty(p.Current)) return p.Current; // a retry notice
        var rate = p.BytesPerSecond is { } bps ? $" at {Megabytes((long)bps)}/s" : "";
        var total = p.Total > 0 ? $" of {Megabytes(p.Total)}" : "";
        return $"{Megabytes(p.Done)}{total}{rate}";
    }

    private static string Megabytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:0.0} MB");
}
