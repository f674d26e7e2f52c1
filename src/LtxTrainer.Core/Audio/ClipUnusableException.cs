namespace LtxTrainer.Core.Audio;

/// <summary>A clip decoded fine but cannot be used (too short, silent, non-finite samples).</summary>
public sealed class ClipUnusableException : Exception
{
    public ClipUnusableException(ClipSkipKind kind, string reason) : base(reason)
    {
        Kind = kind;
    }

    public ClipSkipKind Kind { get; }
}
