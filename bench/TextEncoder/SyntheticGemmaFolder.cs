using LtxTrainer.Core.Checkpoints;
using LtxTrainer.Core.Demo;
using LtxTrainer.Core.Text;
using TorchSharp;

namespace LtxTrainer.Bench.TextEncoder;

/// <summary>
/// Writes a Gemma 3 12B-width folder with random bf16 weights and a reduced layer count, sharded the way
/// the Hub folders are (the engine's <see cref="GemmaFolderWriter"/>: embedding + norm in one shard, one shard
/// per decoder layer, an index), plus a matching LTX-2.3 feature-extractor heads file. One shard's tensors
/// exist in memory at a time.
/// </summary>
internal static class SyntheticGemmaFolder
{
    public const int Hidden = 3840, Heads = 16, KvHeads = 8, HeadDim = 256, Intermediate = 15360, Vocab = 262208, AudioDim = 2048;

    public static (string Gemma, string Heads) Ensure(string work, int layers, string tokenizerModel)
    {
        string gemma = Path.Combine(work, $"gemma-12b-{layers}l"), heads = Path.Combine(work, $"heads-{layers}l.safetensors");
        if (File.Exists(Path.Combine(gemma, "model.safetensors.index.json")) && File.Exists(heads))
            return (gemma, heads);
        Directory.CreateDirectory(gemma);
        File.Copy(tokenizerModel, Path.Combine(gemma, "tokenizer.model"), overwrite: true);
        var gen = new torch.Generator(1234);
        // Embedding N(0, 1), norms N(0, 0.1²), projections N(0, 1/fan_in); one shard per layer as on the Hub.
        GemmaFolderWriter.Write(gemma, DemoModelConfig.Gemma(Hidden, layers, Heads, KvHeads, HeadDim, Intermediate),
            (name, shape) => torch.randn(shape, generator: gen) * (shape.Length == 1 ? 0.1
                : name.EndsWith("embed_tokens.weight", StringComparison.Ordinal) ? 1.0 : Math.Pow(shape[1], -0.5)),
            torch.bfloat16, sharded: true);
        WriteHeads(heads, layers, gen);
        return (gemma, heads);
    }

    private static void WriteHeads(string path, int layers, torch.Generator gen)
    {
        using var scope = torch.NewDisposeScope();
        long inFeatures = (long)Hidden * (layers + 1);
        var tensors = new List<KeyValuePair<string, torch.Tensor>>
        {
            new(TextFeatureExtractors.ProjectionPrefix + "audio_aggregate_embed.weight", (torch.randn([AudioDim, inFeatures], generator: gen) * Math.Pow(inFeatures, -0.5)).to(torch.bfloat16)),
            new(TextFeatureExtractors.ProjectionPrefix + "audio_aggregate_embed.bias", torch.zeros(AudioDim, torch.bfloat16)),
        };
        const string config = """{"transformer": {"caption_proj_before_connector": true, "caption_projection_first_linear": false, "caption_projection_second_linear": false, "caption_proj_input_norm": false}}""";
        SafetensorsWriter.Write(path, tensors, new Dictionary<string, string> { ["config"] = config, ["model_version"] = "2.3.0" });
    }
}
