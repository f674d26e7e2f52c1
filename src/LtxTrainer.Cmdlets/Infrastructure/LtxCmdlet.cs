using System.Management.Automation;
using System.Runtime.ExceptionServices;

namespace LtxTrainer.Cmdlets.Infrastructure;

/// <summary>
/// Base of every LtxTrainer cmdlet. Gives derived cmdlets:
/// <list type="bullet">
/// <item><see cref="CancellationToken"/>, cancelled when the user presses Ctrl+C (<see cref="StopProcessing"/>);</item>
/// <item><see cref="RunOnWorker{T}"/>, which runs engine work on a worker thread and meanwhile writes the
///   progress, verbose, warning and output messages the work posts, on the pipeline thread (PowerShell's
///   Write* methods must not be called from other threads);</item>
/// <item>engine exceptions turned into ErrorRecords with stable ids (<see cref="EngineErrorMap"/>): any
///   exception escaping <see cref="ProcessRecordCore"/> becomes a non-terminating error for that record.</item>
/// </list>
/// </summary>
public abstract class LtxCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private bool _disposed;

    /// <summary>Cancelled when the pipeline is stopped (Ctrl+C, or a downstream Select-Object -First).</summary>
    protected CancellationToken CancellationToken => _stop.Token;

    /// <summary>The record's work. Exceptions other than PowerShell's own become ErrorRecords.</summary>
    protected abstract void ProcessRecordCore();

    /// <inheritdoc />
    protected sealed override void ProcessRecord()
    {
        try
        {
            ProcessRecordCore();
        }
        catch (Exception ex) when (ex is not RuntimeException && !(ex is OperationCanceledException && Stopping))
        {
            WriteError(EngineErrorMap.ToErrorRecord(ex));
        }
    }

    /// <inheritdoc />
    protected override void StopProcessing()
    {
        try { _stop.Cancel(); }
        catch (ObjectDisposedException) { /* the cmdlet already finished */ }
        base.StopProcessing();
    }

    /// <summary>
    /// Runs <paramref name="work"/> on a worker thread, pumping the messages it posts through its
    /// <see cref="WorkerContext"/> on this (the pipeline) thread until it finishes; then returns its result
    /// or rethrows its exception unchanged. A stop request surfaces as <see cref="PipelineStoppedException"/>.
    /// </summary>
    protected T RunOnWorker<T>(Func<WorkerContext, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        using var pump = new PipelineMessagePump();
        var context = new WorkerContext(pump, CancellationToken);
        var task = Task.Factory.StartNew(() => work(context), CancellationToken.None,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);
        task.ContinueWith(_ => pump.Complete(), TaskScheduler.Default);

        try
        {
            pump.Run(this);
        }
        catch
        {
            // Writing failed (typically the pipeline was stopped downstream): stop the work, let it end.
            _stop.Cancel();
            try { task.Wait(); } catch (AggregateException) { /* the writer's exception wins */ }
            throw;
        }
        finally
        {
            context.CompleteProgress(this);
        }

        try
        {
            return task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (Stopping)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>The <see cref="RunOnWorker{T}"/> overload for work without a result.</summary>
    protected void RunOnWorker(Action<WorkerContext> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        RunOnWorker(context => { work(context); return true; });
    }

    /// <summary>Writes <paramref name="exception"/> as a non-terminating error (see <see cref="EngineErrorMap"/>).</summary>
    protected void WriteEngineError(Exception exception, object? target = null) =>
        WriteError(EngineErrorMap.ToErrorRecord(exception, target));

    /// <summary>Stops the cmdlet with <paramref name="exception"/> as a terminating error.</summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    protected void ThrowEngineError(Exception exception, object? target = null)
    {
        ThrowTerminatingError(EngineErrorMap.ToErrorRecord(exception, target));
        ExceptionDispatchInfo.Throw(exception); // not reached: ThrowTerminatingError always throws
    }

    /// <summary>Resolves a user path against PowerShell's current location (not the process directory).</summary>
    protected string ResolvePath(string path) =>
        SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);

    /// <summary>
    /// The files a -Path argument names: wildcards expanded against the file system; a pattern matching
    /// nothing writes a PathNotFound (ObjectNotFound) error and gives no file. A name without wildcards is
    /// resolved as <see cref="ResolvePath"/> does, so a missing file surfaces where it is opened.
    /// </summary>
    protected IReadOnlyList<string> ResolveWildcardPath(string path)
    {
        if (!WildcardPattern.ContainsWildcardCharacters(path)) return [ResolvePath(path)];
        var files = GetResolvedProviderPathFromPSPath(path, out var provider);
        if (provider.ImplementingType != typeof(Microsoft.PowerShell.Commands.FileSystemProvider) || files.Count == 0)
        {
            WriteError(new ErrorRecord(new ItemNotFoundException($"No file matches '{path}'."), "PathNotFound",
                ErrorCategory.ObjectNotFound, path));
            return [];
        }
        return files;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the stop token; derived cmdlets owning resources override and call base.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (_disposed) return;
        if (disposing) _stop.Dispose();
        _disposed = true;
    }
}
