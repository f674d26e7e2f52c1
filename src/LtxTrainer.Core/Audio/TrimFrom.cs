namespace LtxTrainer.Core.Audio;

/// <summary>
/// Which part of a clip longer than the bucket is kept. The backward-extension mode learns to lead INTO
/// a clip's closing, so <see cref="End"/> (keep the last seconds) is the default.
/// </summary>
public enum TrimFrom
{
    /// <summary>Keep the end of the clip (drop its beginning).</summary>
    End = 0,

    /// <summary>Keep the start of the clip (drop its end).</summary>
    Start = 1,
}
