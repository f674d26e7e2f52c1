namespace LtxTrainer.Core.Audio;

/// <summary>
/// Finds the ffmpeg executable used for the formats without a managed decoder (FLAC, AAC, M4A, ...):
/// an explicit path first, then the <see cref="EnvironmentVariable"/>, then the PATH.
/// </summary>
public static class FfmpegLocator
{
    public const string EnvironmentVariable = "LTXTRAINER_FFMPEG";

    public const string InstallHint =
        "Install ffmpeg (Debian/Ubuntu: 'sudo apt-get install ffmpeg'; macOS: 'brew install ffmpeg'; " +
        "Windows: 'winget install ffmpeg'), or pass its path with -FfmpegPath or the LTXTRAINER_FFMPEG environment variable.";

    /// <summary>The full path of ffmpeg, or null when none is found.</summary>
    public static string? Find(string? explicitPath = null)
    {
        if (!string.IsNullOrWhiteSpace(explicitPath))
            return File.Exists(explicitPath) ? Path.GetFullPath(explicitPath) : null;
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
            return File.Exists(fromEnvironment) ? Path.GetFullPath(fromEnvironment) : null;
        var name = OperatingSystem.IsWindows() ? "ffmpeg.exe" : "ffmpeg";
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir.Trim('"'), name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
