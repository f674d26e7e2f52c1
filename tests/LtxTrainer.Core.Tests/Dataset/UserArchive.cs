using System.Text;
using LtxTrainer.TestData;

namespace LtxTrainer.Core.Tests.Dataset;

/// <summary>
/// A dataset archive the way users make them, from real recordings converted into every format: nested
/// folders, Mac litter, captions in several encodings (and missing or empty ones), plus clips that must be
/// skipped (too short, silent, NaN, corrupt, truncated, zero bytes). Built once per test class.
/// </summary>
public sealed class UserArchive : IDisposable
{
    public const double Duration = 2.0;
    public const double Conditioning = 0.5;

    public UserArchive()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        Folder = Directory.CreateTempSubdirectory("ltxt-archive-").FullName;
        string Convert(string source, string name, params string[] args) => FfmpegTool.Convert(source, Path.Combine(Folder, name), args);

        var tabla = Convert(RealAudio.Flac("loop_tabla"), "tabla.flac", "-c:a", "flac");
        var beat = Convert(RealAudio.Flac("arovane_beat_a"), "beat_a.mp3", "-c:a", "libmp3lame", "-b:a", "160k");
        var guitar = Convert(RealAudio.Flac("guit_em9"), "guitar.ogg", "-c:a", "libvorbis");
        var hum = Convert(RealAudio.Flac("ambi_glass_hum"), "hum.m4a", "-c:a", "aac");
        var safari = Convert(RealAudio.Flac("loop_safari"), "safari.aac", "-c:a", "aac");
        var boom = Convert(RealAudio.Flac("misc_cineboom"), "boom.wav", "-c:a", "pcm_s24le");
        var surround = Convert(RealAudio.Flac("loop_mika"), "surround.wav", "-af", "pan=5.1|FL=c0|FR=c1|FC=0.5*c0+0.5*c1|LFE=0*c0|BL=c0|BR=c1", "-c:a", "pcm_f32le");
        var truncated = File.ReadAllBytes(Convert(RealAudio.Flac("loop_garzul"), "garzul.flac", "-c:a", "flac"))[..3000];
        var nan = WavBytes.Sine(220, 3, 22050);
        nan[^100] = float.NaN;
        var corrupt = new byte[30000];
        new Random(3).NextBytes(corrupt);

        ZipPath = new ZipBuilder()
            .Folder("My Samples/")
            .File("My Samples/Loops/tabla.flac", tabla).Bytes("My Samples/Loops/tabla.txt", Encoding.UTF8.GetBytes("  tabla loop, dry  \n"))
            .File("My Samples/Loops/beats/beat_a.mp3", beat).Bytes("My Samples/Loops/beats/beat_a.txt", Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("glitchy beat")).ToArray())
            .File("My Samples/guitar.ogg", guitar).Bytes("My Samples/guitar.txt", Encoding.GetEncoding(1252).GetBytes("guitare à l'été"))
            .File("My Samples/ambient/hum.m4a", hum).Bytes("My Samples/ambient/hum.txt", Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("glass hum")).ToArray())
            .File("My Samples/safari.aac", safari)
            .File("My Samples/boom.wav", boom).Text("My Samples/boom.txt", "   ")
            .File("My Samples/surround.wav", surround)
            .File("My Samples/drums/ride.wav", RealAudio.Drum("GMRockKit", "24Ride-1.wav"))
            .File("My Samples/drums/cowbell.wav", RealAudio.Drum("GMRockKit", "Cowbell-Hard.wav"))
            .Bytes("My Samples/silence.wav", WavBytes.Pcm16(new float[3 * 44100], 44100, 1))
            .Bytes("My Samples/nan.wav", WavBytes.Float32(nan, 22050, 1))
            .Bytes("My Samples/corrupt.mp3", corrupt)
            .Bytes("My Samples/garzul.flac", truncated)
            .Bytes("My Samples/empty.ogg", Array.Empty<byte>())
            .Text("My Samples/lonely.txt", "no audio for me")
            .Text("__MACOSX/My Samples/._tabla.flac", "mac resource fork")
            .Text("My Samples/.DS_Store", "finder")
            .Text("My Samples/Thumbs.db", "windows")
            .Save(Path.Combine(Folder, "user-dataset.zip"));
    }

    public string Folder { get; }

    public string ZipPath { get; }

    public static readonly string[] Kept = ["beat_a", "boom", "guitar", "hum", "ride", "safari", "surround", "tabla"];

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
