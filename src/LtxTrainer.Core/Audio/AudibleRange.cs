namespace LtxTrainer.Core.Audio;

/// <summary>Where the sound of a clip is: frames [<see cref="Start"/>, <see cref="End"/>) of the clip.</summary>
/// <param name="Start">First frame at or above the silence threshold.</param>
/// <param name="End">One past the last frame at or above the silence threshold.</param>
/// <param name="Peak">The clip's peak (largest absolute sample over both channels; NaN when a sample is not finite).</param>
public readonly record struct AudibleRange(long Start, long End, float Peak)
{
    public long Length => End - Start;
}
