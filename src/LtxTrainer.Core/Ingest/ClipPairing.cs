namespace LtxTrainer.Core.Ingest;

/// <summary>
/// Pairs every audio file with the .txt of the same base name (case-insensitive; names are unique across
/// the archive, so folders do not matter). A caption without an audio file is reported as ignored.
/// </summary>
public static class ClipPairing
{
    public static (IReadOnlyList<ClipSource> Clips, IReadOnlyList<IgnoredEntry> OrphanCaptions) Pair(IEnumerable<ExtractedFile> files)
    {
        var captions = new Dictionary<string, ExtractedFile>(StringComparer.OrdinalIgnoreCase);
        var audio = new List<ExtractedFile>();
        foreach (var file in files)
        {
            if (ArchiveEntryRules.IsCaption(file.Path)) captions[Path.GetFileNameWithoutExtension(file.Path)] = file;
            else audio.Add(file);
        }
        var clips = new List<ClipSource>(audio.Count);
        foreach (var file in audio.OrderBy(f => Path.GetFileName(f.Path), StringComparer.Ordinal))
        {
            var name = Path.GetFileNameWithoutExtension(file.Path);
            captions.Remove(name, out var caption);
            clips.Add(new ClipSource(name, file, caption));
        }
        var orphans = captions.Values.OrderBy(c => c.EntryName, StringComparer.Ordinal)
            .Select(c => new IgnoredEntry(c.EntryName, "caption without an audio file of the same name")).ToList();
        return (clips, orphans);
    }

    /// <summary>
    /// The caption as used for training: "trigger caption" (joined by one space, as the official
    /// trainer's <c>lora_trigger</c> does), the trigger alone for an empty caption, or the caption alone.
    /// </summary>
    public static string ComposeCaption(string? triggerPhrase, string? caption)
    {
        var trigger = triggerPhrase?.Trim() ?? string.Empty;
        var text = caption?.Trim() ?? string.Empty;
        if (trigger.Length == 0) return text;
        if (text.Length == 0) return trigger;
        return trigger + " " + text;
    }
}
