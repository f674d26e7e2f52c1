using TorchSharp;

namespace LtxTrainer.Core.Text;

/// <summary>
/// HF Gemma 3 rotary tables for one layer type ("rotate_half" layout): angles = position × inverse
/// frequency, emb = cat(angles, angles). Positions are 0..L-1 for every row, ignoring left padding, exactly
/// as the official encoder calls the model.
/// </summary>
public sealed class GemmaRotaryTables : IDisposable
{
    private GemmaRotaryTables(torch.Tensor cos, torch.Tensor sin)
    {
        Cos = cos;
        Sin = sin;
    }

    /// <summary>cos(emb) [L, head_dim], float32.</summary>
    public torch.Tensor Cos { get; }

    /// <summary>sin(emb) [L, head_dim], float32.</summary>
    public torch.Tensor Sin { get; }

    public static GemmaRotaryTables Create(Gemma3RopeParameters rope, int headDim, int length, torch.Device? device = null)
    {
        using var scope = torch.NewDisposeScope();
        var inv = rope.InverseFrequencies(headDim);
        var positions = torch.arange(length, dtype: torch.float32);
        var angles = torch.outer(positions, inv);
        var emb = torch.cat([angles, angles], -1);
        var cos = emb.cos();
        var sin = emb.sin();
        if (device is not null && device.type != DeviceType.CPU)
        {
            cos = cos.to(device);
            sin = sin.to(device);
        }
        return new GemmaRotaryTables(cos.MoveToOuterDisposeScope(), sin.MoveToOuterDisposeScope());
    }

    /// <summary>Rotates x [B, heads, L, head_dim]: <c>x·cos + rotate_half(x)·sin</c>, tables cast to x's dtype.</summary>
    public torch.Tensor Apply(torch.Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        long half = x.shape[^1] / 2;
        var rotated = torch.cat([-x.narrow(-1, half, half), x.narrow(-1, 0, half)], -1);
        var result = x * Cos.to(x.dtype) + rotated * Sin.to(x.dtype);
        return result.MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        Cos.Dispose();
        Sin.Dispose();
    }
}
