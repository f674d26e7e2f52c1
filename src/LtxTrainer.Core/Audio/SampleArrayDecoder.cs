namespace LtxTrainer.Core.Audio;

/// <summary>
/// Audio already in memory (one float array per channel) read through the decoder interface, so samples
/// take exactly the path a file would (stereo handling, windowing, resampling).
/// </summary>
public sealed class SampleArrayDecoder : IAudioDecoder
{
    private readonly IReadOnlyList<float[]> _channels;
    private int _position;

    public SampleArrayDecoder(IReadOnlyList<float[]> channels, int sampleRate)
    {
        ArgumentNullException.ThrowIfNull(channels);
        if (channels.Count == 0) throw new ArgumentException("At least one channel is needed.", nameof(channels));
        if (channels.Any(c => c.Length != channels[0].Length)) throw new ArgumentException("All channels must have the same length.", nameof(channels));
        if (sampleRate <= 0) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "The sample rate must be positive.");
        _channels = channels;
        SampleRate = sampleRate;
    }

    public int SampleRate { get; }

    public int Channels => _channels.Count;

    public int Read(Span<float> buffer)
    {
        int frames = Math.Min(buffer.Length / Channels, _channels[0].Length - _position);
        for (int f = 0; f < frames; f++)
            for (int c = 0; c < Channels; c++)
                buffer[f * Channels + c] = _channels[c][_position + f];
        _position += frames;
        return frames * Channels;
    }

    public void Dispose()
    {
    }
}
