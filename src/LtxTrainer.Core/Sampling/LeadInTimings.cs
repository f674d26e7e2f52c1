namespace LtxTrainer.Core.Sampling;

/// <summary>Wall-clock seconds of each phase of one generation (0 for a phase that had nothing to do, e.g. prompts already encoded).</summary>
public sealed record LeadInTimings(double Prompts, double Suffix, double Loras, double Denoising, double Decoding)
{
    public double Total => Prompts + Suffix + Loras + Denoising + Decoding;
}
