using static TorchSharp.torch;

namespace LtxTrainer.Core.Training;

/// <summary>
/// The order clips are visited in: a fresh seeded permutation per epoch (like a shuffling DataLoader), a pure
/// function of (seed, epoch), so the sample of any step is known without replaying the run and a resumed run
/// visits exactly the clips the uninterrupted one would have.
/// </summary>
public static class DataOrder
{
    /// <summary>The permutation of <paramref name="count"/> clips for <paramref name="epoch"/> (0-based).</summary>
    public static int[] ForEpoch(long seed, int epoch, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        // A generator of its own per epoch (seed mixed with the epoch) keeps the order apart from the draws of
        // the training step, whose generator state is what a checkpoint carries.
        using var generator = new Generator(unchecked((ulong)(seed * 1_000_003 + epoch + 1)));
        using var perm = randperm(count, generator: generator);
        return perm.data<long>().Select(i => (int)i).ToArray();
    }

    /// <summary>The clip index used by optimizer step <paramref name="step"/> (0-based), with batch 1.</summary>
    public static int At(long seed, int step, int count) => ForEpoch(seed, step / count, count)[step % count];
}
