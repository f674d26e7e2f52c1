namespace LtxTrainer.Core.Model.Lora;

/// <summary>How ltx-core adds B·A into a base weight at load time (ltx_core/loader/fuse_loras.py).</summary>
public enum LoraFuseRule
{
    /// <summary>ΔW and W + ΔW in float32 (ltx-core on MPS), then cast to the weight's dtype.</summary>
    Float32,

    /// <summary>ΔW rounded to bf16, W added in bf16, then cast (ltx-core's default on CPU/CUDA).</summary>
    BFloat16,
}
