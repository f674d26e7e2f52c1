using System.Text.Json.Nodes;
using LtxTrainer.Core.Checkpoints;
using TorchSharp;

namespace LtxTrainer.Core.Demo;

/// <summary>
/// Writes the weights and <c>config.json</c> of a Gemma 3 folder in the Hugging Face layout of
/// <c>Gemma3ForConditionalGeneration</c> (text weights under <c>language_model.model.</c>): one
/// <c>model.safetensors</c>, or the Hub's sharded form (embedding and final norm in the first shard, one
/// shard per decoder layer, <c>model.safetensors.index.json</c>). Values come from the caller, tensor by
/// tensor in a fixed order (embedding, final norm, then each layer's projections and norms), and only one
/// shard's tensors exist at a time, so a full-width folder can be written in little memory.
/// </summary>
public static class GemmaFolderWriter
{
    /// <summary>Key prefix of the text model's weights.</summary>
    public const string Prefix = "language_model.model.";

    /// <param name="folder">The folder (created when missing).</param>
    /// <param name="config">The <c>config.json</c> to write; its <c>text_config</c> gives the shapes.</param>
    /// <param name="values">Makes the float32 value of a tensor from its file key and shape.</param>
    /// <param name="dtype">Stored dtype (bfloat16 in the published checkpoints).</param>
    /// <param name="sharded">One shard per decoder layer plus an index, instead of one file.</param>
    public static void Write(string folder, JsonObject config, Func<string, long[], torch.Tensor> values, torch.ScalarType dtype, bool sharded)
    {
        var text = config["text_config"]?.AsObject() ?? throw new ArgumentException("The Gemma config has no text_config.", nameof(config));
        int Int(string key) => text[key]?.GetValue<int>() ?? throw new ArgumentException($"The Gemma text_config has no {key}.", nameof(config));
        int layers = Int("num_hidden_layers");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "config.json"), config.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));

        var groups = new List<(string Name, long[] Shape)[]> { TopLevel(Int("vocab_size"), Int("hidden_size")) };
        for (int l = 0; l < layers; l++)
            groups.Add(Layer(l, Int("hidden_size"), Int("num_attention_heads"), Int("num_key_value_heads"), Int("head_dim"), Int("intermediate_size")));

        if (!sharded)
        {
            WriteFile(Path.Combine(folder, "model.safetensors"), groups.SelectMany(g => g), values, dtype);
            return;
        }
        var map = new JsonObject();
        string Shard(int i) => $"model-{i + 1:00000}-of-{groups.Count:00000}.safetensors";
        for (int i = 0; i < groups.Count; i++)
        {
            WriteFile(Path.Combine(folder, Shard(i)), groups[i], values, dtype);
            foreach (var (name, _) in groups[i]) map[name] = Shard(i);
        }
        var index = new JsonObject { ["metadata"] = new JsonObject(), ["weight_map"] = map };
        File.WriteAllText(Path.Combine(folder, "model.safetensors.index.json"), index.ToJsonString());
    }

    private static (string, long[])[] TopLevel(long vocab, long hidden) =>
    [
        (Prefix + "embed_tokens.weight", [vocab, hidden]),
        (Prefix + "norm.weight", [hidden]),
    ];

    private static (string, long[])[] Layer(int index, long hidden, long heads, long kvHeads, long headDim, long intermediate)
    {
        string p = $"{Prefix}layers.{index}.";
        return
        [
            (p + "self_attn.q_proj.weight", [heads * headDim, hidden]),
            (p + "self_attn.k_proj.weight", [kvHeads * headDim, hidden]),
            (p + "self_attn.v_proj.weight", [kvHeads * headDim, hidden]),
            (p + "self_attn.o_proj.weight", [hidden, heads * headDim]),
            (p + "self_attn.q_norm.weight", [headDim]),
            (p + "self_attn.k_norm.weight", [headDim]),
            (p + "mlp.gate_proj.weight", [intermediate, hidden]),
            (p + "mlp.up_proj.weight", [intermediate, hidden]),
            (p + "mlp.down_proj.weight", [hidden, intermediate]),
            (p + "input_layernorm.weight", [hidden]),
            (p + "post_attention_layernorm.weight", [hidden]),
            (p + "pre_feedforward_layernorm.weight", [hidden]),
            (p + "post_feedforward_layernorm.weight", [hidden]),
        ];
    }

    private static void WriteFile(string path, IEnumerable<(string Name, long[] Shape)> tensors, Func<string, long[], torch.Tensor> values, torch.ScalarType dtype)
    {
        using var scope = torch.NewDisposeScope();
        var list = tensors.Select(t => new KeyValuePair<string, torch.Tensor>(t.Name, values(t.Name, t.Shape).to(dtype))).ToList();
        SafetensorsWriter.Write(path, list, new Dictionary<string, string> { ["format"] = "pt" });
    }
}
