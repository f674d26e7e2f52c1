using LtxTrainer.Core.Checkpoints;
using LtxTrainer.Core.Model.Lora;
using TorchSharp;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Sampling;

/// <summary>
/// LoRA files applied to a transformer for one generation (call outside any dispose scope: the adapters and the
/// saved weights must outlive it), taken off again on dispose so a session can run the
/// next generation with other LoRAs. Unfused, every layer gets one adapter whose factors are the files'
/// factors stacked along the rank (A = [A₁; A₂], B = [s₁B₁, s₂B₂], so B·A = Σ sᵢBᵢAᵢ); fused, the files are
/// added into the base weights by ltx-core's rule (<c>ltx_core/loader/fuse_loras.py</c>) and the original
/// weights are put back afterwards. Modules of a file that match no layer are reported, not silently dropped
/// (upstream ignores them, and a LoRA with a wrong prefix then does nothing).
/// </summary>
internal sealed class AppliedLoras : IDisposable
{
    private readonly List<LoraLinear> _attached = [];
    private readonly List<(LoraLinear Layer, Tensor Original)> _saved = [];

    private AppliedLoras()
    {
    }

    public List<string> Warnings { get; } = [];

    /// <summary>Reads and applies <paramref name="loras"/>; on failure nothing stays applied.</summary>
    /// <exception cref="LoraMismatchException">A file matches no layer at all.</exception>
    public static AppliedLoras Apply(nn.Module model, IReadOnlyList<LoraReference> loras, bool fuse)
    {
        var applied = new AppliedLoras();
        if (loras.Count == 0) return applied;
        var layers = LoraTargets.All(model).ToDictionary(m => m.Name, m => m.Layer, StringComparer.Ordinal);
        var files = new List<(LoraWeights Weights, double Strength)>();
        try
        {
            foreach (var reference in loras)
            {
                var weights = LoraFile.Load(reference.Path);
                files.Add((weights, reference.Strength));
                applied.CheckMatch(weights, reference.Path, layers);
            }
            if (fuse) applied.Fuse(model, files, layers);
            else applied.Attach(files, layers);
            return applied;
        }
        catch
        {
            applied.Dispose();
            throw;
        }
        finally
        {
            foreach (var (w, _) in files) w.Dispose();
        }
    }

    private void CheckMatch(LoraWeights weights, string path, IReadOnlyDictionary<string, LoraLinear> layers)
    {
        var unmatched = weights.Modules.Keys.Where(k => !layers.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        if (unmatched.Count == weights.Modules.Count)
            throw new LoraMismatchException(path, unmatched);
        if (unmatched.Count > 0)
            Warnings.Add($"LoRA '{path}': {weights.Modules.Count - unmatched.Count} of {weights.Modules.Count} modules match the transformer; " +
                         $"{unmatched.Count} are ignored ({string.Join(", ", unmatched.Take(3))}{(unmatched.Count > 3 ? ", ..." : "")}).");
        foreach (var (name, (a, b)) in weights.Modules)
        {
            if (!layers.TryGetValue(name, out var layer)) continue;
            if (a.shape[1] != layer.InFeatures || b.shape[0] != layer.OutFeatures)
                throw new CheckpointFormatException(
                    $"LoRA '{path}': module '{name}' has A [{string.Join(", ", a.shape)}] and B [{string.Join(", ", b.shape)}], " +
                    $"expected A [r, {layer.InFeatures}] and B [{layer.OutFeatures}, r].", path, name);
        }
    }

    private void Attach(List<(LoraWeights Weights, double Strength)> files, IReadOnlyDictionary<string, LoraLinear> layers)
    {
        foreach (var (name, layer) in layers)
        {
            var parts = files.Where(f => f.Weights.Modules.ContainsKey(name)).ToList();
            if (parts.Count == 0) continue;
            if (layer.HasAdapter)
                throw new InvalidOperationException(
                    $"Layer '{name}' already carries a LoRA adapter (a LoRA being trained); apply LoRA files to it fused instead.");
            // No dispose scope here: the adapter adopts these tensors as its parameters (a scope would free them).
            var scaled = parts.Select(p => p.Weights.Modules[name].B * p.Strength).ToArray();
            using var a = cat(parts.Select(p => p.Weights.Modules[name].A).ToArray(), 0);
            using var b = cat(scaled, 1);
            foreach (var t in scaled) t.Dispose();
            layer.Attach(a, b, 1.0, 0.0, trainable: false);
            _attached.Add(layer);
        }
    }

    private void Fuse(nn.Module model, List<(LoraWeights Weights, double Strength)> files, IReadOnlyDictionary<string, LoraLinear> layers)
    {
        // Only the matching modules go to the fuser (it refuses unknown ones); the views share the files' tensors.
        var matching = files.Select(f => (new LoraWeights(
            f.Weights.Modules.Where(m => layers.ContainsKey(m.Key)).ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal),
            f.Weights.Source), f.Strength)).ToList();
        var touched = matching.SelectMany(m => m.Item1.Modules.Keys).Distinct(StringComparer.Ordinal);
        using (no_grad())
            foreach (var name in touched)
                _saved.Add((layers[name], layers[name].Weight.detach().clone()));
        var rule = layers.Values.First().Weight.dtype == ScalarType.BFloat16 ? LoraFuseRule.BFloat16 : LoraFuseRule.Float32;
        LoraFusion.Fuse(model, matching, rule);
    }

    public void Dispose()
    {
        foreach (var layer in _attached) layer.Detach();
        _attached.Clear();
        foreach (var (layer, original) in _saved)
        {
            layer.OverwriteWeight(original);
            original.Dispose();
        }
        _saved.Clear();
    }
}
