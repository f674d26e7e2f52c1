using TorchSharp;

namespace LtxTrainer.Core.Tests.Golden;

/// <summary>Tensor comparisons with messages that say where and by how much a tensor differs.</summary>
public static class TensorAssert
{
    /// <summary>
    /// Elementwise |actual − expected| ≤ <paramref name="atol"/> + <paramref name="rtol"/>·|expected|, no NaN, same
    /// shape; reports and returns the max abs error.
    /// </summary>
    public static double Close(torch.Tensor expected, torch.Tensor actual, double atol, string what, double rtol = 0,
        Action<string>? report = null)
    {
        Assert.True(expected.shape.SequenceEqual(actual.shape),
            $"{what}: shape [{string.Join(",", actual.shape)}], expected [{string.Join(",", expected.shape)}]");
        using var scope = torch.NewDisposeScope();
        var e = expected.detach().to(torch.float64).cpu();
        var a = actual.detach().to(torch.float64).cpu();
        Assert.False(a.isnan().any().item<bool>(), $"{what}: result has NaN");
        var diff = (e - a).abs();
        double max = diff.max().item<double>();
        report?.Invoke($"{what}: max abs error {max:E3} (atol {atol:E1}, rtol {rtol:E1})");
        var excess = rtol == 0 ? diff - atol : diff - (e.abs() * rtol + atol);
        if (excess.max().item<double>() > 0)
        {
            long idx = excess.flatten().argmax().item<long>();
            Assert.Fail($"{what}: |diff| {diff.flatten()[idx].item<double>():E3} exceeds atol {atol:E3} + rtol {rtol:E1}·|expected| " +
                        $"at flat index {idx} (expected {e.flatten()[idx].item<double>():G9}, got {a.flatten()[idx].item<double>():G9}); " +
                        $"max abs error {max:E3}");
        }
        return max;
    }

    /// <summary><see cref="Close(torch.Tensor, torch.Tensor, double, string, double, Action{string}?)"/> with a stated tolerance.</summary>
    public static double Close(torch.Tensor expected, torch.Tensor actual, GoldenTolerance tolerance, string what, Action<string>? report = null) =>
        Close(expected, actual, tolerance.Atol, what, tolerance.Rtol, report);

    /// <summary>Max absolute difference, for reporting and for asserting exact equality.</summary>
    public static double MaxAbs(torch.Tensor expected, torch.Tensor actual)
    {
        using var d = (expected.detach().to(torch.float64) - actual.detach().to(torch.float64)).abs();
        return d.max().item<double>();
    }
}
