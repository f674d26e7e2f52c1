using LtxTrainer.Core.Model.Transformer;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Sampling;

/// <summary>
/// One guided denoising step as the pipelines run it (ltx_pipelines/utils/denoisers.py,
/// ltx_core/components/guiders.py): one batched model call with the
/// passes [cond, uncond (when cfg ≠ 1), perturbed (when stg ≠ 0; STG in the chosen blocks for that pass
/// only)], σ expanded over the batch, per-token timesteps mask·σ, no context mask; then guidance,
/// clean-suffix post-processing and an Euler step.
/// </summary>
public static class GuidedAudioStep
{
    public static GuidedStepResult Run(AudioTransformer model, AudioDenoiseState state, Tensor positiveContext, Tensor? negativeContext,
        GuidanceParams guidance, IReadOnlyList<float> sigmas, int stepIndex)
    {
        bool uncond = guidance.NeedsUnconditional;
        bool ptb = guidance.NeedsPerturbed;
        if (uncond && negativeContext is null)
            throw new ArgumentException("CFG needs a negative context.", nameof(negativeContext));

        var contexts = new List<Tensor> { positiveContext };
        if (uncond) contexts.Add(negativeContext!);
        if (ptb) contexts.Add(positiveContext);
        int passes = contexts.Count;

        using var scope = NewDisposeScope();
        var sigma = tensor(sigmas[stepIndex]).to(state.Sample.device);
        var timesteps = state.DenoiseMask * sigma;                                            // [1, T, 1]
        var input = new AudioTransformerInput(
            Latent: state.Sample.expand(passes, -1, -1),
            Sigma: sigma.expand(passes),
            Timesteps: timesteps.expand(passes, -1, -1).squeeze(-1),
            Positions: state.Positions.expand(passes, -1, -1, -1),
            Context: cat(contexts.Select(c => c.to(state.Sample.dtype)).ToArray(), 0));
        var skip = ptb
            ? new SelfAttentionSkip(guidance.PerturbedBlocks.ToHashSet(), Enumerable.Range(0, passes).Select(i => i == passes - 1).ToArray())
            : null;
        var velocity = model.Forward(input, skip);
        var denoised = AudioTransformer.Denoised(input.Latent, velocity, timesteps.expand(passes, -1, -1));

        var cond = denoised.narrow(0, 0, 1);
        var un = uncond ? denoised.narrow(0, 1, 1) : null;
        var pt = ptb ? denoised.narrow(0, passes - 1, 1) : null;
        var guided = Guidance.Combine(guidance, cond, un, pt);
        var post = DenoiseStep.PostProcess(guided, state.DenoiseMask, state.CleanLatent);
        var next = DenoiseStep.Euler(state.Sample, post, sigmas, stepIndex);
        var result = new GuidedStepResult(cond.contiguous(), un?.contiguous(), pt?.contiguous(), guided, post, next);
        foreach (var t in new[] { result.DenoisedCond, result.DenoisedUncond, result.DenoisedPerturbed, guided, post, next })
            t?.MoveToOuterDisposeScope();
        return result;
    }
}
