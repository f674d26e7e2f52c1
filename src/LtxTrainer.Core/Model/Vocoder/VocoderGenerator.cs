using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.Vocoder;

/// <summary>
/// Mel → waveform generator (<c>Vocoder</c>, ltx_core/model/audio_vae/vocoder.py): <c>conv_pre</c>; per stage a
/// transposed-conv upsample
/// (<c>ups.{i}</c>, [HiFi-GAN: leaky ReLU 0.1 first]) and the MEAN of its residual blocks
/// (<c>resblocks.{i·K + j}</c>) all fed the same input; <c>act_post</c>; <c>conv_post</c>; final tanh or
/// clamp when enabled. Input [B, 2, T, mels] (stereo log-mel), output [B, 2, T·∏rates].
/// </summary>
public sealed class VocoderGenerator : nn.Module<Tensor, Tensor>
{
    /// <summary>conv_pre's input width: 2 stereo channels × 64 mel bins (fixed in the reference).</summary>
    public const int InputChannels = 128;

    private readonly Conv1d conv_pre;
    private readonly ModuleList<ConvTranspose1d> ups = new();
    private readonly ModuleList<nn.Module<Tensor, Tensor>> resblocks = new();
    private readonly Activation1d? act_post;
    private readonly Conv1d conv_post;
    private readonly VocoderGeneratorConfig _config;

    public VocoderGenerator(VocoderGeneratorConfig config) : base("Vocoder")
    {
        _config = config;
        int c0 = config.UpsampleInitialChannel;
        conv_pre = nn.Conv1d(InputChannels, c0, 7, stride: 1, padding: 3);
        for (int i = 0; i < config.UpsampleRates.Count; i++)
        {
            int rate = config.UpsampleRates[i], kernel = config.UpsampleKernelSizes[i];
            ups.Add(nn.ConvTranspose1d(c0 >> i, c0 >> (i + 1), kernel, stride: rate, padding: (kernel - rate) / 2));
        }
        bool snakeBeta = config.Activation == "snakebeta";
        for (int i = 0; i < config.UpsampleRates.Count; i++)
        {
            long ch = c0 >> (i + 1);
            for (int j = 0; j < config.ResblockKernelSizes.Count; j++)
                resblocks.Add(config.IsAmp
                    ? new AmpBlock1(ch, config.ResblockKernelSizes[j], config.ResblockDilationSizes[j], snakeBeta)
                    : new HifiGanResBlock1(ch, config.ResblockKernelSizes[j], config.ResblockDilationSizes[j]));
        }
        long finalChannels = c0 >> config.UpsampleRates.Count;
        // HiFi-GAN's act_post is a parameterless LeakyReLU (torch default slope 0.01), applied in forward.
        if (config.IsAmp) act_post = new Activation1d(finalChannels, snakeBeta);
        conv_post = nn.Conv1d(finalChannels, 2, 7, stride: 1, padding: 3, bias: config.UseBiasAtFinal);
        RegisterComponents();
    }

    public VocoderGeneratorConfig Config => _config;

    /// <summary>[B, 2, T, mels] → [B, 2, T·∏rates].</summary>
    public override Tensor forward(Tensor mel)
    {
        if (mel.dim() != 4 || mel.shape[1] != 2 || mel.shape[3] * 2 != InputChannels)
            throw new ArgumentException($"Expected a stereo log-mel [B, 2, T, {InputChannels / 2}], got [{string.Join(", ", mel.shape)}].", nameof(mel));
        long b = mel.shape[0], t = mel.shape[2];
        Tensor x;
        using (var flat = mel.transpose(2, 3).reshape(b, InputChannels, t))   // channel = s·mels + m
            x = conv_pre.forward(flat);
        int k = _config.ResblockKernelSizes.Count;
        // Intermediates are disposed as soon as they are consumed: the last stages of a long clip are
        // the largest tensors of the whole pipeline.
        for (int i = 0; i < ups.Count; i++)
        {
            if (!_config.IsAmp) Replace(ref x, nn.functional.leaky_relu(x, HifiGanResBlock1.LeakySlope));
            Replace(ref x, ups[i].forward(x));
            // The mean of the stage's residual blocks, all fed the same input: (r0 + r1 + r2) / 3.
            var sum = resblocks[i * k].forward(x);
            for (int j = 1; j < k; j++)
                using (var r = resblocks[i * k + j].forward(x))
                    sum.add_(r);
            Replace(ref x, sum.div_(k));
        }
        Replace(ref x, act_post is not null ? act_post.forward(x) : nn.functional.leaky_relu(x, 0.01));
        Replace(ref x, conv_post.forward(x));
        if (_config.ApplyFinalActivation)
            x = _config.UseTanhAtFinal ? x.tanh_() : x.clamp_(-1, 1);
        return x;
    }

    private static void Replace(ref Tensor x, Tensor next)
    {
        x.Dispose();
        x = next;
    }
}
