using System.Diagnostics;
using System.Text;
using LtxTrainer.Core.Audio;
using LtxTrainer.TestData;

namespace LtxTrainer.Core.Tests.Audio;

/// <summary>
/// A hung or cancelled ffmpeg must never hold a worker: stand-in "ffmpeg" scripts that stop producing
/// output show the watchdog and the cancellation kill; the real ffmpeg shows that a slow reader is not
/// mistaken for a hang.
/// </summary>
public sealed class FfmpegDecoderTests(RealAudioFiles files) : IClassFixture<RealAudioFiles>, IDisposable
{
    private static readonly TimeSpan ShortStall = TimeSpan.FromMilliseconds(500);
    private readonly string _dir = Directory.CreateTempSubdirectory("ltxt-fakeffmpeg-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // A shell script standing in for ffmpeg: prints `prefix` (if any), closes its output when asked, then
    // sleeps far longer than any test.
    private string HangingFfmpeg(byte[]? prefix = null, bool closeOutput = false)
    {
        var script = Path.Combine(_dir, "ffmpeg");
        var body = "#!/bin/sh\n";
        if (prefix is not null)
        {
            File.WriteAllBytes(Path.Combine(_dir, "prefix.bin"), prefix);
            body += $"cat '{Path.Combine(_dir, "prefix.bin")}'\n";
        }
        if (closeOutput) body += "exec >&-\n";
        File.WriteAllText(script, body + "exec sleep 60\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return script;
    }

    // The streamed WAV ffmpeg writes to a pipe: RIFF/fmt/data headers, then `frames` stereo float frames.
    private static byte[] StreamedWav(int frames)
    {
        var ms = new MemoryStream();
        var w = new BinaryWriter(ms, Encoding.ASCII);
        w.Write("RIFF"u8); w.Write(uint.MaxValue); w.Write("WAVE"u8);
        w.Write("fmt "u8); w.Write(16); w.Write((short)3); w.Write((short)2); w.Write(44100); w.Write(44100 * 8); w.Write((short)8); w.Write((short)32);
        w.Write("data"u8); w.Write(uint.MaxValue);
        for (int i = 0; i < 2 * frames; i++) w.Write(0.25f);
        return ms.ToArray();
    }

    [Fact]
    public void AnFfmpegThatNeverAnswersIsStoppedAndTheFileFailsWithThatReason()
    {
        var clock = Stopwatch.StartNew();
        var e = Assert.Throws<AudioDecodeException>(() => new FfmpegDecoder("clip.flac", HangingFfmpeg(), default, ShortStall));
        Assert.Contains("no progress for 0.5 s", e.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
    }

    [Fact]
    public void AnFfmpegThatHangsMidStreamIsStoppedAfterTheSamplesItGave()
    {
        using var decoder = new FfmpegDecoder("clip.flac", HangingFfmpeg(StreamedWav(1000)), default, ShortStall);
        Assert.Equal((44100, 2), (decoder.SampleRate, decoder.Channels));
        var buffer = new float[8192];
        int received = 0;
        var e = Assert.Throws<AudioDecodeException>(() =>
        {
            int n;
            while ((n = decoder.Read(buffer)) > 0) received += n;
        });
        Assert.Equal(2000, received);
        Assert.Contains("no progress for 0.5 s", e.Message);
    }

    [Fact]
    public void AnFfmpegThatCannotBeStartedIsADecodeErrorNamingIt()
    {
        var notExecutable = Path.Combine(_dir, "ffmpeg-text");
        File.WriteAllText(notExecutable, "not a program");
        var e = Assert.Throws<AudioDecodeException>(() => new FfmpegDecoder("clip.flac", notExecutable));
        Assert.Contains("could not start ffmpeg at " + notExecutable, e.Message);
    }

    [Fact]
    public void AnFfmpegThatDoesNotExitAfterItsOutputIsStopped()
    {
        using var decoder = new FfmpegDecoder("clip.flac", HangingFfmpeg(StreamedWav(10), closeOutput: true), default, ShortStall);
        Assert.Equal(20, decoder.Read(new float[64]));
        var clock = Stopwatch.StartNew();
        var e = Assert.Throws<AudioDecodeException>(() => decoder.Read(new float[64]));
        Assert.Contains("no progress for 0.5 s", e.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
    }

    [Fact]
    public void CancellingStopsAWaitingFfmpegAsACancellationNotAsABadFile()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = Stopwatch.StartNew();
        Assert.ThrowsAny<OperationCanceledException>(() => new FfmpegDecoder("clip.flac", HangingFfmpeg(), cancel.Token, TimeSpan.FromSeconds(30)));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");

        using var midStream = new CancellationTokenSource();
        using var decoder = new FfmpegDecoder("clip.flac", HangingFfmpeg(StreamedWav(10)), midStream.Token, TimeSpan.FromSeconds(30));
        Assert.Equal(20, decoder.Read(new float[64]));
        midStream.CancelAfter(300);
        Assert.ThrowsAny<OperationCanceledException>(() => decoder.Read(new float[64]));
    }

    [Fact]
    public void AReaderSlowerThanTheStallTimeoutIsNotTakenForAHang()
    {
        // 3 s of stereo float is ~1 MB, far over a pipe's buffer: ffmpeg blocks while this reader sleeps.
        // A real ffmpeg must start and write its header within the stall timeout, which on a loaded machine
        // takes longer than the stand-ins' ShortStall: this test allows it 2 s, and sleeps three times that.
        var stall = TimeSpan.FromSeconds(2);
        using var decoder = new FfmpegDecoder(files["clip.flac"], FfmpegLocator.Find()!, default, stall);
        var buffer = new float[4096];
        long total = decoder.Read(buffer);
        Thread.Sleep(3 * stall);
        int n;
        while ((n = decoder.Read(buffer)) > 0) total += n;
        Assert.Equal(FfmpegTool.DecodeF32(files["clip.flac"], 2).Length, total);
    }
}
