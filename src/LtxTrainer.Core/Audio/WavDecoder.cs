using NAudio.Wave;

namespace LtxTrainer.Core.Audio;

/// <summary>
/// WAV through NAudio's <see cref="WaveFileReader"/> (RIFF parsing, chunk walking, EXTENSIBLE headers);
/// the sample conversion is done here because NAudio's sample providers do not cover 64-bit float or
/// EXTENSIBLE float. Supports PCM 8 (unsigned), 16, 24, 32-bit and IEEE float 32/64-bit.
/// </summary>
public sealed class WavDecoder : IAudioDecoder
{
    private static readonly Guid PcmSubFormat = new("00000001-0000-0010-8000-00aa00389b71");
    private static readonly Guid FloatSubFormat = new("00000003-0000-0010-8000-00aa00389b71");

    private readonly WaveFileReader _reader;
    private readonly string _file;
    private readonly bool _isFloat;
    private readonly int _bytesPerSample;
    private byte[] _bytes = Array.Empty<byte>();

    public WavDecoder(string file)
    {
        _file = file;
        try
        {
            _reader = new WaveFileReader(file);
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or EndOfStreamException or ArgumentException or IOException)
        {
            throw new AudioDecodeException(file, $"not a readable WAV file ({e.Message})", e);
        }
        var format = _reader.WaveFormat;
        (_isFloat, _bytesPerSample) = Classify(format);
        if (format.Channels < 1) throw Fail("the header declares no channels");
        if (format.SampleRate < 1000 || format.SampleRate > 768000) throw Fail($"implausible sample rate {format.SampleRate} Hz");
        SampleRate = format.SampleRate;
        Channels = format.Channels;
    }

    public int SampleRate { get; }
    public int Channels { get; }

    private (bool isFloat, int bytes) Classify(WaveFormat format)
    {
        var encoding = format.Encoding;
        if (encoding == WaveFormatEncoding.Extensible)
        {
            var subFormat = SubFormatOf(format);
            if (subFormat == PcmSubFormat) encoding = WaveFormatEncoding.Pcm;
            else if (subFormat == FloatSubFormat) encoding = WaveFormatEncoding.IeeeFloat;
            else throw Fail($"unsupported WAVE_FORMAT_EXTENSIBLE sub-format {subFormat?.ToString() ?? "(missing)"}");
        }
        int bits = format.BitsPerSample;
        return encoding switch
        {
            WaveFormatEncoding.Pcm when bits is 8 or 16 or 24 or 32 => (false, bits / 8),
            WaveFormatEncoding.IeeeFloat when bits is 32 or 64 => (true, bits / 8),
            _ => throw Fail($"unsupported WAV encoding {encoding} with {bits} bits"),
        };
    }

    // NAudio parses an extensible fmt chunk into WaveFormatExtraData (cbSize bytes after the base
    // header): valid bits (2), channel mask (4), then the sub-format GUID (16).
    private static Guid? SubFormatOf(WaveFormat format) => format switch
    {
        WaveFormatExtensible ext => ext.SubFormat,
        WaveFormatExtraData extra when extra.ExtraData.Length >= 22 => new Guid(extra.ExtraData.AsSpan(6, 16)),
        _ => null,
    };

    private AudioDecodeException Fail(string reason)
    {
        _reader.Dispose();
        return new AudioDecodeException(_file, reason);
    }

    public int Read(Span<float> buffer)
    {
        int frames = buffer.Length / Channels;
        if (frames == 0) return 0;
        int wanted = frames * Channels * _bytesPerSample;
        if (_bytes.Length < wanted) _bytes = new byte[wanted];
        int got;
        try
        {
            got = _reader.Read(_bytes, 0, wanted);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            throw new AudioDecodeException(_file, $"read failed ({e.Message})", e);
        }
        // A truncated data chunk can end mid-frame: whole frames only.
        int samples = got / _bytesPerSample / Channels * Channels;
        Convert(_bytes.AsSpan(0, samples * _bytesPerSample), buffer[..samples]);
        return samples;
    }

    private void Convert(ReadOnlySpan<byte> src, Span<float> dst)
    {
        switch (_isFloat, _bytesPerSample)
        {
            case (true, 4):
                System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(src).CopyTo(dst);
                break;
            case (true, 8):
                var doubles = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, double>(src);
                for (int i = 0; i < dst.Length; i++) dst[i] = (float)doubles[i];
                break;
            case (false, 1):
                for (int i = 0; i < dst.Length; i++) dst[i] = (src[i] - 128) / 128f;
                break;
            case (false, 2):
                var shorts = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, short>(src);
                for (int i = 0; i < dst.Length; i++) dst[i] = shorts[i] / 32768f;
                break;
            case (false, 3):
                for (int i = 0, b = 0; i < dst.Length; i++, b += 3)
                    dst[i] = ((src[b] << 8 | src[b + 1] << 16 | src[b + 2] << 24) >> 8) / 8388608f;
                break;
            default:
                var ints = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(src);
                for (int i = 0; i < dst.Length; i++) dst[i] = ints[i] / 2147483648f;
                break;
        }
    }

    public void Dispose() => _reader.Dispose();
}
