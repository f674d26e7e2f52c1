using System.Collections.Concurrent;
using System.Management.Automation;

namespace LtxTrainer.Cmdlets.Infrastructure;

/// <summary>
/// A queue of cmdlet writes posted from any thread and executed on the pipeline thread by <see cref="Run"/>.
/// Posts after <see cref="Complete"/> are dropped: the work has ended and nobody is reading.
/// </summary>
internal sealed class PipelineMessagePump : IDisposable
{
    private readonly BlockingCollection<Action<Cmdlet>> _messages = new();

    public void Post(Action<Cmdlet> message)
    {
        // ObjectDisposedException is an InvalidOperationException: both mean nobody reads any more.
        try { _messages.Add(message); }
        catch (InvalidOperationException) { /* completed or disposed */ }
    }

    public void Complete()
    {
        try { _messages.CompleteAdding(); }
        catch (ObjectDisposedException) { /* finished */ }
    }

    /// <summary>Executes messages on the calling (pipeline) thread until <see cref="Complete"/> and the queue drains.</summary>
    public void Run(Cmdlet cmdlet)
    {
        foreach (var message in _messages.GetConsumingEnumerable())
            message(cmdlet);
    }

    public void Dispose() => _messages.Dispose();
}
