using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.Vocoder;

/// <summary>
/// The BWE skip path: integer-ratio upsampling with torchaudio's Hann-windowed sinc (lowpass width 6,
/// rolloff 0.99). Not stored in the checkpoint, so the filter is computed here with the reference's
/// float32 operations: t = (arange(K)/ratio − width)·0.99, w = cos(clamp(t, ±6)·π/12)², h = sinc(t)·w·0.99/ratio.
/// Forward: replicate-pad width, ratio · depthwise transposed conv (stride ratio), crop 2·width·ratio
/// left and K − ratio right, giving exactly ratio × the input length.
/// </summary>
public sealed class HannSincUpsampler : IDisposable
{
    private const int LowpassFilterWidth = 6;
    private const double Rolloff = 0.99;

    private readonly int _ratio;
    private readonly int _width;
    private readonly long _padLeft, _padRight;

    public HannSincUpsampler(int ratio, Device? device = null)
    {
        if (ratio < 1) throw new ArgumentOutOfRangeException(nameof(ratio));
        _ratio = ratio;
        _width = (int)Math.Ceiling(LowpassFilterWidth / Rolloff);
        int kernel = 2 * _width * ratio + 1;
        _padLeft = 2L * _width * ratio;
        _padRight = kernel - ratio;
        Filter = BuildFilter(ratio, _width, kernel, device ?? CPU);
    }

    /// <summary>The filter, [1, 1, 2·width·ratio + 1].</summary>
    public Tensor Filter { get; }

    public Tensor Forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long channels = x.shape[1];
        var padded = nn.functional.pad(x, [_width, _width], TorchSharp.PaddingModes.Replicate);
        var weight = Filter.to(x.dtype, x.device).expand(channels, -1, -1);
        var up = nn.functional.conv_transpose1d(padded, weight, stride: _ratio, groups: channels) * _ratio;
        return up[.., .., (int)_padLeft..^(int)_padRight].MoveToOuterDisposeScope();
    }

    private static Tensor BuildFilter(int ratio, int width, int kernel, Device device)
    {
        using var scope = NewDisposeScope();
        var time = (arange(kernel, dtype: ScalarType.Int64) / ratio - width) * Rolloff;
        var clamped = time.clamp(-LowpassFilterWidth, LowpassFilterWidth);
        var window = (clamped * Math.PI / LowpassFilterWidth / 2).cos().pow(2);
        var filter = time.sinc() * window * Rolloff / ratio;
        return filter.view(1, 1, -1).to(device).MoveToOuterDisposeScope();
    }

    public void Dispose() => Filter.Dispose();
}
