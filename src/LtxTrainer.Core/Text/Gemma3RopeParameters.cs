using TorchSharp;

namespace LtxTrainer.Core.Text;

/// <summary>
/// Rotary-embedding settings of one Gemma 3 layer type. Only the two kinds Gemma 3 checkpoints use are
/// supported: "default" and "linear" (inverse frequencies divided by <see cref="Factor"/>).
/// </summary>
public sealed record Gemma3RopeParameters(string RopeType, double Theta, double Factor)
{
    /// <summary>
    /// Inverse frequencies <c>1 / theta^(2i / headDim)</c> [headDim/2], float32 on the CPU. Computed with
    /// torch's own float32 pow, as HF does, because a 1-ulp difference here grows with the position
    /// (position 1023 × 1 ulp is already above the table tolerance).
    /// </summary>
    public torch.Tensor InverseFrequencies(int headDim)
    {
        using var scope = torch.NewDisposeScope();
        var exponent = torch.arange(0, headDim, 2, dtype: torch.int64).to(torch.float32) / headDim;
        var inv = 1.0f / torch.pow(torch.tensor((float)Theta, torch.float32), exponent);
        if (RopeType == "linear") inv = inv / (float)Factor;
        return inv.MoveToOuterDisposeScope();
    }
}
