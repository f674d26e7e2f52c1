using LtxTrainer.Core.Tests.Golden;
using TorchSharp;

namespace LtxTrainer.Core.Tests.Text;

/// <summary>
/// The text golden folder: besides what every <see cref="GoldenSet"/> offers, its prompts, the tokenizer length
/// they were made with, and comparisons restricted to real (non-padding) tokens.
/// </summary>
public sealed class TextGolden() : GoldenSet("text")
{
    public string[] Prompts() =>
        Json.RootElement.GetProperty("prompts").EnumerateArray().Select(p => p.GetString()!).ToArray();

    public int MaxLength() =>
        Json.RootElement.GetProperty("generator_config").GetProperty("max_length").GetInt32();

    /// <summary>Zeroes every position whose token is padding; <paramref name="mask"/> is [B, L] and broadcasts over [.., B, L, D].</summary>
    public static torch.Tensor ValidOnly(torch.Tensor x, torch.Tensor mask)
    {
        using var m = mask.to(torch.@bool).unsqueeze(-1);
        using var zero = torch.zeros(1, dtype: x.dtype);
        return torch.where(m, x, zero);
    }

    /// <summary>Asserts closeness on valid tokens with the stated tolerance and returns the max abs error there.</summary>
    public double CloseOnValid(string tensor, torch.Tensor actual, torch.Tensor mask)
    {
        using var expected = Tensor(tensor);
        using var e = ValidOnly(expected, mask);
        using var a = ValidOnly(actual.to(torch.float32), mask);
        return TensorAssert.Close(e, a, Tolerance(tensor), tensor, Report);
    }
}
