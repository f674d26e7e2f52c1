using TorchSharp;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.Vocoder;

/// <summary>
/// BigVGAN's anti-aliased ×ratio upsampler: replicate-pad, ratio · depthwise transposed convolution (as
/// polyphase slice sums, see <see cref="DepthwiseFir"/>) with
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
        using var padded = nn.functional.pad(x, [_pad, _pad], PaddingModes.Replicate);
        long outLength = (padded.shape[2] - 1) * _ratio + filter.shape[2] - _padLeft - _padRight;
        return DepthwiseFir.Interpolate(padded, Taps(filter), _ratio, _padLeft, outLength);
    }

    internal static float[] Taps(Tensor filter)
    {
        using var cpu = filter.detach().to(ScalarType.Float32, CPU);
        return cpu.data<float>().ToArray();
    }
}
