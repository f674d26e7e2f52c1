using LtxTrainer.Core.Checkpoints;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.Lora;

/// <summary>
/// Fuses LoRAs into the base weights the way ltx-core's loader does for inference (ltx_core/loader/fuse_loras.py):
/// W' = W + Σ strength·(B·A), aggregated as <c>(B·strength)@A</c> then <c>addmm</c>, in the rule's dtype.
/// </summary>
public static class LoraFusion
{
    public static void Fuse(nn.Module model, IReadOnlyList<(LoraWeights Weights, double Strength)> loras, LoraFuseRule rule)
    {
        var layers = LoraTargets.All(model).ToDictionary(m => m.Name, m => m.Layer, StringComparer.Ordinal);
        foreach (var (w, _) in loras)
            foreach (var name in w.Modules.Keys)
                if (!layers.ContainsKey(name))
                    throw new CheckpointFormatException($"LoRA '{w.Source}': module '{name}' is not a LoRA-capable layer of the audio transformer.", w.Source, name);

        using var noGrad = no_grad();
        foreach (var (name, layer) in layers)
        {
            using var scope = NewDisposeScope();
            Tensor? delta = null;
            foreach (var (w, strength) in loras)
            {
                if (!w.Modules.TryGetValue(name, out var ab)) continue;
                var a = ab.A.to(layer.Weight.device);
                var b = ab.B.to(layer.Weight.device);
                delta = rule == LoraFuseRule.BFloat16
                    ? AccumulateBFloat16(delta, b, a, strength)
                    : delta is null ? mm(b * strength, a) : delta.addmm_(b, a, beta: 1, alpha: (float)strength);
            }
            if (delta is null) continue;
            delta.add_(layer.Weight);
            layer.OverwriteWeight(delta.to(layer.Weight.dtype));
        }
    }

    // ltx-core runs torch.matmul on bf16 factors. torch's CPU dispatch sends products of more than 16³
    // multiply-adds to oneDNN (float32 accumulator, one rounding) and smaller ones to a plain kernel that
    // rounds every rank-1 product and partial sum to bf16; the golden data was made on that CPU path. Real
    // LoRA layers (2048·r·2048 and up) always take the first branch, which is also what CUDA does.
    private const long SmallBFloat16MatmulLimit = 16 * 16 * 16;

    private static Tensor AccumulateBFloat16(Tensor? delta, Tensor b, Tensor a, double strength)
    {
        var bb = b.to(ScalarType.BFloat16) * strength;
        var ab = a.to(ScalarType.BFloat16);
        if (bb.shape[0] * ab.shape[0] * ab.shape[1] > SmallBFloat16MatmulLimit)
        {
            var product = mm(bb, ab);
            return delta is null ? product : delta.add_(product);
        }
        var acc = delta ?? zeros(b.shape[0], a.shape[1], ScalarType.BFloat16, b.device);
        for (long k = 0; k < ab.shape[0]; k++)
            acc.add_(bb.narrow(1, k, 1) * ab.narrow(0, k, 1));
        return acc;
    }
}
