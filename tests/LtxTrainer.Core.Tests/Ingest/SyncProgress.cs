namespace LtxTrainer.Core.Tests.Ingest;

/// <summary>
/// An <see cref="IProgress{T}"/> that runs its callback on the reporting thread, at once (Progress&lt;T&gt;
/// posts to the thread pool, so a test could not act on a report before the work goes on).
/// </summary>
internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
