using LtxTrainer.Core.Tests.Model;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Tests.Training;

/// <summary>
/// Training must not depend on torch's process-wide default generator: xunit runs test classes in
/// parallel, and a module user may run other torch work on other threads. This test draws from the
/// default generator on a second thread throughout a training step; it runs alone
/// (<see cref="GlobalTorchGeneratorCollection"/>) so that its draws disturb no other test.
/// </summary>
[Collection(GlobalTorchGeneratorCollection.Name)]
public sealed class GlobalGeneratorIsolationTests : IDisposable
{
    private readonly TransformerGolden _g = new();

    public void Dispose() => _g.Dispose();

    [Fact]
    public async Task Recomputation_replays_dropout_while_another_thread_draws_from_the_default_generator()
    {
        using var stop = new CancellationTokenSource();
        var draws = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
                using (randn(64)) { }
        });
        try
        {
            using var scope = NewDisposeScope();
            var plain = TrainingGoldenTests.LoraGradients(_g, 0.25, recompute: false, dropoutSeed: 11);
            var recomputed = TrainingGoldenTests.LoraGradients(_g, 0.25, recompute: true, dropoutSeed: 11);
            TrainingGoldenTests.AssertSameGradients(plain, recomputed);
        }
        finally
        {
            stop.Cancel();
            await draws;
        }
    }
}
