using TorchSharp;

namespace LtxTrainer.Core.Tests.Golden;

/// <summary>Max-abs comparisons with messages that say where and by how much a tensor differs.</summary>
public static class TensorAssert
{
    public static void Close(torch.Tensor expected, torch.Tensor actual, double atol, string what)
    {
        Assert.True(expected.shape.SequenceEqual(actual.shape),
            $"{what}: shape [{string.Join(",", actual.shape)}], expected [{string.Join(",", expected.shape)}]");
        using var e = expected.detach().to(torch.float64).cpu();
        using var a = actual.detach().to(torch.float64).cpu();
        using var diff = (e - a).abs();
        Assert.False(a.isnan().any().item<bool>(), $"{what}: result has NaN");
        double max = diff.max().item<double>();
        if (max > atol)
        {
            long idx = diff.flatten().argmax().item<long>();
            Assert.Fail($"{what}: max abs diff {max:E3} > tolerance {atol:E3} at flat index {idx} " +
                        $"(expected {e.flatten()[idx].item<double>():G9}, got {a.flatten()[idx].item<double>():G9})");
        }
    }

    /// <summary>Max absolute difference, for reporting.</summary>
    public static double MaxAbs(torch.Tensor expected, torch.Tensor actual)
    {
        using var d = (expected.detach().to(torch.float64) - actual.detach().to(torch.float64)).abs();
        return d.max().item<double>();
    }
}
