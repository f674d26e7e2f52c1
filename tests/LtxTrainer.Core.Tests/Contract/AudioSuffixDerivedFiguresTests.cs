using LtxTrainer.Core.Contract;
using static LtxTrainer.Core.Tests.Contract.RequestBuilder;

namespace LtxTrainer.Core.Tests.Contract;

public sealed class AudioSuffixDerivedFiguresTests
{
    [Fact]
    public void DefaultRequestFigures()
    {
        var derived = Validate().Derived!;
        Assert.Equal(126, derived.LatentStepsPerClip);
        Assert.Equal(25, derived.SuffixSteps);
        Assert.Equal(101, derived.LeadInSteps);
        Assert.Equal(121, derived.PreviewFrames);
        Assert.Equal(126, derived.PreviewSteps);
        Assert.Equal(26, derived.ValidationSuffixSteps);   // 1.0 s encoded on its own (ltx_trainer/validation_runner.py)
        Assert.Equal(100, derived.PreviewLeadInSteps);
        Assert.Equal(2000, derived.BillableUnits);
        Assert.Equal(4.6m, derived.ReferencePriceUsd);
    }

    [Theory]
    [InlineData(100, 100, "0.23")]
    [InlineData(101, 101, "0.2323")]
    [InlineData(20000, 20000, "46")]
    public void BillingIsAtLeast100UnitsAt0Point0023Usd(int steps, int units, string price)
    {
        var derived = Validate(("number_of_steps", steps)).Derived!;
        Assert.Equal(units, derived.BillableUnits);
        Assert.Equal(decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture), derived.ReferencePriceUsd);
    }

    [Fact]
    public void TheMinimumIsStatedAsInTheContract()
        => Assert.Equal(100, Math.Max(AudioSuffixDerivedFigures.MinimumBillableUnits, 1));
}
