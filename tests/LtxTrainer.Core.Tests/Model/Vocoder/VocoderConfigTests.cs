using System.Text.Json;
using System.Text.Json.Nodes;
using LtxTrainer.Core.Checkpoints;
using LtxTrainer.Core.Model.Vocoder;
using LtxTrainer.Core.Tests.Audio;
using LtxTrainer.Core.Tests.Golden;
using TorchSharp;

namespace LtxTrainer.Core.Tests.Model.Vocoder;

public sealed class VocoderConfigTests : IDisposable
{
    private readonly AudioGolden _golden = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("ltx-vocoder-").FullName;

    private JsonNode GoldenSection()
    {
        using var source = _golden.OpenCheckpoint();
        return JsonNode.Parse(source.Metadata["config"])!["vocoder"]!;
    }

    private static VocoderConfig Parse(JsonNode section) =>
        VocoderConfig.FromJson(JsonDocument.Parse(section.ToJsonString()).RootElement);

    [Fact]
    public void NestedSectionBuildsBigVganWithBwe()
    {
        var s = GoldenSection();
        var bweJson = s["bwe"]!;
        var c = Parse(s);
        Assert.NotNull(c.Bwe);
        Assert.True(c.Main.IsAmp);
        Assert.True(c.Main.ApplyFinalActivation);          // inner vocoder clamps
        Assert.False(c.Bwe!.Generator.ApplyFinalActivation); // BWE generator never does
        Assert.Equal((bool)s["vocoder"]!["use_bias_at_final"]!, c.Main.UseBiasAtFinal);
        Assert.Equal((int)bweJson["input_sampling_rate"]!, c.Main.OutputSamplingRate);
        Assert.Equal((int)bweJson["output_sampling_rate"]!, c.OutputSamplingRate);
        Assert.Equal(c.OutputSamplingRate / c.Main.OutputSamplingRate, c.Bwe.Ratio);
        Assert.Equal(((int)bweJson["n_fft"]!, (int)bweJson["hop_length"]!, (int)bweJson["num_mels"]!),
            (c.Bwe.NFft, c.Bwe.HopLength, c.Bwe.NumMels));
        Assert.Equal(bweJson["upsample_rates"]!.AsArray().Select(v => (int)v!), c.Bwe.Generator.UpsampleRates);
        Assert.Equal(s["vocoder"]!["upsample_rates"]!.AsArray().Select(v => (int)v!), c.Main.UpsampleRates);
    }

    [Fact]
    public void FlatSectionIsTheLtx2HifiGan()
    {
        var c = Parse(JsonNode.Parse("{\"upsample_initial_channel\": 1024, \"resblock\": \"1\", \"stereo\": true}")!);
        Assert.Null(c.Bwe);
        Assert.False(c.Main.IsAmp);
        Assert.True(c.Main.UseTanhAtFinal);
        Assert.Equal(24000, c.OutputSamplingRate);
        Assert.Equal(new[] { 6, 5, 2, 2, 2 }, c.Main.UpsampleRates);
        Assert.Equal(240, c.Main.UpsampleFactor);
    }

    [Theory]
    [InlineData("vocoder", "activation", "\"snake\"")]
    [InlineData("bwe", "resblock", "\"2\"")]
    [InlineData("bwe", "stereo", "false")]
    [InlineData("bwe", "hop_length", "null")]
    [InlineData("vocoder", "stereo", "null")]
    [InlineData("bwe", "activation", "null")]
    public void UnsupportedOrMissingValuesAreErrors(string part, string key, string json)
    {
        var s = GoldenSection();
        s[part]![key] = JsonNode.Parse(json);
        var ex = Assert.Throws<CheckpointFormatException>(() => Parse(s));
        Assert.Contains(key, ex.Message);
    }

