namespace LtxTrainer.Core.Audio;

/// <summary>
/// A forward-only source of interleaved float samples in [-1, 1] (nominally). Decoders stream: a caller
/// that needs only part of a long file never makes the decoder hold the whole of it.
/// </summary>
public interface IAudioDecoder : IDisposable
{
    int SampleRate { get; }
    int Channels { get; }

    /// <summary>
    /// Fills <paramref name="buffer"/> with whole interleaved frames; returns the number of samples written
    /// (a multiple of <see cref="Channels"/>), 0 at the end of the stream.
    /// Throws <see cref="AudioDecodeException"/> when the data is corrupt.
    /// </summary>
    int Read(Span<float> buffer);
}
