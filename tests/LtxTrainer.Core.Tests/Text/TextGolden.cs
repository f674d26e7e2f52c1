using LtxTrainer.Core.Tests.Golden;
using TorchSharp;

namespace LtxTrainer.Core.Tests.Text;

/// <summary>Shared access to the text golden folder: prompts, tolerances, masked comparisons.</summary>
internal static class TextGolden
{
    public static string[] Prompts(GoldenSet golden) =>
        golden.Json.RootElement.GetProperty("prompts").EnumerateArray().Select(p => p.GetString()!).ToArray();

    public static int MaxLength(GoldenSet golden) =>
        golden.Json.RootElement.GetProperty("generator_config").GetProperty("max_length").GetInt32();

    /// <summary>The stated tolerance of one case tensor (cases.json → independent_check.tolerances).</summary>
    public static double Tolerance(GoldenSet golden, string tensor) =>
        golden.Json.RootElement.GetProperty("independent_check").GetProperty("tolerances").GetProperty(tensor).GetDouble();

    /// <summary>Zeroes every position whose token is padding; <paramref name="mask"/> is [B, L] and broadcasts over [.., B, L, D].</summary>
    public static torch.Tensor ValidOnly(torch.Tensor x, torch.Tensor mask)
    {
        using var m = mask.to(torch.@bool).unsqueeze(-1);
        using var zero = torch.zeros(1, dtype: x.dtype);
        return torch.where(m, x, zero);
    }

    /// <summary>Asserts closeness on valid tokens and returns the max abs error there.</summary>
    public static double CloseOnValid(GoldenSet golden, string tensor, torch.Tensor actual, torch.Tensor mask)
    {
        using var expected = golden.Tensor(tensor);
        using var e = ValidOnly(expected, mask);
        using var a = ValidOnly(actual.to(torch.float32), mask);
        TensorAssert.Close(e, a, Tolerance(golden, tensor), tensor);
        return TensorAssert.MaxAbs(e, a);
    }
}
