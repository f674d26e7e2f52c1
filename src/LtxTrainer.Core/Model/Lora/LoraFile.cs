using LtxTrainer.Core.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.Lora;

/// <summary>
/// Reads and writes LoRA files in the official layout (ltx_trainer/trainer.py, <c>_save_checkpoint</c>): keys
/// <c>diffusion_model.&lt;module&gt;.lora_A.weight</c> [r, in] and <c>.lora_B.weight</c> [out, r], no alpha.
/// </summary>
public static class LoraFile
{
    private const string ASuffix = ".lora_A.weight";
    private const string BSuffix = ".lora_B.weight";
    private const string AlphaSuffix = ".alpha";

    /// <summary>
    /// Loads a LoRA as float32. Accepts the <c>diffusion_model.</c> prefix or bare module names. An optional
    /// <c>.alpha</c> scalar is honoured the ComfyUI way (scale α/rank folded into B); without it the scale is 1.
    /// </summary>
    public static LoraWeights Load(string path)
    {
        using var file = SafetensorsFile.Open(path);
        var a = new Dictionary<string, string>(StringComparer.Ordinal);
        var b = new Dictionary<string, string>(StringComparer.Ordinal);
        var alpha = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in file.Names)
        {
            string bare = key.StartsWith(LtxCheckpointKeys.Lora, StringComparison.Ordinal) ? key[LtxCheckpointKeys.Lora.Length..] : key;
            if (bare.EndsWith(ASuffix, StringComparison.Ordinal)) a[bare[..^ASuffix.Length]] = key;
            else if (bare.EndsWith(BSuffix, StringComparison.Ordinal)) b[bare[..^BSuffix.Length]] = key;
            else if (bare.EndsWith(AlphaSuffix, StringComparison.Ordinal)) alpha[bare[..^AlphaSuffix.Length]] = key;
            else throw new CheckpointFormatException($"LoRA file '{file.Path}': key '{key}' is not a lora_A/lora_B weight or alpha.", file.Path, key);
        }
        foreach (var m in a.Keys.Except(b.Keys).Concat(b.Keys.Except(a.Keys)).Concat(alpha.Keys.Except(a.Keys)))
            throw new CheckpointFormatException($"LoRA file '{file.Path}': module '{m}' lacks its lora_A/lora_B partner.", file.Path, m);

        var modules = new Dictionary<string, (Tensor, Tensor)>(StringComparer.Ordinal);
        try
        {
            foreach (var (module, aKey) in a.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                var ta = file.Load(aKey, ScalarType.Float32);
                var tb = file.Load(b[module], ScalarType.Float32);
                modules[module] = (ta, tb);
                if (ta.ndim != 2 || tb.ndim != 2 || ta.shape[0] != tb.shape[1])
                    throw new CheckpointFormatException(
                        $"LoRA file '{file.Path}': '{aKey}' [{string.Join(", ", ta.shape)}] and '{b[module]}' [{string.Join(", ", tb.shape)}] are not a rank-r pair.",
                        file.Path, aKey);
                if (alpha.TryGetValue(module, out var alphaKey))
                {
                    using var t = file.Load(alphaKey, ScalarType.Float64);
                    double scale = t.item<double>() / ta.shape[0];
                    using var noGrad = no_grad();
                    tb.mul_(scale);
                }
            }
        }
        catch
        {
            foreach (var (ta, tb) in modules.Values)
            {
                ta.Dispose();
                tb.Dispose();
            }
            throw;
        }
        return new LoraWeights(modules, file.Path);
    }

    /// <summary>
    /// Writes the adapters of <paramref name="model"/> in the official layout, in <paramref name="dtype"/>
    /// (bf16 like ltx-trainer's default, or fp32). α/r is folded into B so that every consumer (ltx-core's
    /// fusion, ComfyUI) applies exactly the trained update; no alpha is written.
    /// </summary>
    public static void Save(string path, nn.Module model, ScalarType dtype = ScalarType.BFloat16, IReadOnlyDictionary<string, string>? metadata = null)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var tensors = new List<KeyValuePair<string, Tensor>>();
        foreach (var (name, layer) in LoraTargets.All(model).Where(m => m.Layer.HasAdapter).OrderBy(m => m.Name, StringComparer.Ordinal))
        {
            var a = layer.A.Weight.detach().to(dtype).contiguous();
            var b = (layer.B.Weight.detach() * layer.Scaling).to(dtype).contiguous();
            tensors.Add(new(LtxCheckpointKeys.Lora + name + ASuffix, a));
            tensors.Add(new(LtxCheckpointKeys.Lora + name + BSuffix, b));
        }
        if (tensors.Count == 0) throw new InvalidOperationException("The model has no LoRA adapters to save.");
        SafetensorsWriter.Write(path, tensors, metadata ?? new Dictionary<string, string>());
    }
}
