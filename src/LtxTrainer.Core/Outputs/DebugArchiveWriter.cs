using System.IO.Compression;
using LtxTrainer.Core.Dataset;

namespace LtxTrainer.Core.Outputs;

/// <summary>
/// Writes the debug archive of a dataset: the processed clips, the captions as used, and the manifest
/// (settings, carving, every skip reason), plus any further files later stages add (cached latents, text
/// embeddings) under their own folders. The zip is written to a temporary name and renamed when complete.
/// </summary>
public static class DebugArchiveWriter
{
    /// <summary>Writes <paramref name="destination"/>; <paramref name="extraFiles"/> maps archive names to files on disk.</summary>
    public static FileInfo Write(AudioSuffixDataset dataset, string destination, IReadOnlyDictionary<string, string>? extraFiles = null,
        IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        var target = Path.GetFullPath(destination);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temp = target + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            using (var zip = ZipFile.Open(temp, ZipArchiveMode.Create))
            {
                var manifest = zip.CreateEntry(DatasetManifest.FileName, CompressionLevel.Optimal);
                using (var writer = new StreamWriter(manifest.Open(), new System.Text.UTF8Encoding(false)))
                    writer.Write(DatasetManifest.ToJson(dataset));
                int done = 0;
                foreach (var clip in dataset.Clips)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    Add(zip, dataset.AudioPathOf(clip), ArchiveName(clip.AudioFile));
                    Add(zip, Path.Combine(dataset.WorkFolder, clip.CaptionFile), ArchiveName(clip.CaptionFile));
                    progress?.Report(++done);
                }
                foreach (var (name, file) in extraFiles ?? new Dictionary<string, string>())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (Ingest.ArchiveEntryRules.UnsafeReason(name) is { } reason)
                        throw new ArgumentException($"Archive name '{name}' is not allowed: {reason}.", nameof(extraFiles));
                    Add(zip, file, ArchiveName(name));
                }
            }
            File.Move(temp, target, overwrite: true);
            return new FileInfo(target);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    private static string ArchiveName(string relative) => relative.Replace('\\', '/');

    private static void Add(ZipArchive zip, string file, string name)
    {
        // WAV float barely compresses; storing keeps export fast.
        var level = name.EndsWith(".wav", StringComparison.OrdinalIgnoreCase) ? CompressionLevel.NoCompression : CompressionLevel.Optimal;
        zip.CreateEntryFromFile(file, name, level);
    }
}
