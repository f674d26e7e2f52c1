using TorchSharp;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.Vocoder;

/// <summary>
/// BigVGAN's anti-aliased ×ratio upsampler: replicate-pad, ratio · depthwise transposed convolution with
/// the Kaiser-windowed sinc <c>filter</c> (a checkpoint buffer, loaded rather than recomputed), crop.
/// </summary>
public sealed class KaiserUpSample1d : nn.Module<Tensor, Tensor>
{
    private readonly Tensor filter;
    private readonly int _ratio;
    private readonly long _pad, _padLeft, _padRight;

    public KaiserUpSample1d(int ratio = 2, int kernelSize = 12) : base("UpSample1d")
    {
        _ratio = ratio;
        _pad = kernelSize / ratio - 1;
        _padLeft = _pad * ratio + (kernelSize - ratio) / 2;
        _padRight = _pad * ratio + (kernelSize - ratio + 1) / 2;
        filter = zeros(1, 1, kernelSize);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long channels = x.shape[1];
        var padded = nn.functional.pad(x, [_pad, _pad], PaddingModes.Replicate);
        // The reference scales the output by the ratio; scaling the taps instead saves a full-size pass
        // and temporary, and for BigVGAN's ratio 2 (a power of two) the result is bit-identical.
        var weight = (filter * _ratio).expand(channels, -1, -1);
        var up = nn.functional.conv_transpose1d(padded, weight, stride: _ratio, groups: channels);
        return up[.., .., (int)_padLeft..^(int)_padRight].MoveToOuterDisposeScope();
    }
}
