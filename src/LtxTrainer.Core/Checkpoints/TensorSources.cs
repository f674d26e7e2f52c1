namespace LtxTrainer.Core.Checkpoints;

/// <summary>Opens whatever checkpoint layout a path points at.</summary>
public static class TensorSources
{
    /// <summary>
    /// A <c>.safetensors</c> file, a <c>.safetensors.index.json</c>, or a folder holding exactly one of
    /// <c>model.safetensors.index.json</c> / <c>model.safetensors</c> (or a single *.safetensors file).
    /// </summary>
    public static ITensorSource Open(string path)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            var indexes = Directory.GetFiles(full, "*.safetensors.index.json");
            if (indexes.Length == 1) return ShardedSafetensors.Open(indexes[0]);
            if (indexes.Length > 1)
                throw new CheckpointFormatException($"Folder '{full}' holds several index files ({string.Join(", ", indexes.Select(Path.GetFileName))}); name one.", full);
            var files = Directory.GetFiles(full, "*.safetensors");
            if (files.Length == 1) return SafetensorsFile.Open(files[0]);
            throw new CheckpointFormatException(files.Length == 0
                ? $"Folder '{full}' has no .safetensors file or index."
                : $"Folder '{full}' has several .safetensors files and no index; name one.", full);
        }
        if (full.EndsWith(".index.json", StringComparison.OrdinalIgnoreCase))
            return ShardedSafetensors.Open(full);
        return SafetensorsFile.Open(full);
    }
}
