using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.Lora;

/// <summary>
/// A LoRA as stored in a file, per module name (without the <c>diffusion_model.</c> prefix): A [r, in] and
/// B [out, r] with any α/r already folded into B, so ΔW = B·A (the convention of ltx-core's fusion and of
/// ComfyUI without <c>.alpha</c>; ltx_core/loader/fuse_loras.py; ComfyUI's comfy/lora.py). Owns its tensors.
/// </summary>
public sealed class LoraWeights(IReadOnlyDictionary<string, (Tensor A, Tensor B)> modules, string source) : IDisposable
{
    public IReadOnlyDictionary<string, (Tensor A, Tensor B)> Modules { get; } = modules;

    /// <summary>Where the weights came from (file path), for messages.</summary>
    public string Source { get; } = source;

    public int Rank => Modules.Count == 0 ? 0 : (int)Modules.Values.First().A.shape[0];

    public void Dispose()
    {
        foreach (var (a, b) in Modules.Values)
        {
            a.Dispose();
            b.Dispose();
        }
    }
}
