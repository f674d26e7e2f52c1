using TorchSharp;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.Vocoder;

/// <summary>
/// LTX-2.3's vocoder (<c>VocoderWithBWE</c>, ltx_core/model/audio_vae/vocoder.py): the BigVGAN-v2 generator
/// (<c>vocoder.*</c>) makes 16 kHz audio; the
/// bandwidth extension right-pads it to a multiple of the BWE hop, takes its causal log-mel
/// (<c>mel_stft.*</c>), lets <c>bwe_generator.*</c> predict a 48 kHz residual, adds the Hann-sinc ×3
/// upsampled audio, clamps to [-1, 1] and crops to 3 × the unpadded length.
/// </summary>
public sealed class VocoderWithBwe : nn.Module<Tensor, Tensor>
{
    private readonly VocoderGenerator vocoder;
    private readonly VocoderGenerator bwe_generator;
    private readonly MelStft mel_stft;
    private readonly BandwidthExtensionConfig _bwe;
    private HannSincUpsampler _resampler; // computed, never in the checkpoint (not a registered buffer)

    public VocoderWithBwe(VocoderConfig config) : base("VocoderWithBWE")
    {
        _bwe = config.Bwe ?? throw new ArgumentException("The config has no bandwidth-extension section.", nameof(config));
        vocoder = new VocoderGenerator(config.Main);
        bwe_generator = new VocoderGenerator(_bwe.Generator);
        mel_stft = new MelStft(_bwe.NFft, _bwe.HopLength, _bwe.NumMels);
        _resampler = new HannSincUpsampler(_bwe.Ratio);
        RegisterComponents();
    }

    public VocoderGenerator Main => vocoder;
    public VocoderGenerator BweGenerator => bwe_generator;
    public HannSincUpsampler Resampler => _resampler;
    public MelStft MelStft => mel_stft;

    /// <summary>Moves the skip filter along with the registered weights.</summary>
    public void MoveResamplerTo(Device device)
    {
        var old = _resampler;
        _resampler = new HannSincUpsampler(_bwe.Ratio, device);
        old.Dispose();
    }

    /// <summary>Zero right-padding of low-rate audio [B, C, T] to a multiple of the BWE hop.</summary>
    public Tensor PadToHop(Tensor lowRate)
    {
        long remainder = lowRate.shape[2] % _bwe.HopLength;
        return remainder == 0 ? lowRate.alias() : nn.functional.pad(lowRate, [0, _bwe.HopLength - remainder]);
    }

    /// <summary>Causal log-mel [B, C, mels, frames] of (padded) low-rate audio [B, C, T].</summary>
    public Tensor BweMel(Tensor padded)
    {
        using var scope = NewDisposeScope();
        long b = padded.shape[0], c = padded.shape[1];
        var mel = mel_stft.forward(padded.reshape(b * c, -1));
        return mel.reshape(b, c, mel.shape[1], mel.shape[2]).MoveToOuterDisposeScope();
    }

    /// <summary>BWE residual at the output rate of a BWE log-mel [B, C, mels, frames].</summary>
    public Tensor Residual(Tensor bweMel)
    {
        using var t = bweMel.transpose(2, 3);
        return bwe_generator.forward(t);
    }

    /// <summary>Stereo log-mel [B, 2, T, mels] → waveform [B, 2, 3·160·T] at the output rate, in float32.</summary>
    public override Tensor forward(Tensor mel)
    {
        using var scope = NewDisposeScope();
        var low = vocoder.forward(mel.to(ScalarType.Float32));
        long outLength = low.shape[2] * _bwe.OutputSamplingRate / _bwe.InputSamplingRate;
        var padded = PadToHop(low);
        low.Dispose();
        var residual = Residual(BweMel(padded));
        var skip = _resampler.Forward(padded);
        if (!residual.shape.SequenceEqual(skip.shape))
            throw new InvalidOperationException($"BWE residual [{string.Join(", ", residual.shape)}] and skip [{string.Join(", ", skip.shape)}] differ; the BWE rates do not match its hop.");
        return (residual + skip).clamp_(-1, 1).narrow(2, 0, outLength).contiguous().MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _resampler.Dispose();
        base.Dispose(disposing);
    }
}
