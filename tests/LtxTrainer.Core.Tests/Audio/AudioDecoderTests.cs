using LtxTrainer.Core.Audio;
using LtxTrainer.TestData;

namespace LtxTrainer.Core.Tests.Audio;

public sealed class AudioDecoderTests(RealAudioFiles files) : IClassFixture<RealAudioFiles>
{
    private static (float[] Samples, int Rate, int Channels) DecodeAll(IAudioDecoder decoder)
    {
        var all = new List<float>();
        var buffer = new float[4096 * decoder.Channels + 1]; // odd size: decoders must return whole frames
        int n;
        while ((n = decoder.Read(buffer)) > 0)
        {
            Assert.Equal(0, n % decoder.Channels);
            all.AddRange(buffer.AsSpan(0, n).ToArray());
        }
        return (all.ToArray(), decoder.SampleRate, decoder.Channels);
    }

    private static double Rms(float[] x) => Math.Sqrt(x.Sum(v => (double)v * v) / Math.Max(1, x.Length));

    [Theory]
    [InlineData("u8.wav", 2e-7)]
    [InlineData("s16.wav", 2e-7)]
    [InlineData("s24.wav", 2e-7)]
    [InlineData("s32.wav", 2e-7)]
    [InlineData("f32.wav", 0)]
    [InlineData("f64.wav", 0)]
    [InlineData("surround51.wav", 2e-7)]
    [InlineData("mono22k.wav", 2e-7)]
    public void WavDecoderMatchesFfmpegSampleForSample(string name, double tolerance)
    {
        using var decoder = AudioFormats.Open(files[name], ffmpegPath: null);
        Assert.IsType<WavDecoder>(decoder);
        var (samples, rate, channels) = DecodeAll(decoder);
        var expected = FfmpegTool.DecodeF32(files[name], channels);
        Assert.Equal(expected.Length, samples.Length);
        double max = expected.Zip(samples, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(max <= tolerance, $"{name}: max abs diff {max:E3}");
        Assert.Equal(name == "mono22k.wav" ? 22050 : 44100, rate);
    }

    [Fact]
    public void TwentyFourBitFileIsWaveFormatExtensible()
    {
        var header = File.ReadAllBytes(files["s24.wav"]).AsSpan(20, 2);
        Assert.Equal(0xFFFE, header[0] | header[1] << 8);
    }

    [Theory]
    [InlineData("clip.mp3", typeof(Mp3Decoder))]
    [InlineData("clip.ogg", typeof(VorbisDecoder))]
    [InlineData("clip.flac", typeof(FfmpegDecoder))]
    [InlineData("clip.aac", typeof(FfmpegDecoder))]
    [InlineData("clip.m4a", typeof(FfmpegDecoder))]
    public void CompressedFormatsDecodeToTheRecording(string name, Type decoderType)
    {
        using var decoder = AudioFormats.Open(files[name], FfmpegLocator.Find());
        Assert.IsType(decoderType, decoder);
        var (samples, rate, channels) = DecodeAll(decoder);
        Assert.Equal(44100, rate);
        Assert.Equal(2, channels);
        double seconds = samples.Length / 2.0 / rate;
        Assert.InRange(seconds, 2.9, 3.1);
        var reference = FfmpegTool.DecodeF32(files.Source, 2);
        double ratioDb = 20 * Math.Log10(Rms(samples) / Rms(reference));
        Assert.InRange(ratioDb, -0.5, 0.5);
    }

    [Fact]
    public void FlacThroughFfmpegIsLossless()
    {
        using var decoder = AudioFormats.Open(files["clip.flac"], FfmpegLocator.Find());
        var (samples, _, _) = DecodeAll(decoder);
        var expected = FfmpegTool.DecodeF32(files["clip.flac"], 2);
        Assert.Equal(expected, samples);
    }

    [Theory]
    [InlineData("s16.wav")]
    [InlineData("clip.mp3")]
    [InlineData("clip.ogg")]
    [InlineData("clip.flac")]
    [InlineData("clip.m4a")]
    public void GarbageWithAnAudioExtensionIsADecodeErrorOrHoldsNoAudio(string name)
    {
        var path = Path.Combine(files.Folder, "garbage-" + name);
        var random = new Random(7);
        var bytes = new byte[20000];
        random.NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
        try
        {
            var e = Record.Exception(() => ClipConditioner.Condition(path, new ClipFitOptions(1.0), FfmpegLocator.Find()));
            Assert.True(e is AudioDecodeException or ClipUnusableException, $"{name}: {e?.GetType().Name}: {e?.Message}");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void MissingFfmpegIsAClearError()
    {
        var e = Assert.Throws<AudioDecodeException>(() => AudioFormats.Open(files["clip.flac"], ffmpegPath: null));
        Assert.Contains("ffmpeg", e.Message);
        Assert.Contains("apt-get install ffmpeg", e.Message);
    }
}
