using LtxTrainer.Core.Audio;
using LtxTrainer.Core.Tests.Ingest;
using LtxTrainer.TestData;

namespace LtxTrainer.Core.Tests.Audio;

public sealed class AudioFileSignatureTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Real(string name, params string[] args) => FfmpegTool.Convert(RealAudio.Flac("loop_tabla"), _temp.Input(name), args);

    [Theory]
    [InlineData("real.flac", "-c:a", "flac")]
    [InlineData("real.mp3", "-c:a", "libmp3lame")]
    [InlineData("tagged.mp3", "-c:a", "libmp3lame", "-id3v2_version", "3", "-metadata", "title=x")]
    [InlineData("real.ogg", "-c:a", "libvorbis")]
    [InlineData("real.m4a", "-c:a", "aac")]
    [InlineData("real.aac", "-c:a", "aac")]
    [InlineData("real.wav", "-c:a", "pcm_s16le")]
    [InlineData("real.aiff", "-c:a", "pcm_s16be")]
    public void FilesOfTheFormatTheirNameSaysPass(string name, params string[] args)
    {
        Assert.Null(AudioFileSignature.Mismatch(Real(name, args)));
    }

    [Fact]
    public void RandomBytesNamedFlacAreNotDecodedAsSomethingElse()
    {
        var bytes = new byte[40000];
        new Random(7).NextBytes(bytes);
        var path = _temp.Input("noise.flac");
        File.WriteAllBytes(path, bytes);
        Assert.StartsWith("not a FLAC file", AudioFileSignature.Mismatch(path));
        var e = Assert.Throws<AudioDecodeException>(() => AudioFormats.Open(path, FfmpegLocator.Find(null)));
        Assert.Contains("not a FLAC file", e.Message);
    }

    [Theory]
    [InlineData("libmp3lame", "mp3", "song.flac", "FLAC")]
    [InlineData("flac", "flac", "song.m4a", "M4A")]
    [InlineData("aac", "adts", "song.mp3", "MP3")]
    [InlineData("pcm_s16le", "wav", "song.ogg", "Ogg")]
    public void ARealFileUnderAnotherFormatsNameIsRefused(string codec, string container, string name, string claimed)
    {
        var real = FfmpegTool.Convert(RealAudio.Flac("loop_tabla"), _temp.Input("source." + container), "-c:a", codec, "-f", container);
        var mislabeled = _temp.Input(name);
        File.Copy(real, mislabeled);
        Assert.StartsWith($"not a {claimed} file", AudioFileSignature.Mismatch(mislabeled));
    }

    [Fact]
    public void FfmpegIsToldTheFormatTheNameSays()
    {
        // Even past the signature check (an ID3 tag in front of an MP3 stream named .flac), ffmpeg must not guess.
        var mp3 = FfmpegTool.Convert(RealAudio.Flac("loop_tabla"), _temp.Input("x.mp3"), "-c:a", "libmp3lame");
        var path = _temp.Input("tagged.flac");
        File.WriteAllBytes(path, "fLaC"u8.ToArray().Concat(File.ReadAllBytes(mp3)).ToArray());
        Assert.ThrowsAny<AudioDecodeException>(() =>
        {
            using var decoder = AudioFormats.Open(path, FfmpegLocator.Find(null));
            var buffer = new float[4096];
            while (decoder.Read(buffer) > 0) { }
        });
    }
}
