using LtxTrainer.Core.Audio;

namespace LtxTrainer.Core.Sampling;

/// <summary>A closing clip that cannot lead a generation: shorter than the conditioning seconds, silent, or not finite.</summary>
public sealed class ClosingClipException : Exception
{
    public ClosingClipException(string source, double seconds, ClipUnusableException reason)
        : base($"Closing clip '{source}' cannot be used: {reason.Message}" +
               (reason.Kind == ClipSkipKind.TooShort
                   ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $" (it must last at least the {seconds:0.###} conditioning seconds).")
                   : "."), reason)
    {
        Source = source;
        Kind = reason.Kind;
    }

    /// <summary>The clip's path or description.</summary>
    public new string Source { get; }

    /// <summary>Why it cannot be used.</summary>
    public ClipSkipKind Kind { get; }
}
