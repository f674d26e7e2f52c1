using static TorchSharp.torch;

namespace LtxTrainer.Core.Tests.Model.Vocoder;

/// <summary>
/// The LTX-2 HiFi-GAN generator written out from the upstream formulas (ltx-core
/// <c>core/model/audio_vae/vocoder.py</c>, HiFi-GAN <c>ResBlock1</c>) with plain torch functions, as an
/// independent reference for the vocoder classes: stereo mel → 128 channels (s·64 + mel), conv_pre (k7);
/// per stage leaky ReLU 0.1, transposed conv (stride r, padding (k − r)/2), mean of the residual blocks;
/// leaky ReLU 0.01 (torch default), conv_post (k7), tanh.
/// </summary>
internal static class HifiGanReference
{
    private static readonly int[] Dilations = [1, 3, 5];

    /// <summary>Checkpoint-named weights drawn from a seeded generator (shapes from the formulas above).</summary>
    public static Dictionary<string, Tensor> SeededWeights(int initialChannels, int[] rates, int[] kernels, int[] resblockKernels, long seed)
    {
        using var g = new Generator((ulong)seed);
        var w = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        void Add(string name, params long[] shape) => w[name] = randn(shape, generator: g) * 0.3;
        Add("conv_pre.weight", initialChannels, 128, 7);
        Add("conv_pre.bias", initialChannels);
        for (int i = 0; i < rates.Length; i++)
        {
            long cin = initialChannels >> i, cout = initialChannels >> (i + 1);
            Add($"ups.{i}.weight", cin, cout, kernels[i]);        // ConvTranspose1d: [in, out, k]
            Add($"ups.{i}.bias", cout);
            for (int j = 0; j < resblockKernels.Length; j++)
                for (int d = 0; d < Dilations.Length; d++)
                    foreach (var conv in new[] { "convs1", "convs2" })
                    {
                        Add($"resblocks.{i * resblockKernels.Length + j}.{conv}.{d}.weight", cout, cout, resblockKernels[j]);
                        Add($"resblocks.{i * resblockKernels.Length + j}.{conv}.{d}.bias", cout);
                    }
        }
        Add("conv_post.weight", 2, initialChannels >> rates.Length, 7);
        Add("conv_post.bias", 2);
        return w;
    }

    public static Tensor Forward(Tensor mel, IReadOnlyDictionary<string, Tensor> w, int[] rates, int[] kernels, int resblocks)
    {
        long b = mel.shape[0], t = mel.shape[2];
        var x = mel.transpose(2, 3).reshape(b, 128, t);
        x = nn.functional.conv1d(x, w["conv_pre.weight"], w["conv_pre.bias"], padding: 3);
        for (int i = 0; i < rates.Length; i++)
        {
            x = nn.functional.leaky_relu(x, 0.1);
            x = nn.functional.conv_transpose1d(x, w[$"ups.{i}.weight"], w[$"ups.{i}.bias"], stride: rates[i], padding: (kernels[i] - rates[i]) / 2);
            Tensor? sum = null;
            for (int j = 0; j < resblocks; j++)
            {
                var r = ResBlock1(x, w, $"resblocks.{i * resblocks + j}");
                sum = sum is null ? r : sum + r;
            }
            x = sum! / resblocks;
        }
        x = nn.functional.leaky_relu(x, 0.01);
        x = nn.functional.conv1d(x, w["conv_post.weight"], w["conv_post.bias"], padding: 3);
        return x.tanh();
    }

    // x += conv2(lrelu(conv1_dilated(lrelu(x)))) for dilations 1, 3, 5; "same" padding k·d − d over 2.
    private static Tensor ResBlock1(Tensor x, IReadOnlyDictionary<string, Tensor> w, string prefix)
    {
        for (int d = 0; d < Dilations.Length; d++)
        {
            var c1 = w[$"{prefix}.convs1.{d}.weight"];
            long k = c1.shape[2], dil = Dilations[d];
            var h = nn.functional.leaky_relu(x, 0.1);
            h = nn.functional.conv1d(h, c1, w[$"{prefix}.convs1.{d}.bias"], padding: (k * dil - dil) / 2, dilation: dil);
            h = nn.functional.leaky_relu(h, 0.1);
            h = nn.functional.conv1d(h, w[$"{prefix}.convs2.{d}.weight"], w[$"{prefix}.convs2.{d}.bias"], padding: (k - 1) / 2);
            x = x + h;
        }
        return x;
    }
}
