namespace LtxTrainer.Core.Tests.Golden;

/// <summary>Elementwise |actual − expected| ≤ <see cref="Atol"/> + <see cref="Rtol"/>·|expected|.</summary>
public readonly record struct GoldenTolerance(double Atol, double Rtol = 0);
