using LtxTrainer.Core.Audio;
using LtxTrainer.Core.Model.AudioVae;
using LtxTrainer.Core.Tests.Audio;
using LtxTrainer.Core.Tests.Golden;
using TorchSharp;
using Xunit.Abstractions;

namespace LtxTrainer.Core.Tests.Model.AudioVae;

public sealed class AudioVaeGoldenTests(ITestOutputHelper output) : IDisposable
{
    private readonly AudioGolden _golden = new() { Report = output.WriteLine };

    [Fact]
    public void EncoderMatchesGoldenIncludingIntermediates()
    {
        using var source = _golden.OpenCheckpoint();
        using var encoder = AudioVaeEncoder.Load(source);
        using var scope = torch.NewDisposeScope();
        var mel = _golden.Tensor("fe16.log_mel");

        var trunk = encoder.Network.Trunk(mel);
        TensorAssert.Close(_golden.Tensor("enc.mid_out"), trunk, 1e-4, "enc.mid_out", 1e-4, output.WriteLine);
        var raw = encoder.EncodeRaw(mel);
        _golden.AssertClose("vae_encode", "enc.raw", raw);
        var tokens = encoder.MelToTokens(mel);
        TensorAssert.Close(_golden.Tensor("enc.latent_tokens"), tokens, 1e-4, "enc.latent_tokens", 1e-4, output.WriteLine);
        _golden.AssertClose("vae_encode", "enc.latent", encoder.EncodeMel(mel));

        TensorAssert.Close(_golden.Tensor("stats.mean_of_means"), encoder.Statistics.Mean, 0, "stats.mean_of_means", 0, output.WriteLine);
        TensorAssert.Close(_golden.Tensor("stats.std_of_means"), encoder.Statistics.Std, 0, "stats.std_of_means", 0, output.WriteLine);
    }

    [Fact]
    public void EncodingAResampledWaveformMatchesGolden()
    {
        using var source = _golden.OpenCheckpoint();
        using var encoder = AudioVaeEncoder.Load(source);
        using var scope = torch.NewDisposeScope();
        var wave = _golden.Tensor("fers.waveform");
        int rate = _golden.Case("frontend_resample").GetProperty("source_sample_rate").GetInt32();
        var tokens = encoder.EncodeToTokens(LogMelSpectrogramGoldenTests.Channels(wave), rate);
        var latent = AudioPatchifier.Unpatchify(tokens, encoder.Config.ZChannels, encoder.Config.LatentMelBins);
        _golden.AssertClose("vae_encode", "encrs.latent", latent);
    }

    [Fact]
    public void WaveformAt16kHzEncodesLikeItsLogMel()
    {
        using var source = _golden.OpenCheckpoint();
        using var encoder = AudioVaeEncoder.Load(source);
        using var scope = torch.NewDisposeScope();
        var tokens = encoder.EncodeToTokens(_golden.Tensor("fe16.waveform"));
        var latent = AudioPatchifier.Unpatchify(tokens, encoder.Config.ZChannels, encoder.Config.LatentMelBins);
        _golden.AssertClose("vae_encode", "enc.latent", latent);
        Assert.Equal(AudioLatentTiming.EncodedSteps(20800), tokens.shape[1]);
    }

    [Fact]
    public void DecoderMatchesGoldenIncludingIntermediates()
    {
        using var source = _golden.OpenCheckpoint();
        using var decoder = AudioVaeDecoder.Load(source);
        using var scope = torch.NewDisposeScope();
        var latent = _golden.Tensor("dec.latent_in");

        var denorm = decoder.Denormalize(latent);
        TensorAssert.Close(_golden.Tensor("dec.latent_denorm"), denorm, 1e-6, "dec.latent_denorm", 1e-6, output.WriteLine);
        var trunk = decoder.Network.Trunk(denorm);
        TensorAssert.Close(_golden.Tensor("dec.mid_out"), trunk, 1e-4, "dec.mid_out", 1e-4, output.WriteLine);
        var raw = decoder.Network.Head(trunk);
        TensorAssert.Close(_golden.Tensor("dec.raw_out"), raw, 1e-4, "dec.raw_out", 1e-4, output.WriteLine);
        _golden.AssertClose("vae_decode", "dec.mel", decoder.DecodeLatent(latent));

        var tokens = AudioPatchifier.Patchify(latent);
        _golden.AssertClose("vae_decode", "dec.mel", decoder.DecodeTokens(tokens));
    }

    [Fact]
    public void RoundTripDecodeMatchesGolden()
    {
        using var source = _golden.OpenCheckpoint();
        using var vae = LtxTrainer.Core.Model.AudioVae.AudioVae.Load(source);
        using var scope = torch.NewDisposeScope();
        var latent = vae.Encoder.EncodeMel(_golden.Tensor("fe16.log_mel"));
        var mel = vae.Decoder.DecodeLatent(latent);
        _golden.AssertClose("vae_decode", "decrt.mel", mel);
        Assert.Equal(AudioLatentTiming.DecodedMelFrames(latent.shape[2]), mel.shape[2]);
    }

    [Fact]
    public void Bf16InputsAreRunInFloat32()
    {
        using var source = _golden.OpenCheckpoint();
        using var decoder = AudioVaeDecoder.Load(source);
        using var scope = torch.NewDisposeScope();
        var latent = _golden.Tensor("dec.latent_in");
        var mel = decoder.DecodeLatent(latent.to(torch.bfloat16));
        Assert.Equal(torch.float32, mel.dtype);
        using var reference = decoder.DecodeLatent(latent.to(torch.bfloat16).to(torch.float32));
        Assert.True(reference.equal(mel).all().item<bool>());
    }

    public void Dispose() => _golden.Dispose();
}
