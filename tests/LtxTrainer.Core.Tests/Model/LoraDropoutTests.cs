using LtxTrainer.Core.Model.Lora;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Tests.Model;

/// <summary>
/// LoRA dropout as torch's dropout defines it (keep each input with probability 1 − p, scale the kept ones
/// by 1 / (1 − p)), drawn from the layer's own generator, and off in eval mode.
/// </summary>
public sealed class LoraDropoutTests : IDisposable
{
    private const double P = 0.25;
    private readonly TransformerGolden _g = new();

    public void Dispose() => _g.Dispose();

    [Fact]
    public void Training_keeps_inputs_with_probability_one_minus_p_and_scales_them_up()
    {
        using var model = _g.LoadModel();
        var (_, layer) = LoraTargets.AttachNew(model, new LoraConfig(Rank: 2, Alpha: 4, Dropout: P, Targets: ["audio_attn1.to_q"]), new Generator(1))[0];
        long inFeatures = layer.InFeatures;
        using var scope = NewDisposeScope();
        using (no_grad())
        {
            // A sums the inputs in its first row, B copies that row to every output: the adapter's
            // output is then scaling · (number of kept inputs) / (1 − p) for an all-ones input.
            layer.A.Weight.zero_();
            layer.A.Weight[0].fill_(1);
            layer.B.Weight.zero_();
            layer.B.Weight[.., 0].fill_(1);
        }
        var x = ones(1, 4000, inFeatures);
        model.eval();
        Tensor full;
        using (no_grad()) full = layer.forward(x);      // no dropout: the adapter adds scaling · in

        Tensor KeptPerToken(long seed)
        {
            using var generator = new Generator((ulong)seed);
            layer.DropoutGenerator = generator;
            model.train();
            using var noGrad = no_grad();
            var y = layer.forward(x);
            layer.DropoutGenerator = null;
            model.eval();
            return ((y - full)[0, .., 0] / layer.Scaling + inFeatures) * (1 - P);
        }

        var kept = KeptPerToken(5);
        Assert.True((kept - kept.round()).abs().max().item<float>() < 1e-3, "each input is either dropped or kept and scaled by 1 / (1 - p)");
        double fraction = kept.mean().item<float>() / inFeatures;
        Assert.InRange(fraction, 1 - P - 0.01, 1 - P + 0.01);
        Assert.True(kept.equal(KeptPerToken(5)).all().item<bool>(), "the same seed gives the same masks");
        Assert.False(kept.equal(KeptPerToken(6)).all().item<bool>(), "another seed gives other masks");
    }
}
