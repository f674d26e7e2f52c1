using static TorchSharp.torch;

namespace LtxTrainer.Core.Sampling;

/// <summary>The per-step latent updates of the audio sampler (ltx_pipelines/utils/denoisers.py).</summary>
public static class DenoiseStep
{
    /// <summary>Keeps conditioning tokens clean: x̂0·mask + clean·(1−mask), in float32, returned in x̂0's dtype.</summary>
    public static Tensor PostProcess(Tensor denoised, Tensor denoiseMask, Tensor clean)
    {
        using var scope = NewDisposeScope();
        var r = denoised * denoiseMask + clean.to(ScalarType.Float32) * (1 - denoiseMask);
        return r.to(denoised.dtype).MoveToOuterDisposeScope();
    }

    /// <summary>Euler: v = (x − x̂0)/σ_i, x ← x + v·(σ_{i+1} − σ_i), in float32.</summary>
    public static Tensor Euler(Tensor sample, Tensor denoised, IReadOnlyList<float> sigmas, int stepIndex)
    {
        float sigma = sigmas[stepIndex];
        if (sigma == 0f) throw new ArgumentException("Sigma can't be 0 in an Euler step.", nameof(stepIndex));
        float dt = sigmas[stepIndex + 1] - sigma;
        using var scope = NewDisposeScope();
        var velocity = ((sample.to(ScalarType.Float32) - denoised.to(ScalarType.Float32)) / (double)sigma).to(sample.dtype);
        var next = sample.to(ScalarType.Float32) + velocity.to(ScalarType.Float32) * tensor(dt);
        return next.to(sample.dtype).MoveToOuterDisposeScope();
    }
}
