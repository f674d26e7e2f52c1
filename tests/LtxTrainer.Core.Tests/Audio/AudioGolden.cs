using System.Text.Json;
using LtxTrainer.Core.Checkpoints;
using LtxTrainer.Core.Tests.Golden;
using TorchSharp;
using Xunit.Abstractions;

namespace LtxTrainer.Core.Tests.Audio;

/// <summary>
/// The audio golden set: case tensors, the tiny checkpoint opened through the same loader as a real one,
/// and the per-case tolerances of cases.json (|actual − expected| ≤ atol + rtol·|expected|).
/// </summary>
public sealed class AudioGolden : IDisposable
{
    private readonly GoldenSet _set = new("audio");

    public ITensorSource OpenCheckpoint() => TensorSources.Open(_set.PathOf("tiny_audio.safetensors"));

    public string CheckpointPath => _set.PathOf("tiny_audio.safetensors");

    public torch.Tensor Tensor(string name) => _set.Tensor(name);

    public JsonElement Case(string name) => _set.Json.RootElement.GetProperty("cases").GetProperty(name);

    /// <summary>One of the set's sizes (cases.json "sizes"), e.g. samples_16k: tests hold for any set of this layout.</summary>
    public long Size(string name) => _set.Json.RootElement.GetProperty("sizes").GetProperty(name).GetInt64();

    /// <summary>The audio VAE preprocessing setting <paramref name="section"/>.<paramref name="name"/> of the set's checkpoint.</summary>
    public long Preprocessing(string section, string name) => _set.Json.RootElement.GetProperty("checkpoint").GetProperty("metadata_config")
        .GetProperty("audio_vae").GetProperty("preprocessing").GetProperty(section).GetProperty(name).GetInt64();

    public (double Atol, double Rtol) Tolerance(string caseName, string tensor)
    {
        var t = Case(caseName).GetProperty("tolerance").GetProperty(tensor);
        return (t.GetProperty("atol").GetDouble(), t.GetProperty("rtol").GetDouble());
    }

    /// <summary>Compares with the case's stated tolerance for <paramref name="tensor"/>; returns the max abs error.</summary>
    public double AssertClose(string caseName, string tensor, torch.Tensor actual, ITestOutputHelper? output = null)
    {
        var (atol, rtol) = Tolerance(caseName, tensor);
        using var expected = Tensor(tensor);
        return AssertWithin(tensor, expected, actual, atol, rtol, output);
    }

    /// <summary>Elementwise |a − e| ≤ atol + rtol·|e|; returns the max abs error.</summary>
    public static double AssertWithin(string what, torch.Tensor expected, torch.Tensor actual, double atol, double rtol, ITestOutputHelper? output = null)
    {
        Assert.True(expected.shape.SequenceEqual(actual.shape),
            $"{what}: shape [{string.Join(",", actual.shape)}], expected [{string.Join(",", expected.shape)}]");
        using var scope = torch.NewDisposeScope();
        var e = expected.detach().to(torch.float64).cpu();
        var a = actual.detach().to(torch.float64).cpu();
        Assert.False(a.isnan().any().item<bool>(), $"{what}: result has NaN");
        var diff = (e - a).abs();
        double max = diff.max().item<double>();
        var excess = diff - (e.abs() * rtol + atol);
        output?.WriteLine($"{what}: max abs error {max:E3} (atol {atol:E1}, rtol {rtol:E1})");
        if (excess.max().item<double>() > 0)
        {
            long idx = excess.flatten().argmax().item<long>();
            Assert.Fail($"{what}: |diff| {diff.flatten()[idx].item<double>():E3} exceeds atol {atol:E1} + rtol {rtol:E1}·|expected| at flat index {idx} " +
                        $"(expected {e.flatten()[idx].item<double>():G9}, got {a.flatten()[idx].item<double>():G9}); max abs error {max:E3}");
        }
        return max;
    }

    public void Dispose() => _set.Dispose();
}
