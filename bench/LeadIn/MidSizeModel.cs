using System.Text.Json.Nodes;
using LtxTrainer.Core.Checkpoints;
using LtxTrainer.Core.Model.Connector;
using LtxTrainer.Core.Model.Transformer;
using TorchSharp;
using static TorchSharp.torch;

namespace LtxTrainer.Bench.LeadIn;

/// <summary>
/// A mid-size unified checkpoint for CPU timing: the audio transformer at 8 blocks of 16 heads × 64 (width 1024,
/// a sixth of the real 48 × 2048 in depth and half in width), its connector and text projection, with random
/// weights; the audio VAE and vocoder of the tiny golden set (their cost is measured at real size by
/// bench/AudioModel), so the transformer's token width is the tiny VAE's.
/// </summary>
internal static class MidSizeModel
{
    public const int Layers = 8;
    public const int Heads = 16;
    public const int HeadDim = 64;

    public static string Write(string tinyUnified, string destination)
    {
        if (File.Exists(destination)) return destination;
        using var tiny = SafetensorsFile.Open(tinyUnified);
        var tinyConfig = JsonNode.Parse(tiny.Metadata["config"])!.AsObject();
        var t = tinyConfig["transformer"]!.AsObject();
        int width = Heads * HeadDim;
        t["num_layers"] = Layers;
        t["audio_num_attention_heads"] = Heads;
        t["audio_attention_head_dim"] = HeadDim;
        t["audio_cross_attention_dim"] = width;
        t["audio_connector_num_attention_heads"] = Heads;
        t["audio_connector_attention_head_dim"] = HeadDim;
        t["num_attention_heads"] = Heads;

        using var doc = System.Text.Json.JsonDocument.Parse(t.ToJsonString());
        var config = LtxTransformerConfig.Parse(doc.RootElement, "mid-size config");
        using var scope = NewDisposeScope();
        var tensors = new List<KeyValuePair<string, Tensor>>();
        using var transformer = new AudioTransformer(config, new RandomWeightSource(ScalarType.Float32, CPU, seed: 11));
        foreach (var (name, p) in transformer.named_parameters())
            tensors.Add(new(LtxCheckpointKeys.Transformer + name, p.detach()));
        using var connector = new AudioEmbeddingsConnector(config.AudioConnector, config.RopeFloat64Grid, new RandomWeightSource(ScalarType.Float32, CPU, seed: 12));
        foreach (var (name, p) in connector.named_parameters())
            tensors.Add(new(LtxCheckpointKeys.AudioConnector + name, p.detach()));
        // The text projection takes the golden Gemma's stacked hidden states (its width from the tiny file).
        long flat = tiny.TryGetInfo("text_embedding_projection.audio_aggregate_embed.weight")!.Shape[1];
        using var generator = new Generator(13);
        tensors.Add(new("text_embedding_projection.audio_aggregate_embed.weight", randn([width, flat], generator: generator) * 0.02));
        tensors.Add(new("text_embedding_projection.audio_aggregate_embed.bias", zeros(width)));
        foreach (var key in tiny.Names.Where(k => k.StartsWith("audio_vae.", StringComparison.Ordinal) || k.StartsWith("vocoder.", StringComparison.Ordinal)))
            tensors.Add(new(key, tiny.Load(key)));
        tinyConfig["transformer"] = t;
        SafetensorsWriter.Write(destination, tensors, new Dictionary<string, string>
        {
            ["config"] = tinyConfig.ToJsonString(),
            ["model_version"] = "2.3.0",
        });
        return destination;
    }
}
