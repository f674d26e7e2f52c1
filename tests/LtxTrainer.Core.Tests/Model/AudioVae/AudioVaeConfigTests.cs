using System.Text.Json;
using System.Text.Json.Nodes;
using LtxTrainer.Core.Checkpoints;
using LtxTrainer.Core.Model.AudioVae;
using LtxTrainer.Core.Tests.Audio;

namespace LtxTrainer.Core.Tests.Model.AudioVae;

public sealed class AudioVaeConfigTests : IDisposable
{
    private readonly AudioGolden _golden = new();

    private JsonNode GoldenSection()
    {
        using var source = _golden.OpenCheckpoint();
        return JsonNode.Parse(source.Metadata["config"])!["audio_vae"]!;
    }

    private static AudioVaeConfig Parse(JsonNode section) =>
        AudioVaeConfig.FromJson(JsonDocument.Parse(section.ToJsonString()).RootElement);

    [Fact]
    public void CheckpointConfigIsReadAsWritten()
    {
        var s = GoldenSection();
        var dd = s["model"]!["params"]!["ddconfig"]!;
        var c = Parse(s);
        Assert.Equal((int)dd["ch"]!, c.Ch);
        Assert.Equal(dd["ch_mult"]!.AsArray().Select(v => (int)v!), c.ChMult);
        Assert.Equal((int)dd["num_res_blocks"]!, c.NumResBlocks);
        Assert.Equal((int)dd["z_channels"]!, c.ZChannels);
        Assert.Equal(dd["attn_resolutions"]!.AsArray().Select(v => (int)v!), c.AttnResolutions);
        Assert.Equal((bool)dd["mid_block_add_attention"]!, c.MidBlockAddAttention);
        Assert.Equal((int)dd["mel_bins"]!, c.MelBins);
        Assert.Equal((int)s["preprocessing"]!["stft"]!["filter_length"]!, c.NFft);
        Assert.Equal((int)s["preprocessing"]!["stft"]!["hop_length"]!, c.HopLength);
        Assert.Equal((int)s["model"]!["params"]!["sampling_rate"]!, c.SampleRate);
        Assert.Equal(c.ZChannels * c.MelBins / (1 << (c.ChMult.Count - 1)), c.TokenWidth);
    }

    [Fact]
    public void AbsentKeysTakeTheReferenceDefaults()
    {
        var c = AudioVaeConfig.FromJson(JsonDocument.Parse("{}").RootElement);
        Assert.Equal(128, c.Ch);
        Assert.Equal(new[] { 1, 2, 4 }, c.ChMult);
        Assert.Equal(2, c.NumResBlocks);
        Assert.Equal(8, c.ZChannels);
        Assert.Equal(new[] { 8, 16, 32 }, c.AttnResolutions); // code default; real checkpoints say []
        Assert.True(c.MidBlockAddAttention);                   // code default; real checkpoints say false
        Assert.Equal(128, c.TokenWidth);
    }

    [Fact]
    public void MelBinsFallBackToThePreprocessingSection()
    {
        var s = GoldenSection();
        s["model"]!["params"]!["ddconfig"]!.AsObject().Remove("mel_bins");
        s["preprocessing"]!["mel"]!["n_mel_channels"] = 80;
        Assert.Equal(80, Parse(s).MelBins);
    }

    [Theory]
    [InlineData("norm_type", "\"group\"")]
    [InlineData("causality_axis", "\"width\"")]
    [InlineData("attn_type", "\"linear\"")]
    [InlineData("ch", "\"wide\"")]
    public void UnsupportedOrMalformedValuesAreErrors(string key, string json)
    {
        var s = GoldenSection();
        s["model"]!["params"]!["ddconfig"]![key] = JsonNode.Parse(json);
        var ex = Assert.Throws<CheckpointFormatException>(() => Parse(s));
        Assert.Contains(key, ex.Message);
    }

    [Fact]
    public void EnablingAttentionRequiresItsWeights()
    {
        // A checkpoint whose config enables the mid attention must carry mid.attn_1.* — never silently skipped.
        using var source = _golden.OpenCheckpoint();
        var config = JsonNode.Parse(source.Metadata["config"])!;
        config["audio_vae"]!["model"]!["params"]!["ddconfig"]!["mid_block_add_attention"] = true;
        using var patched = new MetadataOverride(source, config.ToJsonString());
        var ex = Assert.Throws<CheckpointFormatException>(() => AudioVaeEncoder.Load(patched));
        Assert.StartsWith("audio_vae.encoder.mid.attn_1.", ex.Key);
    }

    public void Dispose() => _golden.Dispose();

    /// <summary>The same tensors under a different config.</summary>
    private sealed class MetadataOverride(ITensorSource inner, string config) : ITensorSource
    {
        public IReadOnlyCollection<string> Names => inner.Names;
        public IReadOnlyDictionary<string, string> Metadata { get; } = new Dictionary<string, string>(inner.Metadata) { ["config"] = config };
        public SafetensorsTensorInfo? TryGetInfo(string name) => inner.TryGetInfo(name);
        public TorchSharp.torch.Tensor Load(string name, TorchSharp.torch.ScalarType? dtype = null, TorchSharp.torch.Device? device = null) =>
            inner.Load(name, dtype, device);
        public void Dispose() { }
    }
}
