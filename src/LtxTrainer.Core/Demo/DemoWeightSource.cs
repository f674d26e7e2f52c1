using LtxTrainer.Core.Checkpoints;
using TorchSharp;

namespace LtxTrainer.Core.Demo;

/// <summary>
/// Seeded random weights for the demo model, scaled by what each tensor is so the random network keeps
/// unit-scale activations (a forward pass and a short LoRA run behave like a model, not like noise or
/// zeros): matrices and kernels N(0, 1/fan_in), biases N(0, 0.02²), multiplicative norm weights 1,
/// AdaLN tables N(0, 1/D) (the upstream init), connector registers U(−1, 1) (the upstream init), log-scale
/// SnakeBeta parameters N(0, 0.1²) and positive latent statistics. Deterministic for a seed and call order;
/// every tensor is float32 on the CPU. Every tensor produced is also kept, in order, under its key
/// (<see cref="Produced"/>), so a module built from this source can be written out key for key.
/// </summary>
public sealed class DemoWeightSource(long seed) : IWeightSource
{
    private readonly torch.Generator _generator = new((ulong)seed);
    private readonly List<KeyValuePair<string, torch.Tensor>> _produced = [];

    /// <summary>Prefix put in front of the keys recorded in <see cref="Produced"/> (the module's place in the file).</summary>
    public string Prefix { get; set; } = "";

    /// <summary>Every tensor made so far, under <see cref="Prefix"/> + key, in the order made.</summary>
    public IReadOnlyList<KeyValuePair<string, torch.Tensor>> Produced => _produced;

    public torch.Tensor Load(string key, long[] shape)
    {
        var t = Make(key, shape);
        // A copy is kept: modules take the returned tensor over (a Parameter moves its handle).
        _produced.Add(new(Prefix + key, t.clone()));
        return t;
    }

    /// <summary>Records a tensor made elsewhere (a computed buffer) under a full key, taking ownership of it.</summary>
    public void Record(string fullKey, torch.Tensor tensor) => _produced.Add(new(fullKey, tensor));

    /// <summary>A tensor for <paramref name="key"/> by the rules above, not recorded.</summary>
    public torch.Tensor Make(string key, long[] shape)
    {
        using var scope = torch.NewDisposeScope();
        string leaf = key[(key.LastIndexOf('.') + 1)..];
        torch.Tensor Normal(double std) => Affine(torch.randn(shape, generator: _generator), std, 0);
        var t = key switch
        {
            _ when key.EndsWith("std-of-means", StringComparison.Ordinal) => Normal(0.35).exp_(),
            _ when key.EndsWith("mean-of-means", StringComparison.Ordinal) => Normal(0.4),
            _ when key.EndsWith(".act.alpha", StringComparison.Ordinal) || key.EndsWith(".act.beta", StringComparison.Ordinal) => Normal(0.1),
            _ when key.EndsWith("learnable_registers", StringComparison.Ordinal) => Affine(torch.rand(shape, generator: _generator), 2, -1),
            _ when key.Contains("scale_shift_table", StringComparison.Ordinal) => Normal(Math.Pow(shape[^1], -0.5)),
            _ when leaf == "bias" => Normal(0.02),
            _ when shape.Length == 1 => torch.ones(shape),
            _ => Normal(Math.Pow(shape.Skip(1).Aggregate(1L, (a, b) => a * b), -0.5)),
        };
        return t.contiguous().MoveToOuterDisposeScope();
    }

    // t·scale + shift in place. The scalars are held in variables until the calls return: a Scalar made
    // implicitly for an operator can be finalized while the native call still reads it (seen in Release builds
    // as "Unknown scalar type").
    private static torch.Tensor Affine(torch.Tensor t, double scale, double shift)
    {
        using var s = scale.ToScalar();
        using var b = shift.ToScalar();
        return t.mul_(s).add_(b);
    }
}
