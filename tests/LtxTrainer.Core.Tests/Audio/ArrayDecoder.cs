using LtxTrainer.Core.Audio;

namespace LtxTrainer.Core.Tests.Audio;

/// <summary>An in-memory decoder that counts how much was read (to prove early stops).</summary>
internal sealed class ArrayDecoder(float[] interleaved, int sampleRate, int channels) : IAudioDecoder
{
    private int _position;

    public int SampleRate { get; } = sampleRate;
    public int Channels { get; } = channels;
    public long SamplesRead => _position;

    public int Read(Span<float> buffer)
    {
        int n = Math.Min(buffer.Length / Channels * Channels, interleaved.Length - _position);
        interleaved.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public void Dispose()
    {
    }
}
