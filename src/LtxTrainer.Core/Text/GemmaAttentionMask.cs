using TorchSharp;

namespace LtxTrainer.Core.Text;

/// <summary>
/// Additive attention masks of the Gemma 3 layer types (HF masking rules): key j is visible to query i iff
/// j ≤ i and key j is a real token; sliding layers also need j &gt; i − sliding_window. Hidden positions get
/// the dtype's most negative finite value (not −inf), so the fully masked rows of padded queries soften to
/// uniform weights instead of NaN; those rows never reach a real token or the LTX outputs.
/// </summary>
public static class GemmaAttentionMask
{
    /// <param name="attentionMask">[B, L] 1 = token, 0 = padding.</param>
    /// <param name="slidingWindow">Window length, or null for full causal attention.</param>
    /// <param name="dtype">The dtype the attention scores are in.</param>
    /// <returns>[B, 1, L, L] additive mask.</returns>
    public static torch.Tensor Create(torch.Tensor attentionMask, int? slidingWindow, torch.ScalarType dtype)
    {
        using var scope = torch.NewDisposeScope();
        long length = attentionMask.shape[1];
        var device = attentionMask.device;
        var i = torch.arange(length, device: device).unsqueeze(1);
        var j = torch.arange(length, device: device).unsqueeze(0);
        var allowed = j <= i;
        if (slidingWindow is int w) allowed = allowed & (j > i - w);
        var keyIsToken = attentionMask.to(torch.@bool).unsqueeze(1).unsqueeze(1);
        var visible = allowed.unsqueeze(0).unsqueeze(0) & keyIsToken;
        var zeros = torch.zeros(1, dtype: dtype, device: device);
        var hidden = torch.full(1, MinValue(dtype), dtype: dtype, device: device);
        return torch.where(visible, zeros, hidden).MoveToOuterDisposeScope();
    }

    private static double MinValue(torch.ScalarType dtype) => dtype switch
    {
        torch.ScalarType.Float32 => float.MinValue,
        torch.ScalarType.Float64 => double.MinValue,
        torch.ScalarType.BFloat16 => -3.3895313892515355e38,
        torch.ScalarType.Float16 => -65504.0,
        _ => throw new ArgumentException($"Attention masks need a floating dtype, got {dtype}.", nameof(dtype)),
    };
}
