namespace LtxTrainer.Core.Audio;

/// <summary>
/// Which file extensions are clips and which decoder reads each. WAV, MP3 and Ogg Vorbis have managed
/// decoders; FLAC, AAC and M4A (and the few other containers listed) go through ffmpeg.
/// </summary>
public static class AudioFormats
{
    private static readonly HashSet<string> Managed = new(StringComparer.OrdinalIgnoreCase) { ".wav", ".wave", ".mp3", ".ogg", ".oga" };
    private static readonly HashSet<string> ViaFfmpeg = new(StringComparer.OrdinalIgnoreCase) { ".flac", ".aac", ".m4a", ".opus", ".aif", ".aiff", ".wma" };

    /// <summary>True when the file name has an extension this module decodes.</summary>
    public static bool IsAudioFile(string fileName)
    {
        var ext = Path.GetExtension(fileName);
        return Managed.Contains(ext) || ViaFfmpeg.Contains(ext);
    }

    /// <summary>True when decoding the file needs ffmpeg.</summary>
    public static bool NeedsFfmpeg(string fileName) => ViaFfmpeg.Contains(Path.GetExtension(fileName));

    /// <summary>Opens the decoder for <paramref name="file"/> chosen by its extension; cancelling stops an ffmpeg decoder's subprocess.</summary>
    public static IAudioDecoder Open(string file, string? ffmpegPath, CancellationToken cancellationToken = default)
    {
        switch (Path.GetExtension(file).ToLowerInvariant())
        {
            case ".wav" or ".wave": return new WavDecoder(file);
            case ".mp3": return new Mp3Decoder(file);
            case ".ogg" or ".oga": return new VorbisDecoder(file);
        }
        if (!NeedsFfmpeg(file)) throw new AudioDecodeException(file, "not a supported audio format");
        if (ffmpegPath is null) throw new AudioDecodeException(file, "needs ffmpeg, which was not found. " + FfmpegLocator.InstallHint);
        return new FfmpegDecoder(file, ffmpegPath, cancellationToken);
    }
}
