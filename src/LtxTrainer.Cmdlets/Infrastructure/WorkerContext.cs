using System.Collections.Concurrent;
using System.Management.Automation;

namespace LtxTrainer.Cmdlets.Infrastructure;

/// <summary>
/// Handed to work started by <see cref="LtxCmdlet.RunOnWorker{T}"/>: everything here is safe to call from
/// any thread; the writes happen later on the pipeline thread, in the order they were posted.
/// </summary>
public sealed class WorkerContext
{
    private readonly PipelineMessagePump _pump;
    private readonly ConcurrentDictionary<int, ProgressRecord> _openActivities = new();

    internal WorkerContext(PipelineMessagePump pump, CancellationToken cancellationToken)
    {
        _pump = pump;
        CancellationToken = cancellationToken;
    }

    /// <summary>Cancelled when the pipeline is stopped; pass it to every engine call.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Writes an object to the output pipeline.</summary>
    public void WriteObject(object? value) => _pump.Post(c => c.WriteObject(value));

    public void WriteVerbose(string message) => _pump.Post(c => c.WriteVerbose(message));

    public void WriteWarning(string message) => _pump.Post(c => c.WriteWarning(message));

    public void WriteDebug(string message) => _pump.Post(c => c.WriteDebug(message));

    /// <summary>Writes a non-terminating error.</summary>
    public void WriteError(ErrorRecord record) => _pump.Post(c => c.WriteError(record));

    /// <summary>An <see cref="IProgress{T}"/> of plain messages that become verbose output (engine logs).</summary>
    public IProgress<string> VerboseLog => new PostingProgress<string>(WriteVerbose);

    /// <summary>An <see cref="IProgress{T}"/> of plain messages that become warnings.</summary>
    public IProgress<string> WarningLog => new PostingProgress<string>(WriteWarning);

    /// <summary>
    /// An <see cref="IProgress{T}"/> for engine progress values: each report is turned into a
    /// <see cref="ProgressRecord"/> by <paramref name="toRecord"/> (on the reporting thread) and written
    /// with Write-Progress. Activities left open are completed when the work ends.
    /// </summary>
    public IProgress<T> Progress<T>(Func<T, ProgressRecord> toRecord)
    {
        ArgumentNullException.ThrowIfNull(toRecord);
        return new PostingProgress<T>(value => WriteProgress(toRecord(value)));
    }

    /// <summary>
    /// As <see cref="Progress{T}(Func{T, ProgressRecord})"/>, and each report for which
    /// <paramref name="toVerbose"/> gives text also goes to the verbose stream (notices such as a retry,
    /// which should outlive the progress bar).
    /// </summary>
    public IProgress<T> Progress<T>(Func<T, ProgressRecord> toRecord, Func<T, string?> toVerbose)
    {
        ArgumentNullException.ThrowIfNull(toRecord);
        ArgumentNullException.ThrowIfNull(toVerbose);
        return new PostingProgress<T>(value =>
        {
            WriteProgress(toRecord(value));
            if (toVerbose(value) is { Length: > 0 } text) WriteVerbose(text);
        });
    }

    /// <summary>
    /// Convenience form of <see cref="Progress{T}(Func{T, ProgressRecord})"/>: one activity, whose status
    /// text and percentage (0–100, or −1 when unknown) come from each reported value.
    /// </summary>
    public IProgress<T> Progress<T>(int activityId, string activity, Func<T, (string Status, int Percent)> describe)
    {
        ArgumentNullException.ThrowIfNull(describe);
        return Progress<T>(value =>
        {
            var (status, percent) = describe(value);
            return new ProgressRecord(activityId, activity, string.IsNullOrEmpty(status) ? activity : status)
            {
                PercentComplete = Math.Clamp(percent, -1, 100),
            };
        });
    }

    /// <summary>Writes a progress record (Write-Progress).</summary>
    public void WriteProgress(ProgressRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.RecordType == ProgressRecordType.Completed) _openActivities.TryRemove(record.ActivityId, out _);
        else _openActivities[record.ActivityId] = record;
        _pump.Post(c => c.WriteProgress(record));
    }

    /// <summary>Closes every progress bar the work left open (called on the pipeline thread at the end).</summary>
    internal void CompleteProgress(Cmdlet cmdlet)
    {
        foreach (var open in _openActivities.Values)
        {
            try
            {
                cmdlet.WriteProgress(new ProgressRecord(open.ActivityId, open.Activity, open.StatusDescription)
                {
                    RecordType = ProgressRecordType.Completed,
                });
            }
            catch (PipelineStoppedException) { /* nothing left to tidy on a stopped pipeline */ }
        }
        _openActivities.Clear();
    }

    /// <summary>Calls back synchronously on the reporting thread (unlike <see cref="System.Progress{T}"/>, which
    /// would capture a synchronization context); the callback only enqueues.</summary>
    private sealed class PostingProgress<T>(Action<T> post) : IProgress<T>
    {
        public void Report(T value) => post(value);
    }
}
