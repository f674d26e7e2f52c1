using TorchSharp;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.Vocoder;

/// <summary>
/// LTX-2.3's vocoder (spec §4.3): the BigVGAN-v2 generator (<c>vocoder.*</c>) makes 16 kHz audio; the
/// bandwidth extension right-pads it to a multiple of the BWE hop, takes its causal log-mel
/// (<c>mel_stft.*</c>), lets <c>bwe_generator.*</c> predict a 48 kHz residual, adds the Hann-sinc ×3
/// upsampled audio, clamps to [-1, 1] and crops to 3 × the unpadded length.
/// Inputs longer than <see cref="ChunkFrames"/> are processed in pieces that overlap by more than the
/// whole chain's reach (<see cref="OverlapFrames"/>), keeping only each piece's interior: every kept sample
/// is computed from exactly the inputs it is computed from in one pass, while the memory a pass needs
/// (which grows with its length) stays bounded.
/// </summary>
public sealed class VocoderWithBwe : nn.Module<Tensor, Tensor>
{
    private readonly VocoderGenerator vocoder;
    private readonly VocoderGenerator bwe_generator;
    private readonly MelStft mel_stft;
    private readonly BandwidthExtensionConfig _bwe;
    private HannSincUpsampler _resampler; // computed, never in the checkpoint (not a registered buffer)
    private readonly int _alignFrames;
    private int _chunkFrames = DefaultChunkFrames;

    /// <summary>10 s at the VAE's 100 mel frames per second: longer previews are split.</summary>
    public const int DefaultChunkFrames = 1000;

    public VocoderWithBwe(VocoderConfig config) : base("VocoderWithBWE")
    {
        _bwe = config.Bwe ?? throw new ArgumentException("The config has no bandwidth-extension section.", nameof(config));
        vocoder = new VocoderGenerator(config.Main);
        bwe_generator = new VocoderGenerator(_bwe.Generator);
        mel_stft = new MelStft(_bwe.NFft, _bwe.HopLength, _bwe.NumMels);
        _resampler = new HannSincUpsampler(_bwe.Ratio);
        // A piece must start on the BWE's hop grid of the whole signal, or its STFT frames would differ.
        int samplesPerFrame = config.Main.UpsampleFactor;
        _alignFrames = _bwe.HopLength / Gcd(_bwe.HopLength, samplesPerFrame);
        // Reach in mel frames: the inner generator, then the BWE generator (in hops) and its STFT window
        // looking back over the low-rate audio; the skip path's ±7 samples are far inside that.
        double reach = config.Main.ReceptiveRadiusFrames
                       + (_bwe.Generator.ReceptiveRadiusFrames * _bwe.HopLength + _bwe.NFft) / samplesPerFrame;
        OverlapFrames = RoundUp((int)Math.Ceiling(reach) + 1, _alignFrames);
        RegisterComponents();
    }

    /// <summary>Mel frames of context kept on each side of a piece (a multiple of the hop alignment).</summary>
    public int OverlapFrames { get; }

    /// <summary>Mel frames kept per piece; 0 processes any input in one pass.</summary>
    public int ChunkFrames
    {
        get => _chunkFrames;
        set => _chunkFrames = value <= 0 ? 0 : RoundUp(value, _alignFrames);
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
        long frames = mel.shape[2];
        if (_chunkFrames == 0 || frames <= _chunkFrames + 2L * OverlapFrames)
            return Pass(mel);
        long samplesPerFrame = (long)vocoder.Config.UpsampleFactor * _bwe.Ratio;
        var output = empty(mel.shape[0], mel.shape[1], frames * samplesPerFrame, dtype: ScalarType.Float32, device: mel.device);
        for (long start = 0; start < frames; start += _chunkFrames)
        {
            using var scope = NewDisposeScope();
            long end = Math.Min(frames, start + _chunkFrames);
            long from = Math.Max(0, start - OverlapFrames), to = Math.Min(frames, end + OverlapFrames);
            var piece = Pass(mel.narrow(2, from, to - from));
            output.narrow(2, start * samplesPerFrame, (end - start) * samplesPerFrame)
                .copy_(piece.narrow(2, (start - from) * samplesPerFrame, (end - start) * samplesPerFrame));
        }
        return output;
    }

    /// <summary>The reference forward over the whole of <paramref name="mel"/>.</summary>
    private Tensor Pass(Tensor mel)
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

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    protected override void Dispose(bool disposing)
    {
        if (disposing) _resampler.Dispose();
        base.Dispose(disposing);
    }
}
