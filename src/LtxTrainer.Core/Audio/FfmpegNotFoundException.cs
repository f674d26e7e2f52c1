namespace LtxTrainer.Core.Audio;

/// <summary>Some clips need ffmpeg (FLAC, AAC, M4A, ...) and none was found; lists those files.</summary>
public sealed class FfmpegNotFoundException : Exception
{
    public FfmpegNotFoundException(IReadOnlyList<string> files)
        : base($"ffmpeg is needed to decode {files.Count} file(s) but was not found: {string.Join(", ", files)}. {FfmpegLocator.InstallHint}")
    {
        Files = files;
    }

    /// <summary>The archive entries that need ffmpeg.</summary>
    public IReadOnlyList<string> Files { get; }
}
