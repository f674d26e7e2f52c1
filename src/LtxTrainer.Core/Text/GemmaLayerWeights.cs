using TorchSharp;

namespace LtxTrainer.Core.Text;

/// <summary>
/// The tensors of one Gemma 3 decoder layer, owned (disposed together). Norm weights are stored as the
/// float32 factor <c>1 + w</c> that Gemma's RMSNorm multiplies by, so the forward pass never recomputes it.
/// </summary>
public sealed class GemmaLayerWeights : IDisposable
{
    /// <summary>The four per-layer norms, in the order the layer uses them.</summary>
    public static readonly string[] NormNames =
        ["input_layernorm", "post_attention_layernorm", "pre_feedforward_layernorm", "post_feedforward_layernorm"];

    private GemmaLayerWeights() { }

    public required torch.Tensor QProj { get; init; }
    public required torch.Tensor KProj { get; init; }
    public required torch.Tensor VProj { get; init; }
    public required torch.Tensor OProj { get; init; }
    public required torch.Tensor QNorm { get; init; }
    public required torch.Tensor KNorm { get; init; }
    public required torch.Tensor GateProj { get; init; }
    public required torch.Tensor UpProj { get; init; }
    public required torch.Tensor DownProj { get; init; }
    public required torch.Tensor InputNorm { get; init; }
    public required torch.Tensor PostAttentionNorm { get; init; }
    public required torch.Tensor PreFeedforwardNorm { get; init; }
    public required torch.Tensor PostFeedforwardNorm { get; init; }

    /// <summary>Bytes held by this layer's tensors.</summary>
    public long ByteSize => All.Sum(t => t.NumberOfElements * t.ElementSize);

    private IEnumerable<torch.Tensor> All =>
        [QProj, KProj, VProj, OProj, QNorm, KNorm, GateProj, UpProj, DownProj, InputNorm, PostAttentionNorm, PreFeedforwardNorm, PostFeedforwardNorm];

    /// <summary>Reads layer <paramref name="index"/>; linears in <paramref name="dtype"/>, norms as float32 <c>1 + w</c>.</summary>
    public static GemmaLayerWeights Load(GemmaCheckpoint checkpoint, int index, torch.ScalarType dtype, torch.Device device)
    {
        string p = $"layers.{index}.";
        var loaded = new List<torch.Tensor>();
        torch.Tensor Linear(string name)
        {
            var t = checkpoint.Load(p + name, dtype, device);
            loaded.Add(t);
            return t;
        }
        torch.Tensor Norm(string name)
        {
            using var w = checkpoint.Load(p + name, torch.float32, device);
            var t = w + 1.0f;
            loaded.Add(t);
            return t;
        }
        try
        {
            return new GemmaLayerWeights
            {
                QProj = Linear("self_attn.q_proj.weight"),
                KProj = Linear("self_attn.k_proj.weight"),
                VProj = Linear("self_attn.v_proj.weight"),
                OProj = Linear("self_attn.o_proj.weight"),
                QNorm = Norm("self_attn.q_norm.weight"),
                KNorm = Norm("self_attn.k_norm.weight"),
                GateProj = Linear("mlp.gate_proj.weight"),
                UpProj = Linear("mlp.up_proj.weight"),
                DownProj = Linear("mlp.down_proj.weight"),
                InputNorm = Norm("input_layernorm.weight"),
                PostAttentionNorm = Norm("post_attention_layernorm.weight"),
                PreFeedforwardNorm = Norm("pre_feedforward_layernorm.weight"),
                PostFeedforwardNorm = Norm("post_feedforward_layernorm.weight"),
            };
        }
        catch
        {
            foreach (var t in loaded) t.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var t in All) t.Dispose();
    }
}
