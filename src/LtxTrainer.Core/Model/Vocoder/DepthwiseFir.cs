using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.Vocoder;

/// <summary>
/// The anti-aliasing filters as sums of shifted strided slices instead of grouped (depthwise)
/// convolutions. Every channel shares one short filter, and libtorch's CPU kernels for groups = channels
/// are as slow as a dense convolution with tens of times the work; these are the same sums with the
/// same taps, one fused multiply-add pass per tap. Inputs are already padded.
/// </summary>
public static class DepthwiseFir
{
    /// <summary>y[j] = Σₖ taps[k]·x[stride·j + k] over the valid range (conv1d with stride, no padding).</summary>
    public static Tensor Decimate(Tensor padded, float[] taps, int stride)
    {
        long length = padded.shape[^1];
        long outLength = (length - taps.Length) / stride + 1;
        if (outLength <= 0) throw new ArgumentException("Input shorter than the filter.", nameof(padded));
        long span = stride * (outLength - 1) + 1;
        var y = Tap(padded, 0, span, stride) * taps[0];
        for (int k = 1; k < taps.Length; k++)
            using (var s = Tap(padded, k, span, stride))
                y.add_(s, taps[k]);
        return y;
    }

    /// <summary>
    /// ratio · conv_transpose1d(x, taps, stride = ratio) restricted to output positions
    /// [cropLeft, cropLeft + outLength), computed per polyphase branch. Needs taps.Length divisible by
    /// ratio and cropLeft ≥ taps.Length − ratio (true for BigVGAN's ×2, 12-tap filter with its padding).
    /// </summary>
    public static Tensor Interpolate(Tensor padded, float[] taps, int ratio, long cropLeft, long outLength)
    {
        int branchTaps = taps.Length / ratio;
        if (branchTaps * ratio != taps.Length) throw new ArgumentException("Filter length must be a multiple of the ratio.", nameof(taps));
        long first = (long)taps.Length - ratio; // first output position every tap reaches
        if (cropLeft < first) throw new ArgumentException("Crop starts before the fully-covered region.", nameof(cropLeft));
        long count = padded.shape[^1] - branchTaps + 1;    // full-overlap positions per branch
        var branches = new Tensor[ratio];
        try
        {
            for (int p = 0; p < ratio; p++)
            {
                // z[ratio·j + p] = Σᵢ x[j − i]·taps[ratio·i + p], j from branchTaps − 1.
                var z = Tap(padded, branchTaps - 1, count, 1) * taps[p];
                for (int i = 1; i < branchTaps; i++)
                    using (var s = Tap(padded, branchTaps - 1 - i, count, 1))
                        z.add_(s, taps[ratio * i + p]);
                branches[p] = z;
            }
            using var interleaved = stack(branches, -1);
            var shape = padded.shape.ToArray();
            shape[^1] = count * ratio;
            using var flat = interleaved.reshape(shape);
            using var cropped = flat.narrow(-1, cropLeft - first, outLength);
            return cropped.mul(ratio);
        }
        finally
        {
            foreach (var b in branches) b?.Dispose();
        }
    }

    private static Tensor Tap(Tensor x, long start, long span, long step) => x.slice(-1, start, start + span, step);
}
