using LtxTrainer.Core.Audio;

namespace LtxTrainer.Core.Dataset;

/// <summary>Not a single clip could be kept; <see cref="Skipped"/> says why for each one, and the message how to fix it.</summary>
public sealed class NoUsableClipsException : Exception
{
    public NoUsableClipsException(string source, IReadOnlyList<SkippedClip> skipped)
        : base(skipped.Count == 0
            ? $"{source}: the archive holds no audio clips (supported: .wav .mp3 .ogg .flac .aac .m4a)"
            : $"{source}: no usable clip; skipped: " + string.Join("; ", skipped.Select(s => $"{s.SourceEntry}: {s.Reason}")) + Advice(skipped))
    {
        Skipped = skipped;
    }

    public IReadOnlyList<SkippedClip> Skipped { get; }

    // Clips too short for the bucket are the one cause the user fixes with a setting rather than new audio.
    private static string Advice(IReadOnlyList<SkippedClip> skipped) =>
        skipped.Any(s => s.Kind == ClipSkipKind.TooShort)
            ? ". To keep the short clips, use a shorter -AudioDurationSeconds (audio_duration_seconds), or let clips a little " +
              "short be stretched to fit with -StretchTolerance (e.g. 0.1 for 10 %)."
            : "";
}
