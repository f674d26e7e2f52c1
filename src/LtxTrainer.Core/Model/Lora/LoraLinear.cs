using LtxTrainer.Core.Model.Common;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.Lora;

/// <summary>
/// A frozen linear layer (weight [out, in], bias) that can carry a LoRA adapter:
/// <c>y = W·x + b + (α/r)·B·(A·dropout(x))</c> (PEFT's forward, as ltx_trainer/trainer.py <c>_setup_lora</c> configures
/// it). The adapter's A and B are
/// float32 whatever the base dtype; their contribution is added in the base dtype. The adapter can be
/// merged into the base weight and taken out again.
/// </summary>
public sealed class LoraLinear : nn.Module<Tensor, Tensor>
{
    private readonly Parameter _weight;
    private readonly Parameter? _bias;
    private LoraFactor? lora_A;
    private LoraFactor? lora_B;
    private double _dropout;
    private bool _merged;

    public LoraLinear(WeightScope w, long inFeatures, long outFeatures, bool bias = true) : base(nameof(LoraLinear))
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        _weight = w.Frozen("weight", outFeatures, inFeatures);
        register_parameter("weight", _weight);
        if (bias)
        {
            _bias = w.Frozen("bias", outFeatures);
            register_parameter("bias", _bias);
        }
    }

    public long InFeatures { get; }
    public long OutFeatures { get; }

    /// <summary>The base weight (frozen).</summary>
    public Parameter Weight => _weight;

    public bool HasAdapter => lora_A is not null;

    /// <summary>α / r of the attached adapter.</summary>
    public double Scaling { get; private set; }

    public int Rank => lora_A is null ? 0 : (int)lora_A.Weight.shape[0];

    public LoraFactor A => lora_A ?? throw new InvalidOperationException("No LoRA adapter is attached.");
    public LoraFactor B => lora_B ?? throw new InvalidOperationException("No LoRA adapter is attached.");

    /// <summary>
    /// Where the dropout masks come from in training (the default generator when null). A training step
    /// sets its own generator here: the process-wide default is shared by every thread, so a draw
    /// elsewhere would change the masks and break the replay of activation recomputation.
    /// </summary>
    public Generator? DropoutGenerator { get; set; }

    /// <summary>
    /// Attaches an adapter with the given float32 factors (A [r, in], B [out, r]) and scaling α/r. The
    /// tensors are adopted (moved to the base weight's device), not copied.
    /// </summary>
    public void Attach(Tensor a, Tensor b, double scaling, double dropout, bool trainable)
    {
        if (HasAdapter) throw new InvalidOperationException("A LoRA adapter is already attached.");
        if (a.ndim != 2 || b.ndim != 2 || a.shape[1] != InFeatures || b.shape[0] != OutFeatures || a.shape[0] != b.shape[1])
            throw new ArgumentException(
                $"LoRA factors A [{string.Join(", ", a.shape)}] and B [{string.Join(", ", b.shape)}] do not fit a linear layer {InFeatures} → {OutFeatures}.");
        var device = _weight.device;
        lora_A = new LoraFactor(a.to(ScalarType.Float32, device).detach(), trainable);
        lora_B = new LoraFactor(b.to(ScalarType.Float32, device).detach(), trainable);
        register_module("lora_A", lora_A);
        register_module("lora_B", lora_B);
        Scaling = scaling;
        _dropout = dropout;
    }

    /// <summary>
    /// Removes the adapter (taking a merged update out of the base weight first), so the layer computes W·x + b
    /// again; the factors are disposed. Previews use it to apply a LoRA file for one generation only.
    /// </summary>
    public void Detach()
    {
        if (lora_A is null || lora_B is null) return;
        Unmerge();
        _internal_submodules.Remove("lora_A");
        _internal_submodules.Remove("lora_B");
        lora_A.Dispose();
        lora_B.Dispose();
        lora_A = null;
        lora_B = null;
        Scaling = 0;
        _dropout = 0;
    }

    public override Tensor forward(Tensor x) => AddAdapter(x, nn.functional.linear(x, _weight, _bias));

    /// <summary>
    /// <c>W·x + b</c> alone: what the layer computes without its adapter. Independent of the LoRA factors
    /// unless the adapter is merged into W, so a caller may compute it once for an input that does not change.
    /// </summary>
    public Tensor BaseForward(Tensor x)
    {
        if (_merged) throw new InvalidOperationException("The adapter is merged into the base weight; its base output depends on the adapter.");
        return nn.functional.linear(x, _weight, _bias);
    }

    /// <summary>
    /// The layer's output for <paramref name="x"/> given its base output <paramref name="y"/> = <see cref="BaseForward"/>(x):
    /// adds the adapter's update (with dropout in training), or returns <paramref name="y"/> without one.
    /// </summary>
    public Tensor AddAdapter(Tensor x, Tensor y)
    {
        if (lora_A is null || lora_B is null || _merged) return y;
        using var scope = NewDisposeScope();
        var h = x.to(ScalarType.Float32);
        if (_dropout > 0 && training)
        {
            // torch's dropout (keep with probability 1 - p, scale by 1 / (1 - p)); nn.functional.dropout
            // takes no generator.
            var keep = empty_like(h).bernoulli_(1 - _dropout, DropoutGenerator);
            h = h * keep / (1 - _dropout);
        }
        var delta = lora_B.forward(lora_A.forward(h)) * Scaling;
        var result = y + delta.to(y.dtype);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>The update (α/r)·B·A in float32 [out, in].</summary>
    public Tensor Delta()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var d = mm(B.Weight, A.Weight) * Scaling;
        return d.MoveToOuterDisposeScope();
    }

    /// <summary>Adds the adapter's update into the base weight (rounded to its dtype); the forward then skips the adapter.</summary>
    public void Merge()
    {
        if (_merged || !HasAdapter) return;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        _weight.add_(Delta().to(_weight.dtype));
        _merged = true;
    }

    /// <summary>Subtracts the update again. With a bf16 base this restores W only up to bf16 rounding.</summary>
    public void Unmerge()
    {
        if (!_merged) return;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        _weight.sub_(Delta().to(_weight.dtype));
        _merged = false;
    }

    /// <summary>Replaces the base weight in place (LoRA fusion at load time).</summary>
    internal void OverwriteWeight(Tensor value)
    {
        using var noGrad = no_grad();
        _weight.copy_(value);
    }
}
