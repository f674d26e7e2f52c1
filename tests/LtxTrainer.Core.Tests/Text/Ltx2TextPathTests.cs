using System.Text.Json.Nodes;
using LtxTrainer.Core.Checkpoints;
using LtxTrainer.Core.Tests.Golden;
using LtxTrainer.Core.Text;
using TorchSharp;
using Xunit.Abstractions;

namespace LtxTrainer.Core.Tests.Text;

/// <summary>
/// The LTX-2 (19B) text path on a file laid out like the 19B checkpoint: 2.0 config flags, one bias-free
/// <c>aggregate_embed</c> projection (FeatureExtractorV1) and an ungated audio connector. There are no 19B
/// reference vectors; this checks that the checkpoint's flags select V1 and that its features feed the
/// connector end to end.
/// </summary>
public sealed class Ltx2TextPathTests(ITestOutputHelper output) : IDisposable
{
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("ltx-19b-text-");
    private readonly TextGolden _golden = new();

    public void Dispose()
    {
        _golden.Dispose();
        _temp.Delete(true);
    }

    // The text-path reference heads rewritten as a 2.0 file: V1 projection, connector without gate logits.
    private string WriteLtx2Heads()
    {
        using var heads = SafetensorsFile.Open(_golden.PathOf("tiny_text_heads.safetensors"));
        var config = JsonNode.Parse(heads.Metadata["config"])!.AsObject();
        var transformer = config["transformer"]!.AsObject();
        foreach (var flag in new[] { "apply_gated_attention", "cross_attention_adaln", "caption_proj_before_connector", "connector_apply_gated_attention" })
            transformer[flag] = false;
        foreach (var absent in new[] { "caption_projection_first_linear", "caption_projection_second_linear", "caption_proj_input_norm" })
            transformer.Remove(absent);
        var gemma = Gemma3TextConfig.Load(_golden.PathOf("gemma/config.json"));
        long inFeatures = (long)gemma.HiddenSize * gemma.HiddenStateCount;
        int width = transformer["audio_connector_num_attention_heads"]!.GetValue<int>() * transformer["audio_connector_attention_head_dim"]!.GetValue<int>();
        using var generator = new torch.Generator(19);
        using var random = torch.randn([width, inFeatures], generator: generator);
        var tensors = new List<KeyValuePair<string, torch.Tensor>>
        {
            new("text_embedding_projection.aggregate_embed.weight", random / Math.Sqrt(inFeatures)),
        };
        foreach (var name in heads.Names.Where(n => n.StartsWith("model.diffusion_model.audio_embeddings_connector.", StringComparison.Ordinal) && !n.Contains("to_gate_logits")))
            tensors.Add(new(name, heads.Load(name)));
        var path = Path.Combine(_temp.FullName, "ltx2.safetensors");
        SafetensorsWriter.Write(path, tensors, new Dictionary<string, string> { ["config"] = config.ToJsonString() });
        foreach (var (_, t) in tensors) t.Dispose();
        return path;
    }

    [Fact]
    public void Ltx2Checkpoint_SelectsV1_AndItsFeaturesFeedTheUngatedConnector()
    {
        string ltx2 = WriteLtx2Heads();
        var prompts = _golden.Prompts();
        using var mask = _golden.Tensor("tokenize.attention_mask");
        using var goldenStates = _golden.Tensor("gemma.hidden_states");

        using var encoder = TextEncoder.Open(_golden.PathOf("gemma"), ltx2, new TextEncoderOptions { MaxLength = _golden.MaxLength() });
        var embeddings = encoder.Encode(prompts);
        try
        {
            Assert.Equal("V1", encoder.FeatureExtractorVariant);
            using var features = torch.stack(embeddings.Select(e => e.AudioFeatures).ToArray());
            // V1 over the reference hidden states (padded positions are masked out by V1 itself).
            using (var source = TensorSources.Open(ltx2))
            using (var extractor = TextFeatureExtractors.Load(source, Gemma3TextConfig.Load(_golden.PathOf("gemma/config.json")), false, torch.float32, torch.CPU))
            using (var expected = extractor.Extract(goldenStates, mask))
            {
                TensorAssert.Close(expected.Audio, features, _golden.Tolerance("features.audio"), "V1 features from the encoder vs from the reference hidden states");
                output.WriteLine($"V1 features: encoder vs reference hidden states max abs err = {TensorAssert.MaxAbs(expected.Audio, features):E3}");
            }

            using (var checkpoint = LtxCheckpoint.Open(ltx2))
                Assert.False(checkpoint.Config.AudioConnector.GatedAttention);
            using var connector = AudioTextContextBuilder.Open(ltx2, torch.ScalarType.Float32);
            using var context = connector.Apply(embeddings);
            Assert.Equal(new long[] { prompts.Length, _golden.MaxLength(), connector.InnerDim }, context.Context.shape);
            Assert.Equal(encoder.AudioDim, connector.InnerDim);
            using var finite = context.Context.isfinite().all();
            Assert.True(finite.item<bool>());
            Assert.All(context.Mask.data<long>().ToArray(), m => Assert.Equal(1L, m));
        }
        finally
        {
            foreach (var e in embeddings) e.Dispose();
        }
    }
}
