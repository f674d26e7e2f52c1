using LtxTrainer.Core.Training;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Tests.Training;

public sealed class BlockRecomputationTests
{
    // An exception escaping a managed backward would abort the process: the recomputation keeps it and
    // Complete() rethrows it after loss.backward() returns.
    [Fact]
    public void A_block_failing_in_its_recomputation_is_reported_by_Complete()
    {
        using var generator = new Generator(1);
        using var recompute = new BlockRecomputation(generator);
        using var scope = NewDisposeScope();
        int calls = 0;
        var x = ones(3).requires_grad_();
        var y = recompute.Run(0, x, t => ++calls == 2 ? throw new IOException("disk gone") : t * 2);
        Assert.Equal(1, calls);
        y.sum().backward();
        Assert.Equal(2, calls);
        var ex = Assert.Throws<InvalidOperationException>(recompute.Complete);
        Assert.Equal("disk gone", Assert.IsType<IOException>(ex.InnerException).Message);
        Assert.Equal(new[] { 0f, 0f, 0f }, x.grad!.data<float>().ToArray());   // no gradient from the failed block
        recompute.Complete();                                                   // reported once
    }

    [Fact]
    public void A_recomputed_block_gives_the_input_its_gradient()
    {
        using var generator = new Generator(1);
        using var recompute = new BlockRecomputation(generator);
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 1f, -2f, 3f }).requires_grad_();
        recompute.Run(0, x, t => t * t).sum().backward();
        recompute.Complete();
        Assert.Equal(new[] { 2f, -4f, 6f }, x.grad!.data<float>().ToArray());
    }
}
