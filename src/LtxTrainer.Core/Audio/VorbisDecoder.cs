using NVorbis;

namespace LtxTrainer.Core.Audio;

/// <summary>Ogg Vorbis through the fully managed NVorbis decoder.</summary>
public sealed class VorbisDecoder : IAudioDecoder
{
    private readonly VorbisReader _reader;
    private readonly string _file;
    private float[] _scratch = Array.Empty<float>();

    public VorbisDecoder(string file)
    {
        _file = file;
        try
        {
            _reader = new VorbisReader(file);
            SampleRate = _reader.SampleRate;
            Channels = _reader.Channels;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _reader?.Dispose();
            throw new AudioDecodeException(file, $"not a readable Ogg Vorbis file ({e.Message})", e);
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
            got = _reader.ReadSamples(_scratch, 0, count);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new AudioDecodeException(_file, $"Ogg Vorbis data is corrupt ({e.Message})", e);
        }
        got = got / Channels * Channels;
        _scratch.AsSpan(0, got).CopyTo(buffer);
        return got;
    }

    public void Dispose() => _reader.Dispose();
}
