using System.Security.Cryptography;
using System.Text;
using LtxTrainer.Core.Checkpoints;
using LtxTrainer.Core.Dataset;
using TorchSharp;

namespace LtxTrainer.Core.Text;

/// <summary>
/// Caption embeddings on disk, one safetensors file per (exact caption text, model identity). A rerun or a
/// second training run on the same captions reads them back and never opens Gemma. Files hold only the
/// valid-token rows and one padding row (every padded position of a caption has the same features: the
/// extractor zeroes padded tokens before its projection), which keeps a 1024-token cache entry small.
/// </summary>
public sealed class CaptionEmbeddingCache
{
    private const string Format = "ltxtrainer-caption-embedding-v1";

    /// <param name="folder">Cache folder (created when missing).</param>
    /// <param name="modelIdentity">From <see cref="TextModelIdentity.Compute"/>.</param>
    /// <param name="maxLength">Tokens per caption the embeddings have.</param>
    public CaptionEmbeddingCache(string folder, string modelIdentity, int maxLength = GemmaTokenizer.DefaultMaxLength)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelIdentity);
        Folder = Path.GetFullPath(folder);
        ModelIdentity = modelIdentity;
        MaxLength = maxLength;
        Directory.CreateDirectory(Folder);
    }

    /// <summary>The cache for the text encoder these arguments would open (its identity computed from the files).</summary>
    public static CaptionEmbeddingCache ForModel(string folder, string gemmaFolder, string ltxCheckpoint, TextEncoderOptions options) =>
        new(folder, TextModelIdentity.Compute(gemmaFolder, ltxCheckpoint, options), options.MaxLength);

    public string Folder { get; }

    public string ModelIdentity { get; }

    public int MaxLength { get; }

    /// <summary>The file an embedding of this caption lives in.</summary>
    public string PathFor(string caption)
    {
        var key = SHA256.HashData(Encoding.UTF8.GetBytes(ModelIdentity + "\n" + MaxLength + "\n" + caption));
        return Path.Combine(Folder, Convert.ToHexString(key).ToLowerInvariant() + ".safetensors");
    }

    /// <summary>The cached embedding, or null when absent, unreadable, or written for another caption/model.</summary>
    public CaptionEmbedding? TryLoad(string caption)
    {
        using var entry = OpenEntry(caption);
        if (entry is null) return null;
        var (file, truncated) = entry.Value;
        try
        {
            using var valid = file.Load("valid_features", torch.float32);
            using var paddingRow = file.Load("padding_row", torch.float32);
            long n = valid.shape[0], pad = MaxLength - n;
            var features = pad == 0 ? valid.clone() : torch.cat([paddingRow.expand(pad, valid.shape[1]), valid], 0);
            var mask = torch.cat([torch.zeros(pad, torch.int64), torch.ones(n, torch.int64)], 0);
            return new CaptionEmbedding(caption, features, mask, truncated);
        }
        catch (CheckpointFormatException)
        {
            return null; // data cut short after a valid header: a miss, the next store replaces it
        }
    }

    /// <summary>The cached embedding of a caption that must be there (e.g. after <see cref="EncodeMissing(IEnumerable{string}, Func{TextEncoder}, IProgress{TextEncodingProgress}?, CancellationToken)"/>).</summary>
    /// <exception cref="KeyNotFoundException">No readable entry for this caption and model; names the file.</exception>
    public CaptionEmbedding Load(string caption) =>
        TryLoad(caption) ?? throw new KeyNotFoundException($"No cached embedding for caption \"{caption}\" ('{PathFor(caption)}').");

    // The entry's file when its header says it is this caption's embedding for this model, with shapes that fit
    // this cache; null otherwise. Header only: checking many entries reads no tensor data.
    private Entry? OpenEntry(string caption)
    {
        var path = PathFor(caption);
        if (!File.Exists(path)) return null;
        SafetensorsFile? file = null;
        try
        {
            file = SafetensorsFile.Open(path);
            var meta = file.Metadata;
            var valid = file.TryGetInfo("valid_features");
            var paddingRow = file.TryGetInfo("padding_row");
            bool fits = meta.GetValueOrDefault("format") == Format && meta.GetValueOrDefault("caption") == caption
                && meta.GetValueOrDefault("model_identity") == ModelIdentity
                && valid is { Shape.Length: 2 } && paddingRow is { Shape.Length: 2 }
                && valid.Shape[0] <= MaxLength && paddingRow.Shape[0] == Math.Min(1, MaxLength - valid.Shape[0])
                && paddingRow.Shape[1] == valid.Shape[1];
            if (fits) return new Entry(file, meta.GetValueOrDefault("truncated") == "true");
            file.Dispose();
            return null;
        }
        catch (CheckpointFormatException)
        {
            file?.Dispose();
            return null; // a torn or foreign file is a miss; the next store replaces it
        }
    }

    private readonly record struct Entry(SafetensorsFile File, bool Truncated) : IDisposable
    {
        public void Dispose() => File.Dispose();
    }

    /// <summary>Writes one embedding (atomically).</summary>
    public void Store(CaptionEmbedding embedding)
    {
        int n = embedding.ValidTokens;
        long length = embedding.AudioFeatures.shape[0];
        if (length != MaxLength)
            throw new ArgumentException($"The embedding has {length} tokens; this cache holds {MaxLength}-token embeddings.", nameof(embedding));
        using var features = embedding.AudioFeatures.to(torch.float32).cpu();
        using var valid = features.narrow(0, length - n, n).contiguous();
        using var paddingRow = features.narrow(0, 0, Math.Min(1, length - n)).contiguous();
        SafetensorsWriter.Write(PathFor(embedding.Caption),
            [new("valid_features", valid), new("padding_row", paddingRow)],
            new Dictionary<string, string>
            {
                ["format"] = Format,
                ["caption"] = embedding.Caption,
                ["model_identity"] = ModelIdentity,
                ["truncated"] = embedding.Truncated ? "true" : "false",
            });
    }

    /// <summary>Captions (distinct, in first-seen order) that have no cached embedding yet.</summary>
    public IReadOnlyList<string> Missing(IEnumerable<string> captions) =>
        captions.Distinct(StringComparer.Ordinal).Where(c => !IsCached(c)).ToArray();

    private bool IsCached(string caption)
    {
        using var entry = OpenEntry(caption);
        return entry is not null;
    }

    /// <summary>
    /// Encodes and stores the captions that have no cache entry yet; returns how many were encoded.
    /// <paramref name="openEncoder"/> is called at most once, and only when something is missing, and the
    /// encoder is disposed (Gemma released, its memory returned) before this returns. Entries are stored as
    /// each pass finishes, so a cancelled run keeps what it encoded and the next run starts from there.
    /// </summary>
    public int EncodeMissing(IEnumerable<string> captions, Func<TextEncoder> openEncoder,
        IProgress<TextEncodingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(captions);
        ArgumentNullException.ThrowIfNull(openEncoder);
        var missing = Missing(captions);
        if (missing.Count == 0) return 0;
        cancellationToken.ThrowIfCancellationRequested();
        using var encoder = openEncoder();
        if (encoder.Options.MaxLength != MaxLength)
            throw new ArgumentException($"The encoder pads to {encoder.Options.MaxLength} tokens; this cache holds {MaxLength}-token embeddings.", nameof(openEncoder));
        int done = 0;
        foreach (var chunk in missing.Chunk(encoder.Options.CaptionsPerPass))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var offset = progress is null ? null : new OffsetProgress(progress, done, missing.Count);
            foreach (var e in encoder.Encode(chunk, offset, cancellationToken))
                using (e)
                    Store(e);
            done += chunk.Length;
        }
        return missing.Count;
    }

    /// <summary>
    /// Encodes the captions of a dataset's clips (<see cref="ClipRecord.Caption"/>, trigger phrase included) that
    /// are not cached yet: a rerun, or a second training run on the same dataset, never opens Gemma.
    /// </summary>
    public int EncodeMissing(AudioSuffixDataset dataset, Func<TextEncoder> openEncoder,
        IProgress<TextEncodingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return EncodeMissing(dataset.Clips.Select(c => c.Caption), openEncoder, progress, cancellationToken);
    }

    /// <summary>
    /// Embeddings for every caption (one per entry, duplicates included), encoding only the missing ones
    /// (see <see cref="EncodeMissing(IEnumerable{string}, Func{TextEncoder}, IProgress{TextEncodingProgress}?, CancellationToken)"/>).
    /// </summary>
    public IReadOnlyList<CaptionEmbedding> GetOrEncode(IReadOnlyList<string> captions, Func<TextEncoder> openEncoder,
        IProgress<TextEncodingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        EncodeMissing(captions, openEncoder, progress, cancellationToken);
        var result = new List<CaptionEmbedding>(captions.Count);
        try
        {
            foreach (var caption in captions)
                result.Add(Load(caption));
            return result;
        }
        catch
        {
            foreach (var e in result) e.Dispose();
            throw;
        }
    }

    // Encodes run chunk by chunk (so only one chunk of embeddings is in memory); progress counts over all of them.
    private sealed class OffsetProgress(IProgress<TextEncodingProgress> inner, int offset, int total) : IProgress<TextEncodingProgress>
    {
        public void Report(TextEncodingProgress value) =>
            inner.Report(value with { Completed = offset + value.Completed, Total = total });
    }
}
