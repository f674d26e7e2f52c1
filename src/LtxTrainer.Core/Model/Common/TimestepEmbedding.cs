using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.Common;

/// <summary>
/// <c>emb.timestep_embedder</c>: the 256-channel sinusoid of the (already ×1000) timestep, then
/// <c>linear_1 → SiLU → linear_2</c> (ltx_core/model/transformer/timestep_embedding.py).
/// </summary>
public sealed class TimestepEmbedding : nn.Module<Tensor, Tensor>
{
    /// <summary>Width of the sinusoidal embedding.</summary>
    public const int Channels = 256;

    private readonly FrozenLinear linear_1;
    private readonly FrozenLinear linear_2;

    public TimestepEmbedding(WeightScope w, long dim) : base(nameof(TimestepEmbedding))
    {
        linear_1 = new FrozenLinear(w.Sub("linear_1"), Channels, dim);
        linear_2 = new FrozenLinear(w.Sub("linear_2"), dim, dim);
        RegisterComponents();
    }

    /// <summary>[N] timesteps → [N, dim] in <paramref name="dtype"/>.</summary>
    public Tensor forward(Tensor timesteps, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var emb = Sinusoid(timesteps).to(dtype);
        var h = linear_2.forward(nn.functional.silu(linear_1.forward(emb)));
        return h.MoveToOuterDisposeScope();
    }

    public override Tensor forward(Tensor timesteps) => forward(timesteps, ScalarType.Float32);

    /// <summary>
    /// [cos(t·f), sin(t·f)] with f_j = exp(−ln(10000)·j/128) in float32 (diffusers' get_timestep_embedding with
    /// flip_sin_to_cos and no frequency shift), in the same operation order so the float32 result is identical.
    /// </summary>
    public static Tensor Sinusoid(Tensor timesteps)
    {
        using var scope = NewDisposeScope();
        const int half = Channels / 2;
        var exponent = arange(0, half, dtype: ScalarType.Float32, device: timesteps.device) * -Math.Log(10000.0);
        exponent = exponent / half;
        var freqs = exponent.exp();
        var args = timesteps.to(ScalarType.Float32).unsqueeze(1) * freqs.unsqueeze(0);
        var emb = cat([args.cos(), args.sin()], 1);
        return emb.MoveToOuterDisposeScope();
    }
}
