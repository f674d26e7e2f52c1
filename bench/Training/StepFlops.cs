using System.Diagnostics;
using static TorchSharp.torch;

/// <summary>
/// Model FLOPs of one LoRA training step (multiply-add = 2 FLOPs), counted as in docs/numerical-reference.md's
/// size table: per block, self-attention projections 8TD², self-attention 4T²D, cross-attention query/output 4TD²,
/// base K/V on the text 4SD², cross-attention 4TSD, feed-forward 4T·D·F (F = 4D), plus the LoRA factors of the ten
/// adapted projections. The backward computes activation gradients only (the base is frozen and the text context
/// needs none, so the base K/V on the text have no backward); recomputation runs the forward a second time.
/// </summary>
internal static class StepFlops
{
    public static double TrainingStep(Sizes s, bool recompute)
    {
        double t = s.Tokens, text = s.TextTokens, d = s.Inner, f = 4 * d, r = s.Rank;
        double block = 8 * t * d * d + 4 * t * t * d + 4 * t * d * d + 4 * text * d * d + 4 * t * text * d + 4 * t * d * f;
        static double Lora(double rows, double inDim, double outDim, double rank) => 2 * rows * rank * (inDim + outDim);
        double lora = 6 * Lora(t, d, d, r) + 2 * Lora(text, d, d, r) + Lora(t, d, f, r) + Lora(t, f, d, r);
        double forward = s.Layers * (block + lora);
        double backward = forward - s.Layers * 4 * text * d * d;
        return forward + backward + (recompute ? forward : 0);
    }

    /// <summary>
    /// The device's measured dense matmul rate in the model's dtype (the reference for model FLOPs utilisation):
    /// the best of a few square products, after a warm-up, synchronised through a scalar read.
    /// </summary>
    public static double MeasuredMatmulRate(Device device, ScalarType dtype, int n)
    {
        using var scope = NewDisposeScope();
        var a = randn(new long[] { n, n }, dtype: dtype, device: device);
        var b = randn(new long[] { n, n }, dtype: dtype, device: device);
        _ = mm(a, b).sum().item<float>();
        double best = double.MaxValue;
        for (int i = 0; i < 5; i++)
        {
            var sw = Stopwatch.StartNew();
            var c = mm(a, b);
            _ = c.sum().item<float>();
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        return 2.0 * n * n * n / best;
    }
}
