using LtxTrainer.Core.Checkpoints;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.Common;

/// <summary>
/// A position in the checkpoint's key tree while a module is built: <c>Sub("audio_attn1").Sub("to_q")</c>
/// reads <c>…audio_attn1.to_q.weight</c>, so module nesting and checkpoint keys cannot drift apart.
/// </summary>
public readonly record struct WeightScope(IWeightSource Source, string Prefix)
{
    public static WeightScope Root(IWeightSource source) => new(source, "");

    public WeightScope Sub(string name) => new(Source, Prefix + name + ".");

    /// <summary>A frozen parameter loaded from <c>Prefix + name</c>.</summary>
    public Parameter Frozen(string name, params long[] shape) =>
        new(Source.Load(Prefix + name, shape), requires_grad: false);
}
