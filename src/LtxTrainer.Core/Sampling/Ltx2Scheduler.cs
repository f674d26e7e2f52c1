using LtxTrainer.Core.Model.Common;

namespace LtxTrainer.Core.Sampling;

/// <summary>
/// LTX2Scheduler (ltx_core/components/schedulers.py): N+1 sigmas from 1 to 0, shifted by a token-count-dependent μ and
/// stretched
/// so the last non-zero sigma is <c>terminal</c>. Float32 arithmetic in the official operation order.
/// </summary>
public static class Ltx2Scheduler
{
    public const int BaseShiftAnchor = 1024;
    public const int MaxShiftAnchor = 4096;

    /// <summary>
    /// Sigmas for <paramref name="steps"/> steps. <paramref name="tokens"/> null = 4096, which is what the
    /// validation and text-to-audio pipelines use (they call the scheduler without a latent).
    /// </summary>
    public static float[] Sigmas(int steps, long? tokens = null, double maxShift = 2.05, double baseShift = 0.95,
        bool stretch = true, double terminal = 0.1)
    {
        if (steps <= 0) throw new ArgumentOutOfRangeException(nameof(steps), steps, "Steps must be positive.");
        long n = tokens ?? MaxShiftAnchor;
        double slope = (maxShift - baseShift) / (MaxShiftAnchor - BaseShiftAnchor);
        double intercept = baseShift - slope * BaseShiftAnchor;
        double shift = n * slope + intercept;
        float e = (float)Math.Exp(shift);

        var sigmas = Float32Linspace.Values(1f, 0f, steps + 1);
        for (int i = 0; i < sigmas.Length; i++)
            sigmas[i] = sigmas[i] != 0f ? e / (e + (1f / sigmas[i] - 1f)) : 0f;

        if (stretch)
        {
            int last = Array.FindLastIndex(sigmas, s => s != 0f);
            float scaleFactor = (1f - sigmas[last]) / (float)(1.0 - terminal);
            for (int i = 0; i < sigmas.Length; i++)
                if (sigmas[i] != 0f) sigmas[i] = 1f - (1f - sigmas[i]) / scaleFactor;
        }
        return sigmas;
    }
}
