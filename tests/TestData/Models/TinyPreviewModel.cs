using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using LtxTrainer.Core.Checkpoints;
using TorchSharp;

namespace LtxTrainer.TestData;

/// <summary>
/// A tiny unified LTX-2.3 checkpoint for end-to-end generation, put together from the three golden sets
/// (shared/golden): the transformer of <c>transformer/tiny_ltx23_audio</c>, the text projection and audio
/// connector of <c>text/tiny_text_heads</c> (they take the golden Gemma's 5 × 64 hidden states), and the audio VAE
/// and vocoder of <c>audio/tiny_audio</c>. The golden transformer reads 16-wide tokens while the golden VAE makes
/// 32-wide ones, so the transformer's input and output projections are widened by duplicating their weights
/// (W → [W W]/2 in, [W; W] out); every other tensor is copied unchanged, so the golden LoRA still fits.
/// Plain C# with explicit usings: the Pester tests compile this same file with Add-Type.
/// </summary>
public static class TinyPreviewModel
{
    /// <summary>Tokens per prompt of the golden Gemma set (a multiple of the 128 connector registers).</summary>
    public const int TextMaxLength = 128;

    private const string Transformer = "model.diffusion_model.";

    public static string GemmaFolder(string goldenRoot) => Path.Combine(goldenRoot, "text", "gemma");

    public static string LoraPath(string goldenRoot) => Path.Combine(goldenRoot, "transformer", "tiny_lora.safetensors");

    /// <summary>Writes the checkpoint to <paramref name="destination"/> (unless it is already there) and returns its path.</summary>
    public static string Write(string goldenRoot, string destination)
    {
        if (File.Exists(destination)) return destination;
        using var transformer = SafetensorsFile.Open(Path.Combine(goldenRoot, "transformer", "tiny_ltx23_audio.safetensors"));
        using var heads = SafetensorsFile.Open(Path.Combine(goldenRoot, "text", "tiny_text_heads.safetensors"));
        using var audio = SafetensorsFile.Open(Path.Combine(goldenRoot, "audio", "tiny_audio.safetensors"));
        using var scope = torch.NewDisposeScope();

        var tensors = new List<KeyValuePair<string, torch.Tensor>>();
        foreach (var key in transformer.Names.Order(StringComparer.Ordinal))
        {
            if (key.StartsWith(Transformer + "audio_embeddings_connector.", StringComparison.Ordinal)
                || key.StartsWith("text_embedding_projection.", StringComparison.Ordinal))
                continue;
            var t = transformer.Load(key);
            if (key == Transformer + "audio_patchify_proj.weight") t = torch.cat(new[] { t, t }, 1) * 0.5;
            else if (key == Transformer + "audio_proj_out.weight" || key == Transformer + "audio_proj_out.bias") t = torch.cat(new[] { t, t }, 0);
            tensors.Add(new KeyValuePair<string, torch.Tensor>(key, t.contiguous()));
        }
        foreach (var key in heads.Names.Order(StringComparer.Ordinal))
            if (key.StartsWith(Transformer + "audio_embeddings_connector.", StringComparison.Ordinal)
                || key.StartsWith("text_embedding_projection.", StringComparison.Ordinal))
                tensors.Add(new KeyValuePair<string, torch.Tensor>(key, heads.Load(key)));
        foreach (var key in audio.Names.Order(StringComparer.Ordinal))
            tensors.Add(new KeyValuePair<string, torch.Tensor>(key, audio.Load(key)));

        var config = JsonNode.Parse(transformer.Metadata["config"])!.AsObject();
        var transformerConfig = config["transformer"]!.AsObject();
        long width = tensors.First(t => t.Key == Transformer + "audio_proj_out.weight").Value.shape[0];
        transformerConfig["audio_in_channels"] = width;
        transformerConfig["audio_out_channels"] = width;
        var headsConfig = JsonNode.Parse(heads.Metadata["config"])!["transformer"]!;
        transformerConfig["caption_channels"] = headsConfig["caption_channels"]!.DeepClone();
        var audioConfig = JsonNode.Parse(audio.Metadata["config"])!.AsObject();
        config["audio_vae"] = audioConfig["audio_vae"]!.DeepClone();
        config["vocoder"] = audioConfig["vocoder"]!.DeepClone();

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(destination))!);
        SafetensorsWriter.Write(destination, tensors, new Dictionary<string, string>
        {
            ["config"] = config.ToJsonString(),
            ["model_version"] = transformer.Metadata.TryGetValue("model_version", out var v) ? v : "2.3.0",
        });
        return destination;
    }
}
