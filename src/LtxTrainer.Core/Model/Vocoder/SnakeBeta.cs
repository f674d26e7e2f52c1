using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.Vocoder;

/// <summary>
/// Periodic activation of BigVGAN: x + sin²(x·e^α) / (e^β + 1e-9) per channel, α and β stored in log
/// scale (<c>act.alpha</c>, <c>act.beta</c>). Plain Snake (no β) uses α for both.
/// </summary>
public sealed class SnakeBeta : nn.Module<Tensor, Tensor>
{
    private const double Epsilon = 1e-9;
    private readonly Parameter alpha;
    private readonly Parameter? beta;

    public SnakeBeta(long channels, bool withBeta) : base(withBeta ? "SnakeBeta" : "Snake")
    {
        alpha = new Parameter(zeros(channels), requires_grad: false);
        if (withBeta) beta = new Parameter(zeros(channels), requires_grad: false);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => ApplyInPlace(x.clone());

    /// <summary>
    /// The activation written into <paramref name="x"/>, for callers that own a temporary (the anti-aliased
    /// path applies it to its upsampled signal). Only one full-size temporary (the periodic term) is made;
    /// the operations are the reference's, with its operands swapped only where that is exact
    /// (x + p = p + x, c·p = p·c), so the result is bit-identical.
    /// </summary>
    internal Tensor ApplyInPlace(Tensor x)
    {
        using var scope = NewDisposeScope();
        var a = alpha.unsqueeze(0).unsqueeze(-1).exp();
        var b = beta is null ? a : beta.unsqueeze(0).unsqueeze(-1).exp();
        var inverse = 1.0 / (b + Epsilon);
        var periodic = (x * a).sin_().pow_(2).mul_(inverse);
        x.add_(periodic);
        return x;
    }
}
