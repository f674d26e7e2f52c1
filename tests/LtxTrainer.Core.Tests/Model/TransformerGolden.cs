using System.Text.Json;
using LtxTrainer.Core.Checkpoints;
using LtxTrainer.Core.Model.Transformer;
using LtxTrainer.Core.Tests.Golden;
using TorchSharp;

namespace LtxTrainer.Core.Tests.Model;

/// <summary>
/// The transformer golden folder: besides what every <see cref="GoldenSet"/> offers, the tiny checkpoint opened
/// through the production loader, the tiny LoRA, and the inputs and parameters of its cases.
/// </summary>
public sealed class TransformerGolden : GoldenSet
{
    public TransformerGolden() : base("transformer")
    {
        var files = Json.RootElement.GetProperty("files");
        CheckpointPath = PathOf(files.GetProperty("checkpoint").GetString()!);
        LoraPath = PathOf(files.GetProperty("lora").GetString()!);
        Checkpoint = LtxCheckpoint.Open(CheckpointPath);
    }

    public string CheckpointPath { get; }
    public string LoraPath { get; }
    public LtxCheckpoint Checkpoint { get; }

    public AudioTransformer LoadModel() => AudioTransformer.Load(Checkpoint, torch.ScalarType.Float32);

    /// <summary>The inputs of the <c>forward</c> case (also used by <c>forward_stg</c> and <c>lora</c>).</summary>
    public AudioTransformerInput ForwardInput() => new(
        Tensor("forward.latent"), Tensor("forward.sigma"), Tensor("forward.timesteps"), Tensor("forward.positions"),
        Tensor("forward.context"), Tensor("forward.context_mask"));

    public JsonElement Params(string caseName) => Case(caseName).GetProperty("params");

    public override void Dispose()
    {
        Checkpoint.Dispose();
        base.Dispose();
    }
}
