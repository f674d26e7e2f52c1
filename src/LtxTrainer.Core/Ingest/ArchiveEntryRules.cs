namespace LtxTrainer.Core.Ingest;

/// <summary>
/// Decisions about single archive entry names: which are unsafe (refuse the archive), which are
/// operating-system litter or hidden (skip silently), which matter (audio, captions).
/// </summary>
public static class ArchiveEntryRules
{
    private const int UnixFileTypeMask = 0xF000; // S_IFMT
    private const int UnixSymlink = 0xA000;      // S_IFLNK, 0120000 octal

    private static readonly HashSet<string> Litter = new(StringComparer.OrdinalIgnoreCase) { "__MACOSX", "Thumbs.db", "desktop.ini", "ehthumbs.db" };

    /// <summary>Returns why the entry name is unsafe, or null when it is safe.</summary>
    public static string? UnsafeReason(string fullName)
    {
        if (fullName.Length == 0) return "empty name";
        if (fullName.Any(c => c == '\0' || char.IsControl(c))) return "control characters in the name";
        var name = fullName.Replace('\\', '/');
        if (name.StartsWith('/')) return "absolute path";
        if (name.Length >= 2 && char.IsAsciiLetter(name[0]) && name[1] == ':') return "drive-letter path";
        var segments = name.Split('/');
        if (segments.Any(s => s == "..")) return "parent-folder ('..') path";
        if (segments.Any(s => s.Contains(':'))) return "':' in the name (alternate data stream or drive)";
        return null;
    }

    /// <summary>True when the entry's Unix mode (high 16 bits of the external attributes) marks a symbolic link.</summary>
    public static bool IsSymbolicLink(int externalAttributes) => ((externalAttributes >> 16) & UnixFileTypeMask) == UnixSymlink;

    /// <summary>True for folders and files that are skipped silently: __MACOSX, ._*, .DS_Store, Thumbs.db, hidden.</summary>
    public static bool IsIgnored(string fullName)
    {
        var segments = fullName.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        // "." is the current folder some tools write as a prefix ("./set/a.wav"), not a hidden name.
        return segments.Any(s => (s.StartsWith('.') && s != ".") || Litter.Contains(s));
    }

    /// <summary>True for a caption file.</summary>
    public static bool IsCaption(string fileName) => Path.GetExtension(fileName).Equals(".txt", StringComparison.OrdinalIgnoreCase);
}
