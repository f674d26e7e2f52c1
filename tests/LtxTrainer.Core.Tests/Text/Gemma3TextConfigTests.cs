using System.Text.Json;
using LtxTrainer.Core.Checkpoints;
using LtxTrainer.Core.Tests.Golden;
using LtxTrainer.Core.Text;

namespace LtxTrainer.Core.Tests.Text;

public sealed class Gemma3TextConfigTests
{
    [Fact]
    public void Load_GoldenFolder_MatchesResolvedConfig()
    {
        using var golden = new TextGolden();
        var resolved = golden.Json.RootElement.GetProperty("gemma").GetProperty("resolved_text_config");

        var c = Gemma3TextConfig.Load(golden.PathOf("gemma/config.json"));

        Assert.Equal(resolved.GetProperty("vocab_size").GetInt32(), c.VocabSize);
        Assert.Equal(resolved.GetProperty("hidden_size").GetInt32(), c.HiddenSize);
        Assert.Equal(resolved.GetProperty("intermediate_size").GetInt32(), c.IntermediateSize);
        Assert.Equal(resolved.GetProperty("num_hidden_layers").GetInt32(), c.NumHiddenLayers);
        Assert.Equal(resolved.GetProperty("num_attention_heads").GetInt32(), c.NumAttentionHeads);
        Assert.Equal(resolved.GetProperty("num_key_value_heads").GetInt32(), c.NumKeyValueHeads);
        Assert.Equal(resolved.GetProperty("head_dim").GetInt32(), c.HeadDim);
        Assert.Equal(resolved.GetProperty("query_pre_attn_scalar").GetDouble(), c.QueryPreAttnScalar);
        Assert.Equal(resolved.GetProperty("sliding_window").GetInt32(), c.SlidingWindow);
        Assert.Equal(resolved.GetProperty("rms_norm_eps").GetDouble(), c.RmsNormEps);
        var types = resolved.GetProperty("layer_types").EnumerateArray()
            .Select(t => t.GetString() == "full_attention" ? Gemma3LayerType.FullAttention : Gemma3LayerType.SlidingAttention);
        Assert.Equal(types, c.LayerTypes);
        AssertRope(resolved.GetProperty("rope_parameters").GetProperty("sliding_attention"), c.SlidingRope);
        AssertRope(resolved.GetProperty("rope_parameters").GetProperty("full_attention"), c.FullRope);
    }

    private static void AssertRope(JsonElement expected, Gemma3RopeParameters actual)
    {
        Assert.Equal(expected.GetProperty("rope_type").GetString(), actual.RopeType);
        Assert.Equal(expected.GetProperty("rope_theta").GetDouble(), actual.Theta);
        Assert.Equal(expected.TryGetProperty("factor", out var f) ? f.GetDouble() : 1.0, actual.Factor);
    }

    [Fact]
    public void Parse_HubLayoutWithOnlyPublishedKeys_UsesGemma3TextDefaults()
    {
        const string json = """
        {"architectures": ["Gemma3ForConditionalGeneration"], "model_type": "gemma3",
         "text_config": {"hidden_size": 3840, "intermediate_size": 15360, "model_type": "gemma3_text",
           "num_attention_heads": 16, "num_hidden_layers": 48, "num_key_value_heads": 8,
           "rope_scaling": {"factor": 8.0, "rope_type": "linear"}, "sliding_window": 1024}}
        """;

        var c = Gemma3TextConfig.Parse(json, "config.json");

        Assert.Equal(262208, c.VocabSize);
        Assert.Equal(256, c.HeadDim);
        Assert.Equal(256, c.QueryPreAttnScalar);
        Assert.Equal(1e-6, c.RmsNormEps);
        Assert.Equal(49, c.HiddenStateCount);
        Assert.Equal(8, c.LayerTypes.Count(t => t == Gemma3LayerType.FullAttention));
        Assert.Equal(Gemma3LayerType.FullAttention, c.LayerTypes[5]);
        Assert.Equal(Gemma3LayerType.SlidingAttention, c.LayerTypes[6]);
        Assert.Equal(new Gemma3RopeParameters("linear", 1e6, 8.0), c.FullRope);
        Assert.Equal(new Gemma3RopeParameters("default", 10000.0, 1.0), c.SlidingRope);
    }

    [Fact]
    public void Parse_ResolvedRopeParametersAndLayerTypes_AreRead()
    {
        const string json = """
        {"model_type": "gemma3_text", "num_hidden_layers": 2, "layer_types": ["full_attention", "sliding_attention"],
         "rope_parameters": {"sliding_attention": {"rope_type": "default", "rope_theta": 5000.0},
                             "full_attention": {"rope_type": "linear", "factor": 4.0, "rope_theta": 20000.0}}}
        """;

        var c = Gemma3TextConfig.Parse(json, "config.json");

        Assert.Equal([Gemma3LayerType.FullAttention, Gemma3LayerType.SlidingAttention], c.LayerTypes);
        Assert.Equal(new Gemma3RopeParameters("linear", 20000.0, 4.0), c.FullRope);
        Assert.Equal(new Gemma3RopeParameters("default", 5000.0, 1.0), c.SlidingRope);
    }

    [Theory]
    [InlineData("""{"rope_scaling": {"rope_type": "yarn", "factor": 2.0}}""", "yarn")]
    [InlineData("""{"final_logit_softcapping": 30.0}""", "final_logit_softcapping")]
    [InlineData("""{"num_attention_heads": 6, "num_key_value_heads": 4}""", "num_key_value_heads")]
    [InlineData("""{"num_hidden_layers": 3, "layer_types": ["full_attention"]}""", "layer_types")]
    [InlineData("""{"hidden_size": "3840"}""", "hidden_size")]
    [InlineData("""{"text_config": {"rms_norm_eps": "1e-6"}}""", "rms_norm_eps")]
    [InlineData("""{"hidden_activation": 1}""", "hidden_activation")]
    public void Parse_UnsupportedSettings_ThrowNamingTheFile(string json, string mention)
    {
        var ex = Assert.Throws<CheckpointFormatException>(() => Gemma3TextConfig.Parse(json, "/x/config.json"));
        Assert.Equal("/x/config.json", ex.File);
        Assert.Contains(mention, ex.Message);
    }
}
