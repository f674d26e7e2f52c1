using LtxTrainer.Core.Audio;
using LtxTrainer.Core.Model.AudioVae;
using LtxTrainer.Core.Model.Vocoder;
using LtxTrainer.Core.Tests.Audio;
using LtxTrainer.Core.Tests.Golden;
using TorchSharp;
using Xunit.Abstractions;

namespace LtxTrainer.Core.Tests.Model.Vocoder;

public sealed class VocoderGoldenTests(ITestOutputHelper output) : IDisposable
{
    private readonly AudioGolden _golden = new() { Report = output.WriteLine };

    [Fact]
    public void VocoderWithBweMatchesGoldenStageByStage()
    {
        using var source = _golden.OpenCheckpoint();
        using var vocoder = WaveformVocoder.Load(source);
        var bwe = vocoder.WithBwe ?? throw new Xunit.Sdk.XunitException("LTX-2.3 config must build the BWE vocoder");
        using var scope = torch.NewDisposeScope();
        var mel = _golden.Tensor("fe16.log_mel");

        torch.Tensor low;
        using (torch.no_grad()) low = bwe.Main.forward(mel);
        _golden.AssertClose("vocoder", "voc.main_out", low);
        var padded = bwe.PadToHop(low);
        TensorAssert.Close(_golden.Tensor("voc.main_out_padded"), padded, 1e-4, "voc.main_out_padded", 1e-4, output.WriteLine);
        torch.Tensor bweMel, residual;
        using (torch.no_grad())
        {
            bweMel = bwe.BweMel(padded);
            residual = bwe.Residual(bweMel);
        }
        _golden.AssertClose("vocoder", "voc.bwe_mel", bweMel);
        _golden.AssertClose("vocoder", "voc.bwe_residual", residual);
        _golden.AssertClose("vocoder", "voc.skip", bwe.Resampler.Forward(padded));
        _golden.AssertClose("vocoder", "voc.waveform", vocoder.Forward(mel));
    }

    [Fact]
    public void SkipFilterIsComputedExactly()
    {
        using var upsampler = new HannSincUpsampler(3);
        using var expected = _golden.Tensor("voc.resampler_filter");
        TensorAssert.Close(expected, upsampler.Filter, 1e-8, "voc.resampler_filter", 0, output.WriteLine);
    }

    [Fact]
    public void AntiAliasFiltersAreLoadedFromTheCheckpoint()
    {
        using var source = _golden.OpenCheckpoint();
        using var vocoder = WaveformVocoder.Load(source);
        var state = vocoder.Generator.state_dict();
        using var up = _golden.Tensor("voc.act_upsample_filter");
        using var down = _golden.Tensor("voc.act_downsample_filter");
        TensorAssert.Close(up, state["act_post.upsample.filter"], 0, "act_post.upsample.filter", 0, output.WriteLine);
        TensorAssert.Close(down, state["act_post.downsample.lowpass.filter"], 0, "act_post.downsample.lowpass.filter", 0, output.WriteLine);
    }

    [Fact]
    public void EveryBufferAndWeightHoldsTheCheckpointValue()
    {
        // The BWE mel/STFT bases and every anti-alias filter are loaded, not recomputed: a recomputed basis
        // would differ from the stored (bf16-rounded) one.
        using var source = _golden.OpenCheckpoint();
        using var vocoder = WaveformVocoder.Load(source);
        var state = vocoder.WithBwe!.state_dict();
        Assert.Contains("mel_stft.mel_basis", state.Keys);
        Assert.Contains("mel_stft.stft_fn.forward_basis", state.Keys);
        Assert.Equal(source.Names.Count(n => n.StartsWith(WaveformVocoder.Prefix, StringComparison.Ordinal)), state.Count);
        foreach (var (name, value) in state)
        {
            using var stored = source.Load(WaveformVocoder.Prefix + name);
            Assert.True(stored.equal(value).all().item<bool>(), $"{name} differs from the checkpoint");
        }
    }

    [Fact]
    public void DecodeAudioMatchesGoldenWaveformAndPcm()
    {
        using var source = _golden.OpenCheckpoint();
        using var decoder = AudioVaeDecoder.Load(source);
        using var vocoder = WaveformVocoder.Load(source);
        using var scope = torch.NewDisposeScope();
        var latent = _golden.Tensor("dec.latent_in");
        var waveform = vocoder.Forward(decoder.DecodeLatent(latent)).squeeze(0);
        _golden.AssertClose("decode_audio", "decode_audio.waveform", waveform);
        Assert.Equal(_golden.Case("decode_audio").GetProperty("sampling_rate").GetInt32(), vocoder.OutputSampleRate);

        var pcm = Pcm16.FromWaveform(waveform);
        var expected = _golden.Tensor("decode_audio.pcm_s16");
        var actual = torch.tensor(pcm.Select(v => (float)v).ToArray(), expected.shape);
        _golden.AssertClose("decode_audio", "decode_audio.pcm_s16", actual);
        long melFrames = AudioLatentTiming.DecodedMelFrames(latent.shape[2]);
        Assert.Equal(melFrames * vocoder.Generator.Config.UpsampleFactor * vocoder.Config.Bwe!.Ratio, waveform.shape[1]);
    }

    public void Dispose() => _golden.Dispose();
}
