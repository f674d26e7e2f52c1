using static TorchSharp.torch;

namespace LtxTrainer.Core.Training;

/// <summary>
/// Flow-matching noising with the audio suffix kept clean (ltx-trainer's flexible strategy, <c>suffix</c>
/// condition, ltx_trainer/training_strategies/flexible.py): x_t = (1−σ)·x0 + σ·ε, target ε − x0; on conditioned samples
/// the last
/// <c>suffixTokens</c> tokens get x0, timestep 0 and no loss.
/// </summary>
public static class SuffixConditioning
{
    /// <param name="x0">Clean patchified latents [B, T, C].</param>
    /// <param name="noise">ε [B, T, C].</param>
    /// <param name="sigma">σ [B].</param>
    /// <param name="suffixTokens">K, the clean suffix length in tokens (1 token per latent step).</param>
    /// <param name="conditioned">[B] flags: which samples get the suffix condition (upstream: U[0,1) &lt; probability).</param>
    public static SuffixTrainingInputs Apply(Tensor x0, Tensor noise, Tensor sigma, long suffixTokens, IReadOnlyList<bool> conditioned)
    {
        long b = x0.shape[0], t = x0.shape[1];
        if (suffixTokens < 0 || suffixTokens >= t)
            throw new ArgumentOutOfRangeException(nameof(suffixTokens), suffixTokens, $"The suffix must leave at least one of the {t} tokens to generate.");
        if (conditioned.Count != b)
            throw new ArgumentException($"{conditioned.Count} conditioning flags for a batch of {b}.", nameof(conditioned));

        using var scope = NewDisposeScope();
        var s = sigma.to(x0.dtype).view(-1, 1, 1);
        var noisy = (1 - s) * x0 + s * noise;
        var targets = noise - x0;
        var timesteps = sigma.to(x0.dtype).view(-1, 1).expand(b, t).clone();

        var maskValues = new float[b * t];
        for (long i = 0; i < b; i++)
            if (conditioned[(int)i])
                for (long j = t - suffixTokens; j < t; j++) maskValues[i * t + j] = 1f;
        var mask = tensor(maskValues).view(b, t).to(x0.dtype, x0.device);
        var m = mask.unsqueeze(-1);
        noisy = m * x0 + (1 - m) * noisy;
        timesteps = (1 - mask) * timesteps;
        var lossMask = mask.eq(0);
        var result = new SuffixTrainingInputs(noisy, targets, timesteps, lossMask, sigma.to(x0.dtype));
        foreach (var x in new[] { noisy, targets, timesteps, lossMask, result.Sigma }) x.MoveToOuterDisposeScope();
        return result;
    }
}
