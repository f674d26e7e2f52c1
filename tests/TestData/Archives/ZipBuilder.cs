using System.IO.Compression;

namespace LtxTrainer.TestData;

/// <summary>Builds zip archives the way users (and attackers) make them: any entry name, Unix modes, bombs.</summary>
public sealed class ZipBuilder
{
    private readonly List<(string Name, Func<Stream>? Content, int? UnixMode, long ZeroBytes)> _entries = new();

    public ZipBuilder File(string entryName, string path)
    {
        _entries.Add((entryName, () => System.IO.File.OpenRead(path), null, 0));
        return this;
    }

    public ZipBuilder Bytes(string entryName, byte[] bytes)
    {
        _entries.Add((entryName, () => new MemoryStream(bytes), null, 0));
        return this;
    }

    public ZipBuilder Text(string entryName, string text) => Bytes(entryName, System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>A symbolic-link entry (Unix mode 0120777) whose content is the link target, as Info-ZIP stores it.</summary>
    public ZipBuilder Symlink(string entryName, string target)
    {
        _entries.Add((entryName, () => new MemoryStream(System.Text.Encoding.UTF8.GetBytes(target)), Convert.ToInt32("120777", 8), 0));
        return this;
    }

    /// <summary>An entry of <paramref name="count"/> zero bytes (compresses about 1000:1: the classic bomb payload).</summary>
    public ZipBuilder Zeros(string entryName, long count)
    {
        _entries.Add((entryName, null, null, count));
        return this;
    }

    public ZipBuilder Folder(string entryName)
    {
        _entries.Add((entryName.EndsWith('/') ? entryName : entryName + "/", null, Convert.ToInt32("040755", 8), -1));
        return this;
    }

    public string Save(string path)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        var zeros = new byte[1 << 20];
        foreach (var (name, content, mode, zeroBytes) in _entries)
        {
            var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
            if (mode is not null) entry.ExternalAttributes = mode.Value << 16;
            if (zeroBytes < 0) continue;
            using var output = entry.Open();
            if (content is not null)
            {
                using var input = content();
                input.CopyTo(output);
            }
            for (long left = zeroBytes; left > 0; left -= zeros.Length) output.Write(zeros, 0, (int)Math.Min(zeros.Length, left));
        }
        return path;
    }
}
