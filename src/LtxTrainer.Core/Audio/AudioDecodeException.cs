namespace LtxTrainer.Core.Audio;

/// <summary>An audio file could not be decoded (corrupt, truncated, unsupported encoding).</summary>
public sealed class AudioDecodeException : Exception
{
    public AudioDecodeException(string file, string message, Exception? inner = null)
        : base($"{Path.GetFileName(file)}: {message}", inner)
    {
        File = file;
        Reason = message;
    }

    /// <summary>The file that failed.</summary>
    public string File { get; }

    /// <summary>Why it failed, without the file name.</summary>
    public string Reason { get; }
}
