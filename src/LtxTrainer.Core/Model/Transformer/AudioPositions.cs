using LtxTrainer.Core.Audio;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.Transformer;

/// <summary>Token positions [B, 1, T, 2] ([start, end) seconds per latent step, spec §3.5) for the transformer.</summary>
public static class AudioPositions
{
    public static Tensor Create(long batch, long tokens, Device? device = null)
    {
        var values = new float[tokens * 2];
        for (long i = 0; i < tokens; i++)
        {
            var (start, end) = AudioLatentTiming.StepTimeSpan(i);
            values[2 * i] = (float)start;
            values[2 * i + 1] = (float)end;
        }
        using var one = tensor(values).view(1, 1, tokens, 2);
        return one.expand(batch, 1, tokens, 2).contiguous().to(device ?? CPU);
    }
}
