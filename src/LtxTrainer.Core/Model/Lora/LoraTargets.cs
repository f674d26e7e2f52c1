using LtxTrainer.Core.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.Lora;

/// <summary>Finds and adapts the LoRA-capable layers of a model by module name.</summary>
public static class LoraTargets
{
    /// <summary>Every <see cref="LoraLinear"/> of <paramref name="model"/> with its dotted module name.</summary>
    public static IEnumerable<(string Name, LoraLinear Layer)> All(nn.Module model) =>
        model.named_modules().Where(m => m.module is LoraLinear).Select(m => (m.name, (LoraLinear)m.module));

    /// <summary>The layers whose names match one of <paramref name="targets"/> (whole name, or suffix after a dot).</summary>
    public static IReadOnlyList<(string Name, LoraLinear Layer)> Matching(nn.Module model, IEnumerable<string> targets)
    {
        var t = targets.ToArray();
        return All(model).Where(m => t.Any(s => m.Name == s || m.Name.EndsWith("." + s, StringComparison.Ordinal))).ToList();
    }

    /// <summary>
    /// Attaches fresh trainable adapters the PEFT way: A ~ U(±1/√in) (Kaiming-uniform with a = √5), B = 0,
    /// so the model's output is unchanged until training moves B. Returns the adapted layers.
    /// </summary>
    public static IReadOnlyList<(string Name, LoraLinear Layer)> AttachNew(nn.Module model, LoraConfig config, Generator? generator = null)
    {
        config.Validate();
        var layers = Matching(model, config.TargetModules);
        if (layers.Count == 0)
            throw new ArgumentException($"No module matches the LoRA targets {string.Join(", ", config.TargetModules)}.", nameof(config));
        foreach (var (_, layer) in layers)
        {
            double bound = 1.0 / Math.Sqrt(layer.InFeatures);
            var a = rand(new long[] { config.Rank, layer.InFeatures }, generator: generator, dtype: ScalarType.Float32) * (2 * bound) - bound;
            var b = zeros(layer.OutFeatures, config.Rank, ScalarType.Float32);
            layer.Attach(a, b, config.Scaling, config.Dropout, trainable: true);
            a.Dispose();
            b.Dispose();
        }
        return layers;
    }

    /// <summary>The trainable LoRA parameters in module order (A then B per layer).</summary>
    public static IReadOnlyList<TorchSharp.Modules.Parameter> Parameters(nn.Module model) =>
        All(model).Where(m => m.Layer.HasAdapter).SelectMany(m => new[] { m.Layer.A.Weight, m.Layer.B.Weight }).ToList();

    /// <summary>
    /// Attaches the adapters of a loaded LoRA (ΔW = B·A, scaling 1). Every module of the file must be a
    /// LoRA-capable layer of the model with matching shapes: a key that hits nothing is an error, since
    /// upstream would ignore it silently and the LoRA would do nothing (ltx_core/loader/fuse_loras.py).
    /// </summary>
    public static void AttachFrom(nn.Module model, LoraWeights weights, bool trainable, double dropout = 0.0)
    {
        var layers = All(model).ToDictionary(m => m.Name, m => m.Layer, StringComparer.Ordinal);
        foreach (var (name, (a, b)) in weights.Modules)
        {
            if (!layers.TryGetValue(name, out var layer))
                throw new CheckpointFormatException(
                    $"LoRA '{weights.Source}': module '{name}' is not a LoRA-capable layer of the audio transformer.", weights.Source, name);
            if (a.shape[1] != layer.InFeatures || b.shape[0] != layer.OutFeatures)
                throw new CheckpointFormatException(
                    $"LoRA '{weights.Source}': module '{name}' has A [{string.Join(", ", a.shape)}] and B [{string.Join(", ", b.shape)}], " +
                    $"expected A [r, {layer.InFeatures}] and B [{layer.OutFeatures}, r].", weights.Source, name);
        }
        foreach (var (name, (a, b)) in weights.Modules)
            layers[name].Attach(a, b, 1.0, dropout, trainable);
    }
}
