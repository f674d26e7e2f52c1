namespace LtxTrainer.Core.Audio;

/// <summary>
/// Shared opening and reading for decoders whose library fills a float[] (NLayer, NVorbis): checks the
/// stream has a usable format, keeps whole frames only, and turns any library failure on bad data into an
/// <see cref="AudioDecodeException"/> naming the file.
/// </summary>
/// <typeparam name="TReader">The library's reader; disposed with the decoder.</typeparam>
public abstract class FloatArrayDecoder<TReader> : IAudioDecoder where TReader : class, IDisposable
{
    private readonly string _file;
    private readonly string _formatName;
    private float[] _scratch = Array.Empty<float>();

    /// <param name="file">The file to decode.</param>
    /// <param name="formatName">Format as named in error messages.</param>
    /// <param name="open">Opens the library reader on the file.</param>
    /// <param name="format">Reads the sample rate and channel count from the opened reader.</param>
    protected FloatArrayDecoder(string file, string formatName, Func<string, TReader> open, Func<TReader, (int SampleRate, int Channels)> format)
    {
        _file = file;
        _formatName = formatName;
        TReader? reader = null;
        try
        {
            reader = open(file);
            (SampleRate, Channels) = format(reader);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            reader?.Dispose();
            throw new AudioDecodeException(file, $"not a readable {formatName} file ({e.Message})", e);
        }
        Reader = reader;
        if (SampleRate <= 0 || Channels <= 0)
        {
            Reader.Dispose();
            throw new AudioDecodeException(file, $"no {formatName} audio found");
        }
    }

    protected TReader Reader { get; }
    public int SampleRate { get; }
    public int Channels { get; }

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

    public void Dispose() => Reader.Dispose();
}
