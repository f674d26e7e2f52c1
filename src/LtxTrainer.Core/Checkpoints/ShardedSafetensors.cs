using System.Text.Json;
using TorchSharp;

namespace LtxTrainer.Core.Checkpoints;

/// <summary>
/// A Hugging Face style sharded checkpoint: <c>*.safetensors.index.json</c> whose <c>weight_map</c>
/// names the shard of every tensor. Shards are opened lazily, on first use. The metadata is the index's
/// <c>metadata</c> plus the <c>__metadata__</c> of the first shard for keys the index lacks: Hugging Face's
/// sharded writers put a model's own metadata (an LTX <c>config</c>, say) in every shard's header and only
/// <c>total_size</c> in the index.
/// </summary>
public sealed class ShardedSafetensors : ITensorSource
{
    private readonly Dictionary<string, string> _weightMap;
    private readonly Dictionary<string, SafetensorsFile> _open = new(StringComparer.Ordinal);
    private readonly string _folder;

    private ShardedSafetensors(string indexPath, Dictionary<string, string> weightMap, IReadOnlyDictionary<string, string> metadata)
    {
        IndexPath = indexPath;
        _folder = Path.GetDirectoryName(indexPath)!;
        _weightMap = weightMap;
        Metadata = metadata;
    }

    /// <summary>The index file.</summary>
    public string IndexPath { get; }

    public IReadOnlyCollection<string> Names => _weightMap.Keys;

    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Opens an index file and checks that every shard it names exists.</summary>
    public static ShardedSafetensors Open(string indexPath)
    {
        var full = Path.GetFullPath(indexPath);
        if (!File.Exists(full))
            throw new CheckpointFormatException($"Index file '{full}' does not exist.", full);
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(full));
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var p in doc.RootElement.GetProperty("weight_map").EnumerateObject())
                map[p.Name] = p.Value.GetString() ?? throw new FormatException($"weight_map entry '{p.Name}' is not a string");
            var meta = new Dictionary<string, string>(StringComparer.Ordinal);
            if (doc.RootElement.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object)
                foreach (var p in m.EnumerateObject())
                    meta[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
            var folder = Path.GetDirectoryName(full)!;
            var shards = map.Values.Distinct().Order(StringComparer.Ordinal).ToList();
            foreach (var shard in shards)
            {
                var shardPath = Path.GetFullPath(Path.Combine(folder, shard));
                if (!shardPath.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                    throw new CheckpointFormatException($"Index '{full}' names shard '{shard}' outside its folder.", full);
                if (!File.Exists(shardPath))
                    throw new CheckpointFormatException($"Shard '{shardPath}' named by index '{full}' is missing.", shardPath);
            }
            var first = shards.Count > 0 ? SafetensorsFile.Open(Path.Combine(folder, shards[0])) : null;
            if (first is not null)
                foreach (var (key, value) in first.Metadata)
                    meta.TryAdd(key, value);
            var sharded = new ShardedSafetensors(full, map, meta);
            if (first is not null) sharded._open[shards[0]] = first;
            return sharded;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or FormatException or InvalidOperationException)
        {
            throw new CheckpointFormatException($"Index file '{full}' is malformed: {ex.Message}", full, inner: ex);
        }
    }

    private SafetensorsFile Shard(string name)
    {
        var shard = _weightMap[name];
        if (!_open.TryGetValue(shard, out var f))
        {
            f = SafetensorsFile.Open(Path.Combine(_folder, shard));
            _open[shard] = f;
        }
        return f;
    }

    /// <summary>Full path of the shard file that holds <paramref name="name"/>.</summary>
    public string ShardPathOf(string name) =>
        _weightMap.TryGetValue(name, out var shard)
            ? Path.GetFullPath(Path.Combine(_folder, shard))
            : throw new CheckpointFormatException($"Tensor '{name}' is not listed in index '{IndexPath}'.", IndexPath, name);

    public SafetensorsTensorInfo? TryGetInfo(string name) =>
        _weightMap.ContainsKey(name) ? Shard(name).TryGetInfo(name) : null;

    public torch.Tensor Load(string name, torch.ScalarType? dtype = null, torch.Device? device = null)
    {
        if (!_weightMap.ContainsKey(name))
            throw new CheckpointFormatException($"Tensor '{name}' is not listed in index '{IndexPath}'.", IndexPath, name);
        var shard = Shard(name);
        if (shard.TryGetInfo(name) is null)
            throw new CheckpointFormatException($"Index '{IndexPath}' says '{name}' is in '{shard.Path}', but that shard does not contain it.", shard.Path, name);
        return shard.Load(name, dtype, device);
    }

    public void Dispose()
    {
        foreach (var f in _open.Values) f.Dispose();
        _open.Clear();
    }
}