    [Theory]
    [InlineData("""{"upsample_rates": [6, 5]}""", "upsample_rates")]
    [InlineData("""{"resblock_kernel_sizes": [3, 7]}""", "resblock_kernel_sizes")]
    [InlineData("""{"resblock_dilation_sizes": [[1, 3], [1, 3, 5], [1, 3, 5]]}""", "resblock_dilation_sizes")]
    [InlineData("""{"upsample_initial_channel": 16}""", "upsample_initial_channel")]
    [InlineData("""{"upsample_rates": "6"}""", "upsample_rates")]
    public void InconsistentHifiGanShapesAreErrorsNamingTheKey(string change, string key)
    {
        var section = JsonNode.Parse("""{"resblock": "1", "stereo": true}""")!.AsObject();
        foreach (var (k, v) in JsonNode.Parse(change)!.AsObject().ToList())
            section[k] = v?.DeepClone();
        var ex = Assert.Throws<CheckpointFormatException>(() => Parse(section));
        Assert.Equal("config.vocoder." + key, ex.Key);
    }

    [Fact]
    public void BweOutputRateMustBeAMultipleOfItsInputRate()
    {
        var s = GoldenSection();
        s["bwe"]!["output_sampling_rate"] = (int)s["bwe"]!["input_sampling_rate"]! * 3 / 2;
        var ex = Assert.Throws<CheckpointFormatException>(() => Parse(s));
        Assert.Equal("config.vocoder.bwe.output_sampling_rate", ex.Key);
        Assert.Contains("multiple", ex.Message);
    }

    [Fact]
    public void ACheckpointWithoutAVocoderSectionIsAnError()
    {
        var path = Path.Combine(_dir, "no-vocoder.safetensors");
        SafetensorsWriter.Write(path, [KeyValuePair.Create("x", torch.zeros(1))],
            new Dictionary<string, string> { ["config"] = """{"audio_vae": {}}""" });
        using var source = TensorSources.Open(path);
        var ex = Assert.Throws<CheckpointFormatException>(() => VocoderConfig.FromCheckpoint(source));
        Assert.Equal("config.vocoder", ex.Key);
    }

    // The LTX-2 (19B) HiFi-GAN vocoder has no reference vectors. This builds a small one from seeded weights
    // under the checkpoint's key names and compares the loaded vocoder with the generator written out from
    // ltx-core's vocoder.py / HiFi-GAN resnet.py formulas with plain torch functions (not the classes under test).
    [Fact]
    public void HifiGanVocoderMatchesTheUpstreamFormulasOnASmallCase()
    {
        var config = JsonNode.Parse("""
            {"vocoder": {"upsample_initial_channel": 8, "resblock": "1", "stereo": true,
                         "upsample_rates": [3, 2], "upsample_kernel_sizes": [7, 4],
                         "resblock_kernel_sizes": [3, 5], "resblock_dilation_sizes": [[1, 3, 5], [1, 3, 5]]}}
            """)!;
        var weights = HifiGanReference.SeededWeights(initialChannels: 8, rates: [3, 2], kernels: [7, 4], resblockKernels: [3, 5], seed: 7);
        var path = Path.Combine(_dir, "hifigan.safetensors");
        SafetensorsWriter.Write(path, weights.Select(kv => KeyValuePair.Create("vocoder." + kv.Key, kv.Value)),
            new Dictionary<string, string> { ["config"] = config.ToJsonString() });

        using var source = TensorSources.Open(path);
        using var vocoder = WaveformVocoder.Load(source);
        Assert.Null(vocoder.WithBwe);
        Assert.Equal(24000, vocoder.OutputSampleRate);
        using var scope = torch.NewDisposeScope();
        var mel = torch.randn([1, 2, 5, 64], generator: new torch.Generator(7));
        var wave = vocoder.Forward(mel);
        Assert.Equal(new long[] { 1, 2, 5 * 6 }, wave.shape);
        var expected = HifiGanReference.Forward(mel, weights, rates: [3, 2], kernels: [7, 4], resblocks: 2);
        TensorAssert.Close(expected, wave, 1e-5, "HiFi-GAN vocoder vs the upstream formulas");
        Assert.True(expected.abs().max().item<float>() > 0.05, "the case should produce a non-trivial waveform");
        foreach (var t in weights.Values) t.Dispose();
    }

    public void Dispose()
    {
        _golden.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
