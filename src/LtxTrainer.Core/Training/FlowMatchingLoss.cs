using static TorchSharp.torch;

namespace LtxTrainer.Core.Training;

/// <summary>
/// Masked velocity MSE per sample (ltx-trainer <c>_compute_modality_loss</c>): mean over tokens × channels
/// of mask·(v̂ − v)², divided by the mean of the mask (clamped at 1e-8). The scalar loss is the batch mean.
/// </summary>
public static class FlowMatchingLoss
{
    /// <summary>[B] losses for predictions/targets [B, T, C] and a [B, T] loss mask.</summary>
    public static Tensor PerSample(Tensor prediction, Tensor targets, Tensor lossMask)
    {
        using var scope = NewDisposeScope();
        var m = lossMask.unsqueeze(-1).to(ScalarType.Float32);
        var masked = (prediction.to(ScalarType.Float32) - targets.to(ScalarType.Float32)).pow(2) * m;
        var loss = masked.mean([-2L, -1L]) / m.mean([-2L, -1L]).clamp_min(1e-8);
        return loss.MoveToOuterDisposeScope();
    }
}
