using LtxTrainer.TestData;

namespace LtxTrainer.Core.Tests.Audio;

/// <summary>
/// One real recording (3 s of supersonic's loop_tabla, 44.1 kHz stereo) converted by ffmpeg into every
/// supported format, built once per test class in a temporary folder.
/// </summary>
public sealed class RealAudioFiles : IDisposable
{
    public RealAudioFiles()
    {
        Folder = Directory.CreateTempSubdirectory("ltxt-audio-").FullName;
        Source = FfmpegTool.Convert(RealAudio.Flac("loop_tabla"), Path.Combine(Folder, "source.wav"), "-t", "3", "-c:a", "pcm_f32le");
        Add("u8.wav", "-c:a", "pcm_u8");
        Add("s16.wav", "-c:a", "pcm_s16le");
        Add("s24.wav", "-c:a", "pcm_s24le");       // ffmpeg writes WAVE_FORMAT_EXTENSIBLE for 24-bit
        Add("s32.wav", "-c:a", "pcm_s32le");
        Add("f32.wav", "-c:a", "pcm_f32le");
        Add("f64.wav", "-c:a", "pcm_f64le");
        Add("surround51.wav", "-af", "pan=5.1|FL=c0|FR=c1|FC=0.5*c0+0.5*c1|LFE=0*c0|BL=c0|BR=c1", "-c:a", "pcm_s16le");
        Add("clip.mp3", "-c:a", "libmp3lame", "-b:a", "192k");
        Add("clip.ogg", "-c:a", "libvorbis", "-q:a", "5");
        Add("clip.flac", "-c:a", "flac");
        Add("clip.aac", "-c:a", "aac", "-b:a", "192k");
        Add("clip.m4a", "-c:a", "aac", "-b:a", "192k");
        Add("mono22k.wav", "-ac", "1", "-ar", "22050", "-c:a", "pcm_s16le");
    }

    public string Folder { get; }

    /// <summary>The 3 s cut as 32-bit float WAV (the reference).</summary>
    public string Source { get; }

    public string this[string name] => Path.Combine(Folder, name);

    private void Add(string name, params string[] args) => FfmpegTool.Convert(Source, Path.Combine(Folder, name), args);

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
