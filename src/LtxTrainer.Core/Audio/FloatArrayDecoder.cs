namespace LtxTrainer.Core.Audio;

/// <summary>
/// Shared reading for decoders whose library fills a float[] (NLayer, NVorbis): keeps whole frames only
/// and turns any library failure on bad data into an <see cref="AudioDecodeException"/> naming the file.
/// </summary>
public abstract class FloatArrayDecoder : IAudioDecoder
{
    private readonly string _file;
    private readonly string _formatName;
    private float[] _scratch = Array.Empty<float>();

    protected FloatArrayDecoder(string file, string formatName)
    {
        _file = file;
        _formatName = formatName;
    }

    public abstract int SampleRate { get; }
    public abstract int Channels { get; }

    /// <summary>The library call: fill <paramref name="buffer"/>[0..count) and return how many samples it wrote.</summary>
    protected abstract int ReadSamples(float[] buffer, int count);

    public int Read(Span<float> buffer)
    {
        int count = buffer.Length / Channels * Channels;
        if (_scratch.Length < count) _scratch = new float[count];
        int got;
        try
        {
            got = ReadSamples(_scratch, count);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new AudioDecodeException(_file, $"{_formatName} data is corrupt ({e.Message})", e);
        }
        got = got / Channels * Channels;
        _scratch.AsSpan(0, got).CopyTo(buffer);
        return got;
    }

    public abstract void Dispose();
}
