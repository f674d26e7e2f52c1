using System.IO.Compression;

namespace LtxTrainer.Core.Ingest;

/// <summary>
/// Extracts the audio and caption files of a zip into one flat folder, refusing hostile archives.
/// <para>Everything is checked before the first byte is written: entry count, names (absolute, drive
/// letters, <c>..</c>), symbolic links, declared sizes and compression ratios, and unique file names.
/// Files are then written by FILE NAME ONLY into the destination (no archive folder is ever recreated),
/// so no entry name can steer a write elsewhere; bytes are counted while inflating, so a header that
/// lies about sizes cannot get past the limits either.</para>
/// </summary>
public static class SafeZipExtractor
{
    public static ExtractedArchive Extract(string zipPath, string destinationFolder, ArchiveLimits? limits = null,
        IProgress<IngestProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        limits ??= ArchiveLimits.Default;
        Directory.CreateDirectory(destinationFolder);
        var destination = Path.GetFullPath(destinationFolder);
        using var stream = File.OpenRead(zipPath);
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read);
        }
        catch (InvalidDataException e)
        {
            throw new NotAZipArchiveException(zipPath, "not a valid zip archive (" + e.Message + ")", e);
        }
        using (zip)
        {
            var plan = Plan(zipPath, zip, limits);
            var files = new List<ExtractedFile>(plan.Wanted.Count);
            long total = 0;
            for (int i = 0; i < plan.Wanted.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var entry = plan.Wanted[i];
                var fileName = Path.GetFileName(entry.FullName.Replace('\\', '/'));
                var target = Path.Combine(destination, fileName);
                if (!string.Equals(Path.GetDirectoryName(Path.GetFullPath(target)), destination, StringComparison.Ordinal))
                    throw new UnsafeArchiveException(zipPath, entry.FullName, "name resolves outside the destination");
                var (written, damage) = Inflate(zipPath, entry, target, limits, total, cancellationToken);
                total += written;
                files.Add(new ExtractedFile(entry.FullName, target, damage));
                progress?.Report(new IngestProgress(IngestStage.Extracting, i + 1, plan.Wanted.Count, entry.FullName));
            }
            return new ExtractedArchive(destination, files, plan.Ignored);
        }
    }

    private sealed record ExtractionPlan(List<ZipArchiveEntry> Wanted, List<IgnoredEntry> Ignored);

    private static ExtractionPlan Plan(string zipPath, ZipArchive zip, ArchiveLimits limits)
    {
        IReadOnlyCollection<ZipArchiveEntry> entries;
        try
        {
            entries = zip.Entries;
        }
        catch (InvalidDataException e)
        {
            throw new NotAZipArchiveException(zipPath, "the archive's directory is corrupt (" + e.Message + ")", e);
        }
        if (entries.Count > limits.MaxEntries)
            throw new UnsafeArchiveException(zipPath, null, $"{entries.Count} entries exceed the limit of {limits.MaxEntries}");
        var wanted = new List<ZipArchiveEntry>();
        var ignored = new List<IgnoredEntry>();
        long declaredTotal = 0;
        foreach (var entry in entries)
        {
            var reason = ArchiveEntryRules.UnsafeReason(entry.FullName);
            if (reason is not null) throw new UnsafeArchiveException(zipPath, entry.FullName, "refused: " + reason);
            if (ArchiveEntryRules.IsSymbolicLink(entry.ExternalAttributes))
                throw new UnsafeArchiveException(zipPath, entry.FullName, "refused: symbolic-link entry");
            var name = entry.FullName.Replace('\\', '/');
            if (name.EndsWith('/')) continue; // folder entry
            if (ArchiveEntryRules.IsIgnored(name))
            {
                ignored.Add(new IgnoredEntry(entry.FullName, "system or hidden file"));
                continue;
            }
            var fileName = Path.GetFileName(name);
            if (!Audio.AudioFormats.IsAudioFile(fileName) && !ArchiveEntryRules.IsCaption(fileName))
            {
                ignored.Add(new IgnoredEntry(entry.FullName, "neither a supported audio file nor a .txt caption"));
                continue;
            }
            if (entry.Length > limits.MaxEntryBytes)
                throw new UnsafeArchiveException(zipPath, entry.FullName, $"expands to {entry.Length} bytes, over the per-file limit of {limits.MaxEntryBytes}");
            if (entry.Length > limits.RatioCheckMinBytes && entry.Length > limits.MaxCompressionRatio * Math.Max(1, entry.CompressedLength))
                throw new UnsafeArchiveException(zipPath, entry.FullName,
                    $"compression ratio {entry.Length / (double)Math.Max(1, entry.CompressedLength):0} exceeds {limits.MaxCompressionRatio:0} (zip bomb)");
            declaredTotal += entry.Length;
            if (declaredTotal > limits.MaxTotalBytes)
                throw new UnsafeArchiveException(zipPath, null, $"expands to more than {limits.MaxTotalBytes} bytes (zip bomb or oversized archive)");
            wanted.Add(entry);
        }
        ThrowOnDuplicates(zipPath, wanted);
        return new ExtractionPlan(wanted, ignored);
    }

    // File names must be unique (case-insensitively: the work folder may live on such a file system),
    // and so must clip stems among audio files, since the processed clip and its caption are named by stem.
    private static void ThrowOnDuplicates(string zipPath, List<ZipArchiveEntry> wanted)
    {
        var clashes = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        static string FileName(ZipArchiveEntry e) => Path.GetFileName(e.FullName.Replace('\\', '/'));
        foreach (var group in wanted.GroupBy(FileName, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            clashes[group.Key] = group.Select(e => e.FullName).ToList();
        // Same stem, different extensions (kick.wav + kick.mp3): a clash the exact-name check cannot see.
        var audio = wanted.Where(e => !ArchiveEntryRules.IsCaption(e.FullName));
        foreach (var group in audio.GroupBy(e => Path.GetFileNameWithoutExtension(FileName(e)), StringComparer.OrdinalIgnoreCase))
        {
            if (group.Select(FileName).Distinct(StringComparer.OrdinalIgnoreCase).Count() > 1)
                clashes[group.Key + ".*"] = group.Select(e => e.FullName).ToList();
        }
        if (clashes.Count > 0) throw new DuplicateFileNamesException(zipPath, clashes);
    }

    private static (long Written, string? Damage) Inflate(string zipPath, ZipArchiveEntry entry, string target, ArchiveLimits limits, long totalSoFar, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        long written = 0;
        try
        {
            using var input = entry.Open();
            using var output = new FileStream(target, FileMode.Create, FileAccess.Write, FileShare.None);
            int n;
            while ((n = input.Read(buffer, 0, buffer.Length)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                written += n;
                if (written > entry.Length || written > limits.MaxEntryBytes || totalSoFar + written > limits.MaxTotalBytes)
                    throw new UnsafeArchiveException(zipPath, entry.FullName, "expands beyond its declared size or the limits (zip bomb)");
                output.Write(buffer, 0, n);
            }
        }
        catch (InvalidDataException e)
        {
            // One damaged entry is that clip's problem (reported as unreadable), not a reason to refuse the archive.
            File.Delete(target);
            return (written, "damaged in the archive: " + e.Message);
        }
        catch
        {
            File.Delete(target);
            throw;
        }
        return (written, null);
    }
}
