using LtxTrainer.Core.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.Vocoder;

/// <summary>
/// The checkpoint's vocoder, whichever kind its config describes: LTX-2.3 BigVGAN-v2 + bandwidth
/// extension (48 kHz) or the LTX-2 HiFi-GAN (24 kHz). Weights come from <c>vocoder.*</c> with the
/// leading <c>vocoder.</c> stripped exactly once (so <c>vocoder.vocoder.conv_pre</c> is the inner
/// generator's <c>conv_pre</c>). Runs in float32 whatever the input or stored dtype.
/// </summary>
public sealed class WaveformVocoder : IDisposable
{
    public const string Prefix = "vocoder.";

    private readonly nn.Module<Tensor, Tensor> _module;

    private WaveformVocoder(VocoderConfig config, nn.Module<Tensor, Tensor> module, Device device)
    {
        Config = config;
        _module = module;
        Device = device;
    }

    public VocoderConfig Config { get; }
    public Device Device { get; }

    /// <summary>Sample rate of <see cref="Forward"/>'s output (48000 for LTX-2.3, 24000 for LTX-2).</summary>
    public int OutputSampleRate => Config.OutputSamplingRate;

    /// <summary>The LTX-2.3 module, or null for an LTX-2 HiFi-GAN vocoder.</summary>
    public VocoderWithBwe? WithBwe => _module as VocoderWithBwe;

    /// <summary>The generator that turns the decoder's mel into waveform (the inner one for LTX-2.3).</summary>
    public VocoderGenerator Generator => _module as VocoderGenerator ?? ((VocoderWithBwe)_module).Main;

    public static WaveformVocoder Load(ITensorSource source, Device? device = null, string description = "vocoder")
    {
        var config = VocoderConfig.FromCheckpoint(source, description);
        return Create(config, source, device, description);
    }

    /// <summary>Builds the module for <paramref name="config"/> and loads its weights from <paramref name="source"/>.</summary>
    public static WaveformVocoder Create(VocoderConfig config, ITensorSource source, Device? device = null, string description = "vocoder")
    {
        var dev = device ?? CPU;
        nn.Module<Tensor, Tensor> module = config.Bwe is null ? new VocoderGenerator(config.Main) : new VocoderWithBwe(config);
        FrozenModule.Load(module, source, Prefix, description, dev, m =>
        {
            if (m is not VocoderWithBwe bwe) return;
            bwe.MoveResamplerTo(dev);
            bwe.MelStft.Stft.ValidateLayout(description, Prefix + "mel_stft.stft_fn.forward_basis");
        });
        return new WaveformVocoder(config, module, dev);
    }

    /// <summary>Stereo log-mel [B, 2, T, mels] (the decoder's output) → waveform [B, 2, samples] at <see cref="OutputSampleRate"/>.</summary>
    public Tensor Forward(Tensor mel)
    {
        using var _ = no_grad();
        using var input = mel.to(ScalarType.Float32, Device);
        return _module.forward(input);
    }

    public void Dispose() => _module.Dispose();
}
