using LtxTrainer.Core.Model.Transformer;
using LtxTrainer.Core.Sampling;
using LtxTrainer.Core.Tests.Model;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Tests.Sampling;

public sealed class SamplingGoldenTests : IDisposable
{
    private readonly TransformerGolden _g;

    public SamplingGoldenTests(Xunit.Abstractions.ITestOutputHelper output) => _g = new TransformerGolden { Report = output.WriteLine };

    public void Dispose() => _g.Dispose();

    // Every scheduler output of the golden case, named sigmas_<steps>_default (no latent: 4096 tokens) or
    // sigmas_<steps>_tokens<N>.
    [Fact]
    public void Scheduler_sigmas_match()
    {
        var names = _g.Json.RootElement.GetProperty("cases").GetProperty("scheduler").GetProperty("outputs").EnumerateObject().Select(o => o.Name).ToList();
        Assert.NotEmpty(names);
        foreach (var name in names)
        {
            var m = System.Text.RegularExpressions.Regex.Match(name, @"^sigmas_(\d+)_(?:default|tokens(\d+))$");
            Assert.True(m.Success, $"unexpected scheduler output '{name}'");
            int steps = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            long? tokens = m.Groups[2].Success ? long.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
            using var actual = tensor(Ltx2Scheduler.Sigmas(steps, tokens));
            _g.AssertClose($"scheduler.{name}", actual, 1e-6);
        }
    }

    private GuidanceParams Params(string variant)
    {
        var p = _g.Params("guidance").GetProperty(variant);
        return new GuidanceParams(p.GetProperty("cfg_scale").GetDouble(), p.GetProperty("stg_scale").GetDouble(),
            p.GetProperty("rescale_scale").GetDouble(), p.GetProperty("modality_scale").GetDouble());
    }

    [Theory]
    [InlineData("full")]
    [InlineData("cfg_only")]
    public void Guidance_postprocess_and_euler_match(string variant)
    {
        using var scope = NewDisposeScope();
        var p = Params(variant);
        int step = _g.Params("guidance").GetProperty("step_index").GetInt32();
        var sigmas = _g.Tensor("guidance.sigmas").data<float>().ToArray();
        var guided = Guidance.Combine(p, _g.Tensor("guidance.cond"), _g.Tensor("guidance.uncond_text"), p.NeedsPerturbed ? _g.Tensor("guidance.uncond_perturbed") : null);
        _g.AssertClose($"guidance.{variant}.guided", guided, 2e-6);
        var post = DenoiseStep.PostProcess(guided, _g.Tensor("guidance.denoise_mask"), _g.Tensor("guidance.clean_latent"));
        _g.AssertClose($"guidance.{variant}.post_processed", post, 2e-6);
        var next = DenoiseStep.Euler(_g.Tensor("guidance.sample"), post, sigmas, step);
        _g.AssertClose($"guidance.{variant}.next_sample", next, 2e-6);
    }

    [Fact]
    public void Guided_step_with_the_model_matches()
    {
        using var model = _g.LoadModel();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var p = _g.Params("guided_step_model");
        var guidance = new GuidanceParams(p.GetProperty("cfg_scale").GetDouble(), p.GetProperty("stg_scale").GetDouble(),
            p.GetProperty("rescale_scale").GetDouble(), p.GetProperty("modality_scale").GetDouble(),
            p.GetProperty("stg_blocks").EnumerateArray().Select(e => e.GetInt32()).ToArray());
        var state = new AudioDenoiseState(_g.Tensor("guided_step_model.sample"), _g.Tensor("guided_step_model.clean_latent"),
            _g.Tensor("guided_step_model.denoise_mask"), _g.Tensor("guided_step_model.positions"));
        var sigmas = _g.Tensor("guided_step_model.sigmas").data<float>().ToArray();
        var r = GuidedAudioStep.Run(model, state, _g.Tensor("guided_step_model.positive_context"), _g.Tensor("guided_step_model.negative_context"),
            guidance, sigmas, p.GetProperty("step_index").GetInt32());
        _g.AssertClose("guided_step_model.denoised_cond", r.DenoisedCond, 5e-5);
        _g.AssertClose("guided_step_model.denoised_uncond", r.DenoisedUncond!, 5e-5);
        _g.AssertClose("guided_step_model.denoised_ptb", r.DenoisedPerturbed!, 5e-5);
        _g.AssertClose("guided_step_model.guided", r.Guided, 5e-5);
        _g.AssertClose("guided_step_model.post_processed", r.PostProcessed, 5e-5);
        _g.AssertClose("guided_step_model.next_sample", r.NextSample, 5e-5);
    }
}
