namespace LtxTrainer.Core.Audio;

/// <summary>
/// Which file extensions are clips and which decoder reads each. WAV, MP3 and Ogg Vorbis have managed
/// decoders; FLAC, AAC and M4A (and the few other containers listed) go through ffmpeg, which is told the
/// format the extension names (its own guess from the content is never used). A file whose first bytes
/// are not those of its extension's format is refused before decoding (<see cref="AudioFileSignature"/>).
/// </summary>
public static class AudioFormats
{
    private static readonly HashSet<string> Managed = new(StringComparer.OrdinalIgnoreCase) { ".wav", ".wave", ".mp3", ".ogg", ".oga" };

    /// <summary>Extensions decoded by ffmpeg, and the ffmpeg demuxer (<c>-f</c>) each one names.</summary>
    private static readonly Dictionary<string, string> ViaFfmpeg = new(StringComparer.OrdinalIgnoreCase)
    {
        [".flac"] = "flac", [".aac"] = "aac", [".m4a"] = "mov", [".opus"] = "ogg", [".aif"] = "aiff", [".aiff"] = "aiff", [".wma"] = "asf",
    };

    /// <summary>True when the file name has an extension this module decodes.</summary>
    public static bool IsAudioFile(string fileName)
    {
        var ext = Path.GetExtension(fileName);
        return Managed.Contains(ext) || ViaFfmpeg.ContainsKey(ext);
    }

    /// <summary>True when decoding the file needs ffmpeg.</summary>
    public static bool NeedsFfmpeg(string fileName) => ViaFfmpeg.ContainsKey(Path.GetExtension(fileName));

    /// <summary>
    /// Opens the decoder for <paramref name="file"/> chosen by its extension, after checking the file
    /// begins as that format does; cancelling stops an ffmpeg decoder's subprocess, as does
    /// <paramref name="ffmpegStallTimeout"/> without output (default <see cref="FfmpegDecoder.DefaultStallTimeout"/>).
    /// </summary>
    public static IAudioDecoder Open(string file, string? ffmpegPath, CancellationToken cancellationToken = default, TimeSpan? ffmpegStallTimeout = null)
    {
        if (!IsAudioFile(file)) throw new AudioDecodeException(file, "not a supported audio format");
        if (AudioFileSignature.Mismatch(file) is { } mismatch) throw new AudioDecodeException(file, mismatch);
        switch (Path.GetExtension(file).ToLowerInvariant())
        {
            case ".wav" or ".wave": return new WavDecoder(file);
            case ".mp3": return new Mp3Decoder(file);
            case ".ogg" or ".oga": return new VorbisDecoder(file);
        }
        if (ffmpegPath is null) throw new AudioDecodeException(file, "needs ffmpeg, which was not found. " + FfmpegLocator.InstallHint);
        return new FfmpegDecoder(file, ffmpegPath, cancellationToken, ffmpegStallTimeout, ViaFfmpeg[Path.GetExtension(file)]);
    }
}
