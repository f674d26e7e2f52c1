using System.Security.Cryptography;
using System.Text;
using LtxTrainer.Core.Checkpoints;

namespace LtxTrainer.Core.Text;

/// <summary>
/// A content fingerprint of everything that decides a caption's embedding: the Gemma config and
/// tokenizer (hashed whole), every weights file's safetensors header (names, dtypes, shapes, offsets and
/// metadata, hashed whole) and length, sampled windows of each file's tensor data, the LTX checkpoint's
/// header (which carries its config) and samples of its feature-extractor projection, plus the encoder
/// settings that change the numbers (max length, dtype). Hashing the full 24 GB of Gemma weights would take
/// minutes; headers + samples tell apart every real checkpoint revision while costing milliseconds, and
/// unlike paths or modification times they survive copying the files elsewhere.
/// </summary>
public static class TextModelIdentity
{
    private const int SampleBytes = 1 << 20;

    /// <summary>Hex SHA-256 identity of the text encoder these arguments would open.</summary>
    public static string Compute(string gemmaFolder, string ltxCheckpoint, TextEncoderOptions options)
    {
        var folder = Path.GetFullPath(gemmaFolder);
        // v2: tokenization follows HF tokenizers (added tokens, merge ranks), so v1 caches may hold other ids.
        var text = new StringBuilder("ltxtrainer-text-identity-v2\n");
        text.Append("max_length=").Append(options.MaxLength).Append('\n');
        text.Append("dtype=").Append(options.ResolvedDType).Append('\n');
        text.Append("config.json=").Append(HashFile(Path.Combine(folder, "config.json"))).Append('\n');
        string tokenizer = GemmaTokenizer.FileOf(folder);
        text.Append(Path.GetFileName(tokenizer)).Append('=').Append(HashFile(tokenizer)).Append('\n');
        using (var gemma = TensorSources.Open(folder))
            AppendSource(text, "gemma", gemma);
        using (var ltx = TensorSources.Open(ltxCheckpoint))
            AppendSource(text, "ltx", ltx, ltx.Names.Where(n => n.StartsWith(TextFeatureExtractors.ProjectionPrefix, StringComparison.Ordinal)));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()))).ToLowerInvariant();
    }

    // Per file: length, header hash, and the first and last window of its data section. For the LTX file the
    // data windows are taken from the named tensors (the projections), since its data section is dominated
    // by the transformer whose changes do not affect the text features.
    private static void AppendSource(StringBuilder text, string role, ITensorSource source, IEnumerable<string>? sampledTensors = null)
    {
        foreach (var file in FilesOf(source))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read);
            text.Append(role).Append(':').Append(Path.GetFileName(file)).Append(" length=").Append(stream.Length);
            if (file.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            {
                text.Append(" sha256=").Append(Convert.ToHexString(SHA256.HashData(stream))).Append('\n');
                continue;
            }
            var lenBytes = new byte[8];
            stream.ReadExactly(lenBytes);
            long headerLength = BitConverter.ToInt64(lenBytes);
            var header = new byte[headerLength];
            stream.ReadExactly(header);
            text.Append(" header=").Append(Convert.ToHexString(SHA256.HashData(header)));
            if (sampledTensors is null)
            {
                long dataStart = 8 + headerLength;
                text.Append(" head=").Append(HashRange(stream, dataStart, SampleBytes));
                text.Append(" tail=").Append(HashRange(stream, Math.Max(dataStart, stream.Length - SampleBytes), SampleBytes));
            }
            text.Append('\n');
        }
        foreach (var name in sampledTensors?.Order(StringComparer.Ordinal) ?? Enumerable.Empty<string>())
        {
            var info = source.TryGetInfo(name)!;
            string file = source is ShardedSafetensors s ? s.ShardPathOf(name) : GemmaCheckpoint.SourcePath(source);
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read);
            long end = info.FileOffset + info.ByteLength;
            text.Append(role).Append(':').Append(name)
                .Append(" head=").Append(HashRange(stream, info.FileOffset, (int)Math.Min(SampleBytes, info.ByteLength)))
                .Append(" tail=").Append(HashRange(stream, Math.Max(info.FileOffset, end - SampleBytes), (int)Math.Min(SampleBytes, info.ByteLength)))
                .Append('\n');
        }
    }

    private static IEnumerable<string> FilesOf(ITensorSource source) => source switch
    {
        ShardedSafetensors s => new[] { s.IndexPath }.Concat(s.Names.Select(s.ShardPathOf).Distinct().Order(StringComparer.Ordinal)),
        _ => [GemmaCheckpoint.SourcePath(source)],
    };

    private static string HashRange(FileStream stream, long offset, int count)
    {
        var buffer = new byte[Math.Max(0, Math.Min(count, stream.Length - offset))];
        stream.Position = offset;
        stream.ReadExactly(buffer);
        return Convert.ToHexString(SHA256.HashData(buffer));
    }

    private static string HashFile(string path)
    {
        if (!File.Exists(path))
            throw new CheckpointFormatException($"'{path}' is missing.", path);
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream));
    }
}
