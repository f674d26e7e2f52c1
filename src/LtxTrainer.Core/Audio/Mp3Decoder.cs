using NLayer;

namespace LtxTrainer.Core.Audio;

/// <summary>MP3 (MPEG-1/2 layer I-III) through the fully managed NLayer decoder.</summary>
public sealed class Mp3Decoder : IAudioDecoder
{
    private readonly MpegFile _mpeg;
    private readonly string _file;
    private float[] _scratch = Array.Empty<float>();

    public Mp3Decoder(string file)
    {
        _file = file;
        try
        {
            _mpeg = new MpegFile(file);
            SampleRate = _mpeg.SampleRate;
            Channels = _mpeg.Channels;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _mpeg?.Dispose();
            throw new AudioDecodeException(file, $"not a readable MP3 file ({e.Message})", e);
        }
        if (SampleRate <= 0 || Channels <= 0)
        {
            _mpeg.Dispose();
            throw new AudioDecodeException(file, "no MPEG audio frames found");
        }
    }

    public int SampleRate { get; }
    public int Channels { get; }

    public int Read(Span<float> buffer)
    {
        int count = buffer.Length / Channels * Channels;
        if (_scratch.Length < count) _scratch = new float[count];
        int got;
        try
        {
            got = _mpeg.ReadSamples(_scratch, 0, count);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new AudioDecodeException(_file, $"MP3 data is corrupt ({e.Message})", e);
        }
        got = got / Channels * Channels;
        _scratch.AsSpan(0, got).CopyTo(buffer);
        return got;
    }

    public void Dispose() => _mpeg.Dispose();
}
