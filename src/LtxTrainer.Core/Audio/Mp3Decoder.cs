using NLayer;

namespace LtxTrainer.Core.Audio;

/// <summary>MP3 (MPEG-1/2 layer I-III) through the fully managed NLayer decoder.</summary>
public sealed class Mp3Decoder : FloatArrayDecoder
{
    private readonly MpegFile _mpeg;
    private readonly int _sampleRate;
    private readonly int _channels;

    public Mp3Decoder(string file) : base(file, "MP3")
    {
        try
        {
            _mpeg = new MpegFile(file);
            _sampleRate = _mpeg.SampleRate;
            _channels = _mpeg.Channels;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _mpeg?.Dispose();
            throw new AudioDecodeException(file, $"not a readable MP3 file ({e.Message})", e);
        }
        if (_sampleRate <= 0 || _channels <= 0)
        {
            _mpeg.Dispose();
            throw new AudioDecodeException(file, "no MPEG audio frames found");
        }
    }

    public override int SampleRate => _sampleRate;
    public override int Channels => _channels;

    protected override int ReadSamples(float[] buffer, int count) => _mpeg.ReadSamples(buffer, 0, count);

    public override void Dispose() => _mpeg.Dispose();
}
