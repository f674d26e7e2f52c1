using System.Text.Json;
using LtxTrainer.Core.Checkpoints;
using LtxTrainer.Core.Model.Transformer;
using LtxTrainer.Core.Tests.Golden;
using TorchSharp;

namespace LtxTrainer.Core.Tests.Model;

/// <summary>
/// The transformer golden folder: case tensors, per-output tolerances from <c>cases.json</c> and the tiny
/// checkpoint opened through the production loader.
/// </summary>
public sealed class TransformerGolden : IDisposable
{
    public TransformerGolden()
    {
        Set = new GoldenSet("transformer");
        var files = Set.Json.RootElement.GetProperty("files");
        CheckpointPath = Set.PathOf(files.GetProperty("checkpoint").GetString()!);
        LoraPath = Set.PathOf(files.GetProperty("lora").GetString()!);
        Checkpoint = LtxCheckpoint.Open(CheckpointPath);
    }

    public GoldenSet Set { get; }
    public string CheckpointPath { get; }
    public string LoraPath { get; }
    public LtxCheckpoint Checkpoint { get; }

    public torch.Tensor T(string name) => Set.Tensor(name);

    public AudioTransformer LoadModel() => AudioTransformer.Load(Checkpoint, torch.ScalarType.Float32);

    /// <summary>The inputs of the <c>forward</c> case (also used by <c>forward_stg</c> and <c>lora</c>).</summary>
    public AudioTransformerInput ForwardInput() => new(
        T("forward.latent"), T("forward.sigma"), T("forward.timesteps"), T("forward.positions"), T("forward.context"), T("forward.context_mask"));

    public JsonElement Params(string caseName) => Set.Json.RootElement.GetProperty("cases").GetProperty(caseName).GetProperty("params");

    /// <summary>
    /// The tolerance <c>cases.json</c> records for an output (<c>independent_reimplementation_max_abs</c>),
    /// matching exact names, names with a parenthesised remark, and <c>prefix.*</c> groups; otherwise the
    /// README's recommended tolerance for that kind of output, passed by the caller.
    /// </summary>
    public double Tolerance(string output, double recommended)
    {
        if (!Set.Json.RootElement.TryGetProperty("independent_reimplementation_max_abs", out var table)) return recommended;
        foreach (var p in table.EnumerateObject())
        {
            string key = p.Name;
            int paren = key.IndexOf(" (", StringComparison.Ordinal);
            string bare = paren >= 0 ? key[..paren] : key;
            bool hit = bare == output
                       || (bare.EndsWith(".*", StringComparison.Ordinal) && output.StartsWith(bare[..^1], StringComparison.Ordinal));
            if (hit && p.Value.TryGetProperty("tolerance", out var tol)) return tol.GetDouble();
        }
        return recommended;
    }

    /// <summary>Where <see cref="AssertClose"/> reports each comparison (a test's output), when set.</summary>
    public Action<string>? Report { get; set; }

    /// <summary>Asserts closeness with the recorded tolerance and returns the max abs error (also reported).</summary>
    public double AssertClose(string output, torch.Tensor actual, double recommended, string? expectedName = null)
    {
        using var expected = T(expectedName ?? output);
        double tol = Tolerance(output, recommended);
        return Close(expected, actual, tol, output);
    }

    /// <summary>Asserts closeness with an explicit tolerance, reports and returns the max abs error.</summary>
    public double Close(torch.Tensor expected, torch.Tensor actual, double tolerance, string what)
    {
        TensorAssert.Close(expected, actual, tolerance, what);
        double max = TensorAssert.MaxAbs(expected, actual);
        Report?.Invoke($"{what}: max abs {max:E2} (tolerance {tolerance:E1})");
        return max;
    }

    public void Dispose()
    {
        Checkpoint.Dispose();
        Set.Dispose();
    }
}
