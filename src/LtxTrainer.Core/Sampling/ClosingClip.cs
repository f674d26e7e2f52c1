using LtxTrainer.Core.Audio;

namespace LtxTrainer.Core.Sampling;

/// <summary>
/// The closing seconds of a clip that a lead-in is generated into: the last round(d·sr) samples at the file's
/// rate, made stereo and resampled to 16 kHz exactly as the training clips are (ltx-trainer's
/// <c>validation_runner.py</c> loads the file, keeps the last <c>duration</c> seconds and encodes them on their
/// own). Not normalised: validation feeds the clip as recorded. Preparing it reads only the audio, so a bad clip
/// (unreadable, shorter than the seconds asked for, silent) is refused before any model is loaded.
/// Trailing silence (relative to the clip's own peak, <see cref="SilenceTrim"/>) is dropped before the closing
/// seconds are cut, by the same rule as the training clips: a recording that fades out would otherwise hand the
/// model a silent suffix to lead into.
/// </summary>
public sealed class ClosingClip
{
    private ClosingClip(float[] left, float[] right, double seconds, string source, double sourceSeconds, double trimmedSilenceSeconds)
    {
        TrimmedSilenceSeconds = trimmedSilenceSeconds;
        Left = left;
        Right = right;
        Seconds = seconds;
        Source = source;
        SourceSeconds = sourceSeconds;
    }

    /// <summary>Left channel at 16 kHz, exactly round(<see cref="Seconds"/>·16000) samples.</summary>
    public float[] Left { get; }

    /// <summary>Right channel at 16 kHz.</summary>
    public float[] Right { get; }

    /// <summary>The conditioning seconds this clip was cut to.</summary>
    public double Seconds { get; }

    /// <summary>Where the audio came from (a path, or a caller's description), for messages.</summary>
    public string Source { get; }

    /// <summary>Length of the whole source in seconds.</summary>
    public double SourceSeconds { get; }

    /// <summary>Seconds of trailing silence dropped before the closing seconds were cut (0 when trimming is off).</summary>
    public double TrimmedSilenceSeconds { get; }

    /// <summary>Sample rate of <see cref="Left"/> and <see cref="Right"/>.</summary>
    public int SampleRate => AudioLatentTiming.SampleRate;

    /// <summary>Latent tokens the audio VAE makes of this clip on its own: floor(floor(N16/160)/4) + 1.</summary>
    public long Tokens => AudioLatentTiming.EncodedSteps(Left.Length);

    /// <summary>Reads the closing <paramref name="seconds"/> of an audio file (any format the module decodes).</summary>
    /// <exception cref="AudioDecodeException">The file cannot be decoded.</exception>
    /// <exception cref="ClosingClipException">The file is shorter than <paramref name="seconds"/>, silent or not finite.</exception>
    public static ClosingClip FromFile(string path, double seconds, string? ffmpegPath = null, CancellationToken cancellationToken = default,
        bool trimSilence = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var decoder = AudioFormats.Open(path, ffmpegPath, cancellationToken);
        return FromDecoder(decoder, seconds, path, cancellationToken, trimSilence);
    }

    /// <summary>The closing <paramref name="seconds"/> of audio in memory (one array per channel, any rate).</summary>
    public static ClosingClip FromSamples(IReadOnlyList<float[]> channels, int sampleRate, double seconds, string source = "audio samples",
        bool trimSilence = true)
    {
        using var decoder = new SampleArrayDecoder(channels, sampleRate);
        return FromDecoder(decoder, seconds, source, trimSilence: trimSilence);
    }

    /// <summary>
    /// The closing <paramref name="seconds"/> of any decoder's stream, after its trailing silence unless
    /// <paramref name="trimSilence"/> is false.
    /// </summary>
    public static ClosingClip FromDecoder(IAudioDecoder decoder, double seconds, string source, CancellationToken cancellationToken = default,
        bool trimSilence = true)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        if (!double.IsFinite(seconds) || seconds <= 0)
            throw new ArgumentOutOfRangeException(nameof(seconds), seconds, "The conditioning seconds must be a positive number.");
        try
        {
            var fitted = ClipConditioner.Condition(decoder, new ClipFitOptions(seconds, TrimFrom.End, StretchTolerance: 0, Normalize: false,
                TrimSilence: trimSilence), cancellationToken);
            return new ClosingClip(fitted.Left, fitted.Right, seconds, source, fitted.SourceSeconds, fitted.TrimmedSilenceSeconds);
        }
        catch (ClipUnusableException e)
        {
            throw new ClosingClipException(source, seconds, e);
        }
    }
}
