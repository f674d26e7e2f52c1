using System.Text.Json;
using LtxTrainer.Core.Checkpoints;
using TorchSharp;

namespace LtxTrainer.Core.Tests.Golden;

/// <summary>
/// One golden folder (audio, transformer, text): its case tensors (cases.safetensors), its cases.json, the
/// tolerance cases.json states for each output, and the comparison every parity test makes with it. The
/// folders' own files (tiny checkpoints, prompts) are added by <c>AudioGolden</c>, <c>TransformerGolden</c>
/// and <c>TextGolden</c>; the jobs here are done once, under one name each.
/// </summary>
public class GoldenSet : IDisposable
{
    private readonly SafetensorsFile _cases;

    public GoldenSet(string name)
    {
        Folder = GoldenRoot.File(name);
        _cases = SafetensorsFile.Open(System.IO.Path.Combine(Folder, "cases.safetensors"));
        Json = JsonDocument.Parse(File.ReadAllBytes(System.IO.Path.Combine(Folder, "cases.json")));
    }

    public string Folder { get; }

    public JsonDocument Json { get; }

    /// <summary>Where <see cref="AssertClose(string, string, torch.Tensor)"/> reports each comparison (a test's output), when set.</summary>
    public Action<string>? Report { get; set; }

    public string PathOf(string file) => System.IO.Path.Combine(Folder, file);

    public bool Has(string tensor) => _cases.TryGetInfo(tensor) is not null;

    /// <summary>A case tensor, as stored (float32 unless the case says otherwise).</summary>
    public torch.Tensor Tensor(string name) => _cases.Load(name);

    /// <summary>One case of cases.json (<c>cases.&lt;name&gt;</c>).</summary>
    public JsonElement Case(string name) => Json.RootElement.GetProperty("cases").GetProperty(name);

    /// <summary>
    /// The tolerance cases.json states for <paramref name="output"/>, in whichever layout the folder uses: per case
    /// (<c>cases.&lt;case&gt;.tolerance.&lt;output&gt;</c> with atol and rtol; audio), one table
    /// (<c>independent_check.tolerances</c>; text), or max-abs entries matched by exact name, name with a
    /// parenthesised remark, or <c>prefix.*</c> group (<c>independent_reimplementation_max_abs</c>; transformer).
    /// Without a stated value, <paramref name="recommended"/> (the folder README's advice) when given; else the
    /// test fails, so a missing entry never loosens a comparison.
    /// </summary>
    public GoldenTolerance Tolerance(string output, string? caseName = null, double? recommended = null)
    {
        var root = Json.RootElement;
        if (caseName is not null && Case(caseName).TryGetProperty("tolerance", out var perCase) && perCase.TryGetProperty(output, out var t))
            return new GoldenTolerance(t.GetProperty("atol").GetDouble(), t.GetProperty("rtol").GetDouble());
        if (root.TryGetProperty("independent_check", out var check) && check.TryGetProperty("tolerances", out var table)
            && table.TryGetProperty(output, out var value))
            return new GoldenTolerance(value.GetDouble());
        if (root.TryGetProperty("independent_reimplementation_max_abs", out var maxAbs))
        {
            foreach (var p in maxAbs.EnumerateObject())
            {
                string key = p.Name;
                int paren = key.IndexOf(" (", StringComparison.Ordinal);
                string bare = paren >= 0 ? key[..paren] : key;
                bool hit = bare == output
                           || (bare.EndsWith(".*", StringComparison.Ordinal) && output.StartsWith(bare[..^1], StringComparison.Ordinal));
                if (hit && p.Value.TryGetProperty("tolerance", out var tol)) return new GoldenTolerance(tol.GetDouble());
            }
        }
        return recommended is double r
            ? new GoldenTolerance(r)
            : throw new KeyNotFoundException($"{Folder}/cases.json states no tolerance for {output}{(caseName is null ? "" : $" (case {caseName})")}.");
    }

    /// <summary>Compares with the stored <paramref name="output"/> within the tolerance its case states; returns the max abs error.</summary>
    public double AssertClose(string caseName, string output, torch.Tensor actual) =>
        AssertClose(output, output, actual, Tolerance(output, caseName));

    /// <summary>
    /// Compares with the stored tensor <paramref name="expectedName"/> (default <paramref name="output"/>) within the
    /// tolerance cases.json states for <paramref name="output"/>, else <paramref name="recommended"/>; returns the max
    /// abs error.
    /// </summary>
    public double AssertClose(string output, torch.Tensor actual, double recommended, string? expectedName = null) =>
        AssertClose(output, expectedName ?? output, actual, Tolerance(output, recommended: recommended));

    private double AssertClose(string output, string expectedName, torch.Tensor actual, GoldenTolerance tolerance)
    {
        using var expected = Tensor(expectedName);
        return TensorAssert.Close(expected, actual, tolerance, output, Report);
    }

    public virtual void Dispose()
    {
        _cases.Dispose();
        Json.Dispose();
        GC.SuppressFinalize(this);
    }
}
