namespace LtxTrainer.Core.Dataset;

/// <summary>Not a single clip could be kept; <see cref="Skipped"/> says why for each one.</summary>
public sealed class NoUsableClipsException : Exception
{
    public NoUsableClipsException(string source, IReadOnlyList<SkippedClip> skipped)
        : base(skipped.Count == 0
            ? $"{source}: the archive holds no audio clips (supported: .wav .mp3 .ogg .flac .aac .m4a)"
            : $"{source}: no usable clip; skipped: " + string.Join("; ", skipped.Select(s => $"{s.SourceEntry}: {s.Reason}")))
    {
        Skipped = skipped;
    }

    public IReadOnlyList<SkippedClip> Skipped { get; }
}
