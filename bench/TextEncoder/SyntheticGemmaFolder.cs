using System.Text.Json.Nodes;
using LtxTrainer.Core.Checkpoints;
using LtxTrainer.Core.Text;
using TorchSharp;

namespace LtxTrainer.Bench.TextEncoder;

/// <summary>
/// Writes a Gemma 3 12B-width folder with random bf16 weights and a reduced layer count, sharded the way
/// the Hub folders are (embedding + norm in one shard, one shard per decoder layer, an index), plus a
/// matching LTX-2.3 feature-extractor heads file. One shard's tensors exist in memory at a time.
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
        WriteConfig(gemma, layers);
        var gen = new torch.Generator(1234);
        var map = new JsonObject();
        int shards = layers + 1;
        string Shard(int i) => $"model-{i + 1:00000}-of-{shards:00000}.safetensors";
        WriteShard(gemma, Shard(0), map, gen,
            ("language_model.model.embed_tokens.weight", [Vocab, Hidden], 1.0),
            ("language_model.model.norm.weight", [Hidden], 0.1));
        for (int l = 0; l < layers; l++)
        {
            string p = $"language_model.model.layers.{l}.";
            WriteShard(gemma, Shard(l + 1), map, gen,
                (p + "self_attn.q_proj.weight", [Heads * HeadDim, Hidden], Math.Pow(Hidden, -0.5)),
                (p + "self_attn.k_proj.weight", [KvHeads * HeadDim, Hidden], Math.Pow(Hidden, -0.5)),
                (p + "self_attn.v_proj.weight", [KvHeads * HeadDim, Hidden], Math.Pow(Hidden, -0.5)),
                (p + "self_attn.o_proj.weight", [Hidden, Heads * HeadDim], Math.Pow(Heads * HeadDim, -0.5)),
                (p + "self_attn.q_norm.weight", [HeadDim], 0.1),
                (p + "self_attn.k_norm.weight", [HeadDim], 0.1),
                (p + "mlp.gate_proj.weight", [Intermediate, Hidden], Math.Pow(Hidden, -0.5)),
                (p + "mlp.up_proj.weight", [Intermediate, Hidden], Math.Pow(Hidden, -0.5)),
                (p + "mlp.down_proj.weight", [Hidden, Intermediate], Math.Pow(Intermediate, -0.5)),
                (p + "input_layernorm.weight", [Hidden], 0.1),
                (p + "post_attention_layernorm.weight", [Hidden], 0.1),
                (p + "pre_feedforward_layernorm.weight", [Hidden], 0.1),
                (p + "post_feedforward_layernorm.weight", [Hidden], 0.1));
        }
        var index = new JsonObject { ["metadata"] = new JsonObject(), ["weight_map"] = map };
        File.WriteAllText(Path.Combine(gemma, "model.safetensors.index.json"), index.ToJsonString());
        WriteHeads(heads, layers, gen);
        return (gemma, heads);
    }

    private static void WriteConfig(string gemma, int layers)
    {
        // The published google/gemma-3-12b text_config keys; everything else takes the Gemma3TextConfig defaults.
        var config = new JsonObject
        {
            ["architectures"] = new JsonArray("Gemma3ForConditionalGeneration"),
            ["model_type"] = "gemma3",
            ["text_config"] = new JsonObject
            {
                ["hidden_size"] = Hidden, ["intermediate_size"] = Intermediate, ["model_type"] = "gemma3_text",
                ["num_attention_heads"] = Heads, ["num_hidden_layers"] = layers, ["num_key_value_heads"] = KvHeads,
                ["rope_scaling"] = new JsonObject { ["factor"] = 8.0, ["rope_type"] = "linear" }, ["sliding_window"] = 1024,
            },
        };
        File.WriteAllText(Path.Combine(gemma, "config.json"), config.ToJsonString());
    }

    private static void WriteShard(string folder, string file, JsonObject map, torch.Generator gen, params (string Name, long[] Shape, double Std)[] tensors)
    {
        using var scope = torch.NewDisposeScope();
        var list = tensors.Select(t => new KeyValuePair<string, torch.Tensor>(t.Name,
            (torch.randn(t.Shape, generator: gen) * t.Std).to(torch.bfloat16))).ToList();
        SafetensorsWriter.Write(Path.Combine(folder, file), list);
        foreach (var t in tensors) map[t.Name] = file;
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
