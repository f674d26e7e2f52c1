using System.Security.Cryptography;
using System.Text;
using LtxTrainer.Core.Checkpoints;
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
        var path = PathFor(caption);
        if (!File.Exists(path)) return null;
        try
        {
            using var file = SafetensorsFile.Open(path);
            var meta = file.Metadata;
            if (meta.GetValueOrDefault("format") != Format || meta.GetValueOrDefault("caption") != caption
                || meta.GetValueOrDefault("model_identity") != ModelIdentity)
                return null;
            bool truncated = meta.GetValueOrDefault("truncated") == "true";
            using var valid = file.Load("valid_features", torch.float32);
            using var paddingRow = file.Load("padding_row", torch.float32);
            long n = valid.shape[0], pad = MaxLength - n;
            if (pad < 0 || (pad > 0 && paddingRow.shape[0] != 1)) return null;
            var features = pad == 0 ? valid.clone() : torch.cat([paddingRow.expand(pad, valid.shape[1]), valid], 0);
            var mask = torch.cat([torch.zeros(pad, torch.int64), torch.ones(n, torch.int64)], 0);
            return new CaptionEmbedding(caption, features, mask, truncated);
        }
        catch (CheckpointFormatException)
        {
            return null; // a torn or foreign file is a miss; the next store replaces it
        }
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
        using var e = TryLoad(caption);
        return e is not null;
    }

    /// <summary>
    /// Embeddings for every caption (one per entry, duplicates included). Only captions missing from the cache
    /// are encoded: <paramref name="openEncoder"/> is called at most once, and only when something is missing,
    /// and the encoder is disposed (Gemma released) before this returns.
    /// </summary>
    public IReadOnlyList<CaptionEmbedding> GetOrEncode(IReadOnlyList<string> captions, Func<TextEncoder> openEncoder,
        IProgress<TextEncodingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(captions);
        var missing = Missing(captions);
        if (missing.Count > 0)
        {
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
        }
        var result = new List<CaptionEmbedding>(captions.Count);
        foreach (var caption in captions)
            result.Add(TryLoad(caption) ?? throw new InvalidOperationException($"Cache entry '{PathFor(caption)}' for caption \"{caption}\" could not be read back."));
        return result;
    }

    // Encodes run chunk by chunk (so only one chunk of embeddings is in memory); progress counts over all of them.
    private sealed class OffsetProgress(IProgress<TextEncodingProgress> inner, int offset, int total) : IProgress<TextEncodingProgress>
    {
        public void Report(TextEncodingProgress value) =>
            inner.Report(value with { Completed = offset + value.Completed, Total = total });
    }
}
