using System.Globalization;

namespace LtxTrainer.Core.Audio;

/// <summary>
/// Turns one audio file into the model's input: 16 kHz stereo float, exactly
/// <see cref="AudioLatentTiming.SamplesAt16k"/>(duration) samples long, optionally peak-normalised.
/// <para>Order of work, following the official trainer (which cuts <c>round(d·sr)</c> source samples and
/// then resamples): decode + stereo at the file's rate keeping only the bucket's window, check it,
/// resample the window with the torchaudio-exact <see cref="SincResampler"/>, fix the length to the
/// exact 16 kHz sample count (the two roundings can differ by one sample), stretch if allowed, normalise.</para>
/// </summary>
public static class ClipConditioner
{
    /// <summary>Decodes and conditions <paramref name="file"/>. Throws <see cref="AudioDecodeException"/>
    /// when the file is unreadable and <see cref="ClipUnusableException"/> when it must be skipped.</summary>
    public static ConditionedAudio Condition(string file, ClipFitOptions options, string? ffmpegPath, CancellationToken cancellationToken = default,
        TimeSpan? ffmpegStallTimeout = null)
    {
        using var decoder = AudioFormats.Open(file, ffmpegPath, cancellationToken, ffmpegStallTimeout);
        return Condition(decoder, options, cancellationToken, () => AudioFormats.Open(file, ffmpegPath, cancellationToken, ffmpegStallTimeout));
    }

    /// <param name="decoder">The source.</param>
    /// <param name="options">How to fit it.</param>
    /// <param name="cancellationToken">Stops decoding.</param>
    /// <param name="reopen">Opens the source again, for a trailing silence too long for one pass (see <see cref="StereoWindowReader"/>).</param>
    public static ConditionedAudio Condition(IAudioDecoder decoder, ClipFitOptions options, CancellationToken cancellationToken = default,
        Func<IAudioDecoder>? reopen = null)
    {
        long sourceFrames = (long)Math.Round(options.DurationSeconds * decoder.SampleRate, MidpointRounding.ToEven);
        var window = StereoWindowReader.Read(decoder, sourceFrames, options.TrimFrom, cancellationToken, options.TrimSilence, reopen);
        if (window.TotalFrames == 0) throw new ClipUnusableException(ClipSkipKind.Unreadable, "the file holds no audio samples");

        float sourcePeak = PeakLevels.Peak(window.Left, window.Right);
        if (float.IsNaN(sourcePeak))
            throw new ClipUnusableException(ClipSkipKind.NonFinite, "contains NaN or infinite samples");
        // Trimming keeps audible sound in the window unless there is none: that is silence, not shortness.
        if (options.TrimSilence && sourcePeak < PeakLevels.SilenceFloor)
            throw new ClipUnusableException(ClipSkipKind.Silent, SilentMessage(sourcePeak) + " throughout");

        int target = checked((int)AudioLatentTiming.SamplesAt16k(options.DurationSeconds));
        double? stretchRatio = null;
        if (window.AudibleFrames < sourceFrames)
        {
            double seconds = (double)window.AudibleFrames / window.SampleRate;
            double shortBy = 1.0 - seconds / options.DurationSeconds;
            if (options.StretchTolerance <= 0 || shortBy > options.StretchTolerance)
            {
                // A file too short even untrimmed is reported by its own length; trimming is named only when it made the difference.
                bool shortUntrimmed = window.SourceSeconds < options.DurationSeconds
                    && (options.StretchTolerance <= 0 || 1.0 - window.SourceSeconds / options.DurationSeconds > options.StretchTolerance);
                throw new ClipUnusableException(ClipSkipKind.TooShort, shortUntrimmed
                    ? TooShortMessage(window.SourceSeconds, options)
                    : TooShortMessage(seconds, options, window.TrimmedSeconds));
            }
            stretchRatio = options.DurationSeconds / seconds;
        }

        var left = SincResampler.Resample(window.Left, window.SampleRate, AudioLatentTiming.SampleRate);
        // Mono (duplicated) and other identical-channel sources: resampling is the main cost, do it once.
        var right = window.Left.AsSpan().SequenceEqual(window.Right)
            ? (float[])left.Clone()
            : SincResampler.Resample(window.Right, window.SampleRate, AudioLatentTiming.SampleRate);
        cancellationToken.ThrowIfCancellationRequested();
        if (stretchRatio is not null)
        {
            (left, right) = TimeStretch.ToLength(left, right, target, options.PreservePitch, AudioLatentTiming.SampleRate);
        }
        else
        {
            left = FitLength(left, target, options.TrimFrom);
            right = FitLength(right, target, options.TrimFrom);
        }

        float peak = PeakLevels.Peak(left, right);
        if (float.IsNaN(peak))
            throw new ClipUnusableException(ClipSkipKind.NonFinite, "contains NaN or infinite samples");
        if (peak < PeakLevels.SilenceFloor)
            throw new ClipUnusableException(ClipSkipKind.Silent, SilentMessage(peak));
        float gain = 1f;
        if (options.Normalize)
        {
            gain = PeakLevels.TargetPeak / peak;
            for (int i = 0; i < left.Length; i++)
            {
                left[i] *= gain;
                right[i] *= gain;
            }
        }
        return new ConditionedAudio(left, right, window.SampleRate, window.SourceChannels, window.SourceSeconds, peak, gain, stretchRatio,
            window.TrimmedSeconds);
    }

    /// <summary>
    /// The skip reason for a clip shorter than the bucket, e.g. "4.21 s &lt; 5.00 s", saying how much
    /// silence was trimmed when that made it short.
    /// </summary>
    public static string TooShortMessage(double seconds, ClipFitOptions options, double trimmedSeconds = 0)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{seconds:0.00} s < {options.DurationSeconds:0.00} s");
        if (trimmedSeconds >= 0.005)
            text += string.Create(CultureInfo.InvariantCulture, $" after trimming {trimmedSeconds:0.00} s of silence");
        if (options.StretchTolerance > 0)
            text += string.Create(CultureInfo.InvariantCulture, $" (more than the {options.StretchTolerance:P0} stretch tolerance)");
        return text;
    }

    private static string SilentMessage(float peak) =>
        string.Create(CultureInfo.InvariantCulture, $"silent: peak {FormatDbfs(peak)} dBFS < {PeakLevels.SilenceFloorDbfs:0} dBFS");

    private static string FormatDbfs(float peak)
    {
        double db = PeakLevels.ToDbfs(peak);
        return double.IsNegativeInfinity(db) ? "-inf" : db.ToString("0.0", CultureInfo.InvariantCulture);
    }

    // The 16 kHz length from resampling round(d·sr) source samples is ceil(N·16000/sr), at most a sample
    // away from round(d·16000): drop (or zero-fill) on the side that was trimmed anyway.
    private static float[] FitLength(float[] samples, int target, TrimFrom trimFrom)
    {
        if (samples.Length == target) return samples;
        var result = new float[target];
        int n = Math.Min(target, samples.Length);
        if (trimFrom == TrimFrom.End)
            Array.Copy(samples, samples.Length - n, result, target - n, n);
        else
            Array.Copy(samples, 0, result, 0, n);
        return result;
    }
}
