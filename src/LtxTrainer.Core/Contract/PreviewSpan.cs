namespace LtxTrainer.Core.Contract;

/// <summary>
/// The length of a validation preview. Upstream sizes validation audio from a video frame count and
/// frame rate (ltx_trainer/validation_runner.py): frames must be 8k+1 and the product caps them at 121.
/// Decision (upstream does not fix how a duration becomes frames): the smallest 8k+1 frame count that
/// covers the clip duration (frames ≥ duration·fps), at least 9 and at most 121. Covering rather than
/// flooring keeps the preview at least as long as a training clip while the cap allows (e.g. 5 s at
/// 24 fps → 121 frames → 5.0417 s → 126 steps, the clip's own 126 steps).
/// </summary>
public static class PreviewSpan
{
    public const int MinimumFrames = 9;
    public const int MaximumFrames = 121;
    public const int FrameStep = 8;

    /// <summary>Preview frames for a clip of <paramref name="durationSeconds"/> at <paramref name="frameRate"/> fps.</summary>
    public static int Frames(double durationSeconds, int frameRate)
    {
        if (!double.IsFinite(durationSeconds) || durationSeconds <= 0) throw new ArgumentOutOfRangeException(nameof(durationSeconds));
        if (frameRate <= 0) throw new ArgumentOutOfRangeException(nameof(frameRate));
        // decimal: a request's 0.1-second steps times an integer rate must not land a hair above an
        // exact 8k+1 (e.g. 0.7·24 is 16.799999999999997 in binary floating point, 16.8 here).
        decimal frames = (decimal)durationSeconds * frameRate;
        decimal k = Math.Ceiling((frames - 1) / FrameStep);
        int kMin = (MinimumFrames - 1) / FrameStep, kMax = (MaximumFrames - 1) / FrameStep;
        int kClamped = k < kMin ? kMin : k > kMax ? kMax : (int)k;
        return FrameStep * kClamped + 1;
    }

    /// <summary>Seconds of <paramref name="frames"/> at <paramref name="frameRate"/> fps (float64, as upstream).</summary>
    public static double Seconds(int frames, int frameRate) => (double)frames / frameRate;

    /// <summary>The longest preview, in seconds, at <paramref name="frameRate"/> fps: 121 / fps.</summary>
    public static double MaximumSeconds(int frameRate) => Seconds(MaximumFrames, frameRate);
}
