namespace LtxTrainer.Core.Contract;

/// <summary>Something in an accepted request that has no effect or looks unintended (e.g. an unknown field).</summary>
public sealed record ConfigFieldWarning(string Field, string Message)
{
    public override string ToString() => Message;
}
