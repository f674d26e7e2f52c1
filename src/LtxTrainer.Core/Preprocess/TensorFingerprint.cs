using System.Security.Cryptography;
using System.Text;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Preprocess;

/// <summary>
/// SHA-256 over named tensors' names, dtypes, shapes and bytes: the identity of loaded weights, independent of
/// where the file lies or how it is packed (unified file, split pack, shards). Used to key cached outputs by
/// the exact model that produced them.
/// </summary>
public static class TensorFingerprint
{
    /// <summary>Hex SHA-256 of <paramref name="tensors"/> in the given order, prefixed by <paramref name="label"/>.</summary>
    public static string Of(string label, IEnumerable<(string Name, Tensor Tensor)> tensors)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(label + "\n"));
        foreach (var (name, t) in tensors)
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"{name} {t.dtype} [{string.Join(",", t.shape)}]\n"));
            using var cpu = t.detach().cpu().contiguous();
            if (cpu.NumberOfElements > 0) hash.AppendData(cpu.bytes);
        }
        return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }

    /// <summary>Hex SHA-256 of a file's bytes.</summary>
    public static string OfFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        return Convert.ToHexString(SHA256.HashData(stream)).ToLowerInvariant();
    }

    /// <summary>Hex SHA-256 of text (UTF-8).</summary>
    public static string OfText(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();
}
