namespace LtxTrainer.Core.Sampling;

/// <summary>A lead-in request that cannot be generated (a setting out of range, a length with no lead-in, a missing LoRA file).</summary>
public sealed class LeadInRequestException : ArgumentException
{
    public LeadInRequestException(string setting, string message) : base(message, setting)
    {
        Setting = setting;
    }

    /// <summary>The request property at fault.</summary>
    public string Setting { get; }
}
