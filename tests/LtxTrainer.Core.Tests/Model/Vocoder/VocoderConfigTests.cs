using System.Text.Json;
using System.Text.Json.Nodes;
using LtxTrainer.Core.Checkpoints;
using LtxTrainer.Core.Model.Vocoder;
using LtxTrainer.Core.Tests.Audio;
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

    [Fact]
    public void HifiGanVocoderLoadsThroughTheSamePrefixStrip()
    {
        var config = JsonNode.Parse("""
            {"vocoder": {"upsample_initial_channel": 16, "resblock": "1", "stereo": true,
                         "upsample_rates": [3, 2], "upsample_kernel_sizes": [7, 4]}}
            """)!;
        var parsed = Parse(config["vocoder"]!);
        using var reference = new VocoderGenerator(parsed.Main);
        var path = Path.Combine(_dir, "hifigan.safetensors");
        var state = reference.state_dict();
        SafetensorsWriter.Write(path, state.Select(kv => KeyValuePair.Create("vocoder." + kv.Key, kv.Value)),
            new Dictionary<string, string> { ["config"] = config.ToJsonString() });

        using var source = TensorSources.Open(path);
        using var vocoder = WaveformVocoder.Load(source);
        Assert.Null(vocoder.WithBwe);
        Assert.Equal(24000, vocoder.OutputSampleRate);
        using var scope = torch.NewDisposeScope();
        var mel = torch.randn(1, 2, 9, 64, generator: new torch.Generator(7));
        var wave = vocoder.Forward(mel);
        Assert.Equal(new long[] { 1, 2, 9 * 6 }, wave.shape);
        using (torch.no_grad())
            Assert.True(reference.forward(mel).equal(wave).all().item<bool>());
        Assert.True(wave.abs().max().item<float>() <= 1f); // tanh at the end
    }

    public void Dispose()
    {
        _golden.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
