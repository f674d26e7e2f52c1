using LtxTrainer.Core.Checkpoints;
using LtxTrainer.Core.Tests.Golden;
using LtxTrainer.Core.Text;
using TorchSharp;
using Xunit.Abstractions;

namespace LtxTrainer.Core.Tests.Text;

public sealed class FeatureExtractorTests(ITestOutputHelper output)
{
    // Runs the extractor the golden heads file selects on the golden Gemma hidden states.
    private static (string Variant, int AudioDim, TextFeatures Features) ExtractGolden(TextGolden golden, bool includeVideo)
    {
        var gemma = Gemma3TextConfig.Load(golden.PathOf("gemma/config.json"));
        using var heads = TensorSources.Open(golden.PathOf("tiny_text_heads.safetensors"));
        using var states = golden.Tensor("gemma.hidden_states");
        using var mask = golden.Tensor("tokenize.attention_mask");
        using var extractor = TextFeatureExtractors.Load(heads, gemma, includeVideo, torch.float32, torch.CPU);
        return (extractor.Variant, extractor.AudioDim, extractor.Extract(states, mask));
    }

    [Fact]
    public void V2_FromGoldenHeads_MatchesGoldenAudioAndVideoFeatures()
    {
        using var golden = new TextGolden();

        var (variant, _, extracted) = ExtractGolden(golden, includeVideo: true);
        using var features = extracted;

        Assert.Equal("V2", variant);
        foreach (var (name, actual) in new[] { ("features.audio", features.Audio), ("features.video", features.Video!) })
        {
            using var expected = golden.Tensor(name);
            TensorAssert.Close(expected, actual, golden.Tolerance(name), name);
            output.WriteLine($"{name} max abs err = {TensorAssert.MaxAbs(expected, actual):E3}");
        }
    }

    [Fact]
    public void V2_WithoutVideo_LoadsOnlyTheAudioProjection()
    {
        using var golden = new TextGolden();
        using var expected = golden.Tensor("features.audio");

        var (_, audioDim, extracted) = ExtractGolden(golden, includeVideo: false);
        using var features = extracted;

        Assert.Null(features.Video);
        Assert.Equal(expected.shape, features.Audio.shape);
        Assert.Equal(expected.shape[^1], audioDim);
    }

    [Fact]
    public void Load_ProjectionWidthNotMatchingGemma_NamesFileAndKey()
    {
        using var golden = new TextGolden();
        var gemma = Gemma3TextConfig.Load(golden.PathOf("gemma/config.json")) with { NumHiddenLayers = 3 };
        using var heads = TensorSources.Open(golden.PathOf("tiny_text_heads.safetensors"));

        var ex = Assert.Throws<CheckpointFormatException>(() => TextFeatureExtractors.Load(heads, gemma, false, torch.float32, torch.CPU));

        Assert.Equal("text_embedding_projection.audio_aggregate_embed.weight", ex.Key);
        Assert.Equal(golden.PathOf("tiny_text_heads.safetensors"), ex.File);
    }

    // LTX-2 (19B) has no reference vectors; check V1 against the formula evaluated element by element.
    [Fact]
    public void V1_MatchesTheMaskedMinMaxFormula()
    {
        const int s = 3, b = 2, l = 5, h = 4, outDim = 6;
        var gen = new torch.Generator(7);
        using var states = torch.randn([s, b, l, h], generator: gen);
        using var mask = torch.tensor(new long[] { 0, 0, 1, 1, 1, 0, 1, 1, 1, 1 }, [b, l]);
        using var weight = torch.randn([outDim, h * s], generator: gen);
        var dir = Directory.CreateTempSubdirectory("ltx-fe1-");
        try
        {
            var path = Path.Combine(dir.FullName, "v1.safetensors");
            SafetensorsWriter.Write(path, [new("text_embedding_projection.aggregate_embed.weight", weight)],
                new Dictionary<string, string> { ["config"] = """{"transformer": {"caption_channels": 4}}""" });
            using var source = TensorSources.Open(path);
            var gemma = new Gemma3TextConfig { HiddenSize = h, NumHiddenLayers = s - 1 };
            using var extractor = TextFeatureExtractors.Load(source, gemma, false, torch.float32, torch.CPU);
            using var features = extractor.Extract(states, mask);

            Assert.Equal("V1", extractor.Variant);
            using var expected = V1Reference(states, mask, weight);
            TensorAssert.Close(expected, features.Audio, 1e-5, "V1 features");
            TensorAssert.Close(features.Audio, features.Video!, 0, "V1 video = audio");
        }
        finally
        {
            dir.Delete(true);
        }
    }

    private static torch.Tensor V1Reference(torch.Tensor states, torch.Tensor mask, torch.Tensor weight)
    {
        long s = states.shape[0], b = states.shape[1], l = states.shape[2], h = states.shape[3];
        var x = states.data<float>().ToArray();
        var m = mask.data<long>().ToArray();
        var w = weight.data<float>().ToArray();
        long outDim = weight.shape[0];
        float At(long si, long bi, long li, long di) => x[((si * b + bi) * l + li) * h + di];
        var flat = new double[b, l, h * s];
        for (long bi = 0; bi < b; bi++)
            for (long si = 0; si < s; si++)
            {
                double sum = 0, min = double.MaxValue, max = double.MinValue;
                long n = 0;
                for (long li = 0; li < l; li++)
                {
                    if (m[bi * l + li] == 0) continue;
                    n++;
                    for (long di = 0; di < h; di++)
                    {
                        double v = At(si, bi, li, di);
                        sum += v; min = Math.Min(min, v); max = Math.Max(max, v);
                    }
                }
                double mean = sum / (n * h + 1e-6);
                for (long li = 0; li < l; li++)
                    for (long di = 0; di < h; di++)
                        flat[bi, li, di * s + si] = m[bi * l + li] == 0 ? 0 : 8 * (At(si, bi, li, di) - mean) / (max - min + 1e-6);
            }
        var result = new float[b * l * outDim];
        for (long bi = 0; bi < b; bi++)
            for (long li = 0; li < l; li++)
                for (long o = 0; o < outDim; o++)
                {
                    double acc = 0;
                    for (long k = 0; k < h * s; k++) acc += w[o * h * s + k] * flat[bi, li, k];
                    result[(bi * l + li) * outDim + o] = (float)acc;
                }
        return torch.tensor(result, [b, l, outDim]);
    }
}
