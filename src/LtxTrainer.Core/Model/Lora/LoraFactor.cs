using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.Lora;

/// <summary>One LoRA matrix (<c>lora_A</c> [r, in] or <c>lora_B</c> [out, r]), a bias-free linear map.</summary>
public sealed class LoraFactor : nn.Module<Tensor, Tensor>
{
    private readonly Parameter _weight;

    public LoraFactor(Tensor weight, bool trainable) : base(nameof(LoraFactor))
    {
        _weight = new Parameter(weight, requires_grad: trainable);
        register_parameter("weight", _weight);
    }

    public Parameter Weight => _weight;

    public override Tensor forward(Tensor x) => nn.functional.linear(x, _weight);
}
