using LtxTrainer.Core.Checkpoints;
using LtxTrainer.Core.Model.Common;
using LtxTrainer.Core.Model.Connector;
using LtxTrainer.Core.Tests.Golden;
using LtxTrainer.Core.Text;
using TorchSharp;
using Xunit.Abstractions;

namespace LtxTrainer.Core.Tests.Text;

public sealed class AudioTextContextBuilderTests(ITestOutputHelper output)
{
    private static AudioTextContextBuilder OpenGolden(TextGolden golden) =>
        AudioTextContextBuilder.Open(golden.PathOf("tiny_text_heads.safetensors"), torch.ScalarType.Float32);

    private void AssertContext(TextGolden golden, AudioTextContext actual, string what)
    {
        using var expected = golden.Tensor("connector.audio_encoding");
        using var expectedMask = golden.Tensor("connector.attention_mask");
        TensorAssert.Close(expected, actual.Context, golden.Tolerance("connector.audio_encoding"), what);
        Assert.Equal(expectedMask.data<long>().ToArray(), actual.Mask.data<long>().ToArray());
        output.WriteLine($"{what}: connector.audio_encoding max abs err = {TensorAssert.MaxAbs(expected, actual.Context):E3}");
    }

    [Fact]
    public void Apply_GoldenFeatures_GivesGoldenAudioContext()
    {
        using var golden = new TextGolden();
        using var features = golden.Tensor("features.audio");
        using var mask = golden.Tensor("tokenize.attention_mask");
        using var connector = OpenGolden(golden);

        using var context = connector.Apply(features, mask);

        AssertContext(golden, context, "from golden features");
    }

    // Each stage of the connector against its golden intermediate, through the loader AudioTextContextBuilder uses.
    [Fact]
    public void Connector_GoldenFeatures_MatchesGoldenIntermediates()
    {
        using var golden = new TextGolden();
        using var checkpoint = LtxCheckpoint.Open(golden.PathOf("tiny_text_heads.safetensors"));
        using var connector = AudioEmbeddingsConnector.Load(checkpoint, torch.ScalarType.Float32);
        using var features = golden.Tensor("features.audio");
        using var mask = golden.Tensor("tokenize.attention_mask");
        var seen = new List<string>();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();

        connector.Forward(features, mask, (stage, value) =>
        {
            seen.Add(stage);
            switch (stage)
            {
                case "sort_idx":
                    using (var expected = golden.Tensor("connector.sort_idx"))
                        Assert.Equal(expected.data<long>().ToArray(), value.to(torch.int64).data<long>().ToArray());
                    break;
                case "mask_reordered":
                    // The connector keeps the reordered mask as 1/0; upstream's additive form is (mask - 1) * finfo.max.
                    using (var expected = golden.Tensor("connector.additive_mask_reordered"))
                    using (var additive = ((value.to(torch.float32) - 1) * float.MaxValue).view(expected.shape))
                        TensorAssert.Close(expected, additive, golden.Tolerance("connector.additive_mask_reordered"), "connector.additive_mask_reordered");
                    break;
                default:
                    string name = "connector.audio_" + stage;
                    using (var expected = golden.Tensor(name))
                    {
                        TensorAssert.Close(expected, value, golden.Tolerance(name), name);
                        output.WriteLine($"{name}: max abs err = {TensorAssert.MaxAbs(expected, value):E3}");
                    }
                    break;
            }
        });

        var blocks = Enumerable.Range(0, checkpoint.Config.AudioConnector.Layers).Select(i => $"block{i}_out");
        Assert.Equal(["sort_idx", "mask_reordered", "after_registers", .. blocks], seen);
    }

    // The whole text path: prompts -> tokenizer -> Gemma -> feature extractor -> cache -> connector.
    [Fact]
    public void FullTextPath_FromPrompts_GivesGoldenAudioContext()
    {
        using var golden = new TextGolden();
        var dir = Directory.CreateTempSubdirectory("ltx-textpath-");
        try
        {
            var options = new TextEncoderOptions { MaxLength = golden.MaxLength(), Mode = GemmaLoadMode.Streamed };
            string gemma = golden.PathOf("gemma"), heads = golden.PathOf("tiny_text_heads.safetensors");
            var cache = CaptionEmbeddingCache.ForModel(dir.FullName, gemma, heads, options);
            var embeddings = cache.GetOrEncode(golden.Prompts(), () => TextEncoder.Open(gemma, heads, options));
            try
            {
                using var connector = OpenGolden(golden);
                using var context = connector.Apply(embeddings);
                AssertContext(golden, context, "full text path");
            }
            finally
            {
                foreach (var e in embeddings) e.Dispose();
            }
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public void ConnectorRope_FromTextHeadsConfig_MatchesGoldenTables()
    {
        using var golden = new TextGolden();
        using var checkpoint = LtxCheckpoint.Open(golden.PathOf("tiny_text_heads.safetensors"));
        using var expectedCos = golden.Tensor("connector.audio_rope_cos");
        using var expectedSin = golden.Tensor("connector.audio_rope_sin");
        var c = checkpoint.Config.AudioConnector;
        using var positions = torch.arange(expectedCos.shape[2], dtype: torch.float32).unsqueeze(0);

        using var rope = RotaryEmbedding.Create(positions, c.InnerDim, c.Heads, AudioEmbeddingsConnector.RopeTheta, c.MaxPos,
            checkpoint.Config.RopeFloat64Grid, torch.ScalarType.Float32);

        TensorAssert.Close(expectedCos, rope.Cos, golden.Tolerance("connector.audio_rope_cos"), "connector.audio_rope_cos");
        TensorAssert.Close(expectedSin, rope.Sin, golden.Tolerance("connector.audio_rope_sin"), "connector.audio_rope_sin");
        output.WriteLine($"connector rope: cos max abs err {TensorAssert.MaxAbs(expectedCos, rope.Cos):E3}, sin {TensorAssert.MaxAbs(expectedSin, rope.Sin):E3}");
    }
}
