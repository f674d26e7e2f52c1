using TorchSharp;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.Common;

/// <summary>
/// Split-layout RoPE tables (ltx_core/model/transformer/rope.py): <see cref="Cos"/> and <see cref="Sin"/> are [B, H, T,
/// head_dim/2];
/// head h uses frequencies h·hd/2 … (h+1)·hd/2 − 1 and rotates the pairs (j, j + hd/2) of its head.
/// </summary>
public sealed class RotaryEmbedding : IDisposable
{
    private RotaryEmbedding(Tensor cos, Tensor sin)
    {
        Cos = cos;
        Sin = sin;
    }

    public Tensor Cos { get; }
    public Tensor Sin { get; }

    /// <summary>
    /// The frequency grid ω_j = θ^(j/(n−1))·π/2, j = 0…n−1, as float32. With <paramref name="float64"/>
    /// (<c>frequencies_precision = "float64"</c>) it is computed in double like numpy's linspace/power and
    /// rounded once; otherwise in float32 with torch's linspace and pow, as upstream does.
    /// </summary>
    public static Tensor FrequencyGrid(double theta, int n, bool float64)
    {
        if (!float64)
        {
            var exponents = Float32Linspace.Values(0f, 1f, n);
            using var scope = NewDisposeScope();
            var g = pow(theta, tensor(exponents)) * Math.PI / 2;
            return g.MoveToOuterDisposeScope();
        }
        var values = new float[n];
        double step = n > 1 ? 1.0 / (n - 1) : 0.0;
        for (int j = 0; j < n; j++)
        {
            // numpy linspace: j·step, with the last point set to the end exactly.
            double exponent = j == n - 1 && n > 1 ? 1.0 : j * step;
            values[j] = (float)(Math.Pow(theta, exponent) * Math.PI / 2);
        }
        return tensor(values);
    }

    /// <summary>
    /// Tables for one-dimensional positions <paramref name="positions"/> [B, T] (already the middle of each
    /// token's span when the model uses middle indices), divided by <paramref name="maxPos"/>. Phases are
    /// float32, as in the official code (which the golden data follows).
    /// </summary>
    public static RotaryEmbedding Create(Tensor positions, int innerDim, int heads, double theta, double maxPos,
        bool float64Grid, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        int n = innerDim / 2;
        var grid = FrequencyGrid(theta, n, float64Grid).to(positions.device);
        var fractional = positions.to(ScalarType.Float32) / maxPos;                  // [B, T]
        var freqs = grid * (fractional.unsqueeze(-1) * 2 - 1);                        // [B, T, n]
        long b = freqs.shape[0], t = freqs.shape[1];
        var cos = freqs.cos().reshape(b, t, heads, -1).transpose(1, 2).to(dtype);
        var sin = freqs.sin().reshape(b, t, heads, -1).transpose(1, 2).to(dtype);
        return new RotaryEmbedding(cos.MoveToOuterDisposeScope(), sin.MoveToOuterDisposeScope());
    }

    /// <summary>The same tables passed through <paramref name="map"/> (e.g. to re-home them).</summary>
    public RotaryEmbedding Map(Func<Tensor, Tensor> map) => new(map(Cos), map(Sin));

    /// <summary>Rotates <paramref name="x"/> [B, T, H·hd] head by head.</summary>
    public Tensor Apply(Tensor x)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], t = x.shape[1];
        long heads = Cos.shape[1], half = Cos.shape[3];
        var split = x.view(b, t, heads, 2, half).permute(0, 2, 1, 3, 4);             // [B, H, T, 2, hd/2]
        var cos = Cos.unsqueeze(-2);
        var sin = Sin.unsqueeze(-2);
        var output = split * cos;
        var first = output.narrow(-2, 0, 1);
        var second = output.narrow(-2, 1, 1);
        first.addcmul_(-sin, split.narrow(-2, 1, 1), 1);
        second.addcmul_(sin, split.narrow(-2, 0, 1), 1);
        var y = output.permute(0, 2, 1, 3, 4).reshape(b, t, heads * 2 * half);
        return y.MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        Cos.Dispose();
        Sin.Dispose();
    }
}
