using System.Diagnostics;
using System.Text.Json.Nodes;
using LtxTrainer.Core.Checkpoints;
using LtxTrainer.Core.Model.Transformer;
using static TorchSharp.torch;

namespace LtxTrainer.Bench.Transformer;

/// <summary>
/// Writes a synthetic unified checkpoint in the real layout (the audio path at <c>layers</c> blocks plus a
/// large dummy video part and the other config sections), then — in a fresh process — loads the audio
/// path from it and compares peak memory with the bytes actually read.
/// </summary>
internal static class CheckpointBench
{
    public static Dictionary<string, object> Write(string path, int layers, long videoBytes)
    {
        var sw = Stopwatch.StartNew();
        var config = RealConfig.Parse(layers);
        var tensors = new List<KeyValuePair<string, Tensor>>();
        // The parameters are written as they are (detached views, no copies), so the writer holds the audio path once.
        using var model = new AudioTransformer(config, new RandomWeightSource(ScalarType.BFloat16, CPU, seed: 4));
        foreach (var (name, p) in model.named_parameters())
            tensors.Add(new(LtxCheckpointKeys.Transformer + name, p.detach()));
        long audioBytes = tensors.Sum(t => t.Value.numel() * 2);
        int audioCount = tensors.Count;
        // The video stream's [4096, 4096] projections, as many as make up the requested size. They all
        // share one tensor: the file gets every copy, the writing process holds only one.
        using var video = full(4096, 4096, 0.01f, ScalarType.BFloat16);
        long perTensor = 4096L * 4096 * 2;
        for (long i = 0; i * perTensor < videoBytes; i++)
            tensors.Add(new($"{LtxCheckpointKeys.Transformer}transformer_blocks.{i / 4}.attn1.to_{"qkvo"[(int)(i % 4)]}.weight", video));
        var sections = new JsonObject
        {
            ["transformer"] = RealConfig.TransformerSection(layers), ["vae"] = new JsonObject(), ["audio_vae"] = new JsonObject(), ["vocoder"] = new JsonObject(),
        };
        SafetensorsWriter.Write(path, tensors, new Dictionary<string, string> { ["config"] = sections.ToJsonString(), ["model_version"] = "2.3.0" });
        foreach (var (_, t) in tensors.Take(audioCount)) t.Dispose();
        return new Dictionary<string, object>
        {
            ["layers"] = layers, ["file_bytes"] = new FileInfo(path).Length, ["audio_bytes"] = audioBytes,
            ["write_seconds"] = sw.Elapsed.TotalSeconds,
        };
    }

    public static Dictionary<string, object> Load(string path)
    {
        long rssBefore = ProcessMemory.CurrentRss;
        long peakBefore = ProcessMemory.PeakRss;
        var sw = Stopwatch.StartNew();
        using var checkpoint = LtxCheckpoint.Open(path);
        var weights = checkpoint.TransformerWeights(ScalarType.BFloat16);
        using var model = new AudioTransformer(checkpoint.Config, weights);
        sw.Stop();
        long peak = ProcessMemory.PeakRss;
        long loaded = weights.BytesRead;
        return new Dictionary<string, object>
        {
            ["file_bytes"] = new FileInfo(path).Length, ["bytes_loaded"] = loaded, ["tensors_loaded"] = weights.KeysRead.Count,
            ["load_seconds"] = sw.Elapsed.TotalSeconds,
            ["rss_before_bytes"] = rssBefore, ["peak_rss_before_bytes"] = peakBefore, ["peak_rss_bytes"] = peak,
            ["peak_over_loaded"] = (double)(peak - rssBefore) / loaded,
            ["peak_total_over_loaded"] = (double)peak / loaded,
            ["target_peak_over_loaded"] = 1.2,
        };
    }
}
