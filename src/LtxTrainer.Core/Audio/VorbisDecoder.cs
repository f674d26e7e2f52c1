using NVorbis;

namespace LtxTrainer.Core.Audio;

/// <summary>Ogg Vorbis through the fully managed NVorbis decoder.</summary>
public sealed class VorbisDecoder : FloatArrayDecoder
{
    private readonly VorbisReader _reader;
    private readonly int _sampleRate;
    private readonly int _channels;

    public VorbisDecoder(string file) : base(file, "Ogg Vorbis")
    {
        try
        {
            _reader = new VorbisReader(file);
            _sampleRate = _reader.SampleRate;
            _channels = _reader.Channels;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _reader?.Dispose();
            throw new AudioDecodeException(file, $"not a readable Ogg Vorbis file ({e.Message})", e);
        }
    }

    public override int SampleRate => _sampleRate;
    public override int Channels => _channels;

    protected override int ReadSamples(float[] buffer, int count) => _reader.ReadSamples(buffer, 0, count);

    public override void Dispose() => _reader.Dispose();
}
