using LtxTrainer.Core.Checkpoints;
using LtxTrainer.Core.Model.Connector;
using LtxTrainer.Core.Model.Lora;
using LtxTrainer.Core.Model.Transformer;
using static TorchSharp.torch;

namespace LtxTrainer.Bench.Transformer;

/// <summary>Builds the full-size models on the meta device (no memory) and checks their sizes against spec §10.</summary>
internal static class ParameterCounts
{
    public const long Transformer = 3_286_408_320;
    public const long PerBlock = 67_297_344;
    public const long TopLevel = 56_135_808;
    public const long Connector = 403_620_096;
    public const long LoraRank32 = 81_788_928;

    public static Dictionary<string, object> Run()
    {
        var config = RealConfig.Parse(48);
        using var model = new AudioTransformer(config, new RandomWeightSource(ScalarType.BFloat16, META));
        long total = model.parameters().Sum(p => p.numel());
        long block = model.Blocks[0].parameters().Sum(p => p.numel());
        long lora = LoraTargets.Matching(model, LoraConfig.AudioTargets).Sum(l => 32 * (l.Layer.InFeatures + l.Layer.OutFeatures));
        using var connector = new AudioEmbeddingsConnector(config.AudioConnector, true, new RandomWeightSource(ScalarType.BFloat16, META));
        long conn = connector.parameters().Sum(p => p.numel());
        var result = new Dictionary<string, object>
        {
            ["transformer"] = total, ["per_block"] = block, ["top_level"] = total - 48 * block,
            ["lora_rank32"] = lora, ["audio_connector"] = conn,
        };
        Check("transformer", total, Transformer);
        Check("per block", block, PerBlock);
        Check("top level", total - 48 * block, TopLevel);
        Check("LoRA r=32", lora, LoraRank32);
        Check("audio connector", conn, Connector);
        return result;
    }

    private static void Check(string what, long actual, long expected)
    {
        Console.Error.WriteLine($"{what}: {actual:N0} parameters (spec {expected:N0})");
        if (actual != expected) throw new InvalidOperationException($"{what} has {actual:N0} parameters; spec §10 says {expected:N0}.");
    }
}
