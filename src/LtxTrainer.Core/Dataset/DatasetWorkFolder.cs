namespace LtxTrainer.Core.Dataset;

/// <summary>
/// A dataset build's hold on its work folder. Users point -WorkFolder at folders that already hold their
/// own files, so the build touches only what it wrote: its scratch space is a folder of its own with a
/// fresh unique name (never a fixed name like <c>extracted/</c> that a user may already have), the files
/// it replaces are the ones the previous manifest lists, and a build that fails before it wrote a dataset
/// removes the folders it created itself — and nothing else.
/// </summary>
internal sealed class DatasetWorkFolder
{
    /// <summary>Prefix of the scratch folder (hidden on Unix), followed by a unique id.</summary>
    public const string ScratchPrefix = ".ltxtrainer-build-";

    private readonly string? _createdRoot;

    private DatasetWorkFolder(string path, string? createdRoot)
    {
        Path = path;
        _createdRoot = createdRoot;
        Scratch = System.IO.Path.Combine(path, ScratchPrefix + Guid.NewGuid().ToString("N")[..12]);
    }

    /// <summary>The work folder (full path).</summary>
    public string Path { get; }

    /// <summary>This build's own scratch folder inside the work folder (created on first use).</summary>
    public string Scratch { get; }

    public string ClipsFolder => System.IO.Path.Combine(Path, DatasetManifest.ClipsFolder);

    /// <summary>Creates the work folder when missing, remembering the topmost folder that had to be created.</summary>
    public static DatasetWorkFolder Open(string workFolder)
    {
        if (string.IsNullOrWhiteSpace(workFolder)) throw new ArgumentException("A work folder is required.", nameof(workFolder));
        var folder = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(workFolder));
        string? createdRoot = null;
        for (var dir = folder; dir is not null && !Directory.Exists(dir); dir = System.IO.Path.GetDirectoryName(dir))
            createdRoot = dir;
        Directory.CreateDirectory(folder);
        return new DatasetWorkFolder(folder, createdRoot);
    }

    /// <summary>A folder inside the scratch space, created empty.</summary>
    public string ScratchFolder(string name) => Directory.CreateDirectory(System.IO.Path.Combine(Scratch, name)).FullName;

    public void DeleteScratch()
    {
        if (Directory.Exists(Scratch)) Directory.Delete(Scratch, recursive: true);
    }

    /// <summary>
    /// After a failed or stopped build: removes the folders <see cref="Open"/> created, innermost first,
    /// as long as they are empty (the scratch space is gone by then; anything else in them stays).
    /// </summary>
    public void RemoveCreatedFoldersIfEmpty()
    {
        if (_createdRoot is null) return;
        for (var dir = Path; dir is not null; dir = System.IO.Path.GetDirectoryName(dir))
        {
            try
            {
                if (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any()) return;
                if (Directory.Exists(dir)) Directory.Delete(dir);
            }
            catch (IOException)
            {
                return; // something appeared in it meanwhile: it is not ours to remove
            }
            if (string.Equals(dir, _createdRoot, StringComparison.Ordinal)) return;
        }
    }

    /// <summary>
    /// The files of the dataset already in the folder (its manifest and the clip files it lists, full
    /// paths), which a rebuild may replace; empty when there is none. A <c>dataset.json</c> that is not
    /// a dataset manifest is the user's, and refused.
    /// </summary>
    public IReadOnlySet<string> OwnedFiles()
    {
        var manifest = System.IO.Path.Combine(Path, DatasetManifest.FileName);
        var owned = new HashSet<string>(StringComparer.Ordinal);
        if (!File.Exists(manifest)) return owned;
        AudioSuffixDataset previous;
        try
        {
            previous = DatasetManifest.ReadUnchecked(manifest);
        }
        catch (DatasetManifestException)
        {
            throw new WorkFolderConflictException(manifest,
                "this file is not a dataset manifest written by New-AudioSuffixDataset and would be replaced; move it or choose another work folder");
        }
        owned.Add(manifest);
        var clips = ClipsFolder + System.IO.Path.DirectorySeparatorChar;
        foreach (var clip in previous.Clips)
        {
            foreach (var relative in new[] { clip.AudioFile, clip.CaptionFile })
            {
                if (string.IsNullOrEmpty(relative)) continue;
                var full = System.IO.Path.GetFullPath(System.IO.Path.Combine(Path, relative));
                // Only files in clips/ were ever written by a build; a tampered manifest names nothing else.
                if (full.StartsWith(clips, StringComparison.Ordinal)) owned.Add(full);
            }
        }
        return owned;
    }

    /// <summary>Refuses the build before any work when one of <paramref name="clipFiles"/> (file names in clips/) belongs to the user.</summary>
    public void CheckClipFilesAreFree(IEnumerable<string> clipFiles, IReadOnlySet<string> owned)
    {
        foreach (var name in clipFiles)
        {
            var full = System.IO.Path.Combine(ClipsFolder, name);
            if ((File.Exists(full) || Directory.Exists(full)) && !owned.Contains(full))
                throw new WorkFolderConflictException(full,
                    "the work folder already holds this file and no earlier dataset wrote it; it is never replaced. Move it or choose another work folder");
        }
    }

    /// <summary>
    /// Replaces the previous dataset by the one in <paramref name="buildingDir"/>: the old manifest goes
    /// first and the new one last, so an interruption in between leaves a folder without a manifest
    /// (refused on reopen), never a manifest naming clips that are not its own. Only owned files are
    /// deleted; a new file never replaces an existing one.
    /// </summary>
    public void SwapIn(AudioSuffixDataset dataset, string buildingDir, IReadOnlySet<string> owned)
    {
        foreach (var file in owned.OrderBy(f => f == dataset.ManifestPath ? 0 : 1))
            if (File.Exists(file)) File.Delete(file);
        Directory.CreateDirectory(ClipsFolder);
        foreach (var file in Directory.EnumerateFiles(buildingDir))
            File.Move(file, System.IO.Path.Combine(ClipsFolder, System.IO.Path.GetFileName(file)), overwrite: false);
        DatasetManifest.Write(dataset);
    }
}
