using System.Text;
using System.Text.Json;
using TorchSharp;

namespace LtxTrainer.Core.Checkpoints;

/// <summary>
/// Writes safetensors files atomically: everything goes to a temporary file beside the target, which
/// is renamed over the target only when complete, so a crash never leaves a half-written file under
/// the final name.
/// </summary>
public static class SafetensorsWriter
{
    /// <summary>Writes the tensors (any device/dtype supported by safetensors) with optional metadata.</summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, torch.Tensor>> tensors,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        var list = tensors.ToList();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, _) in list)
            if (!names.Add(name) || name == "__metadata__")
                throw new ArgumentException($"Tensor name '{name}' is duplicated or reserved.", nameof(tensors));

        var header = new Dictionary<string, object>(StringComparer.Ordinal);
        if (metadata is { Count: > 0 })
            header["__metadata__"] = metadata;
        long offset = 0;
        foreach (var (name, t) in list)
        {
            long bytes = t.NumberOfElements * t.ElementSize;
            header[name] = new Dictionary<string, object>
            {
                ["dtype"] = SafetensorsDType.FromScalarType(t.dtype),
                ["shape"] = t.shape,
                ["data_offsets"] = new[] { offset, offset + bytes },
            };
            offset += bytes;
        }

        var json = JsonSerializer.Serialize(header);
        var headerBytes = Encoding.UTF8.GetBytes(json);
        int pad = (8 - headerBytes.Length % 8) % 8; // keeps the data region 8-byte aligned
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var tmp = full + $".{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                fs.Write(BitConverter.GetBytes((long)(headerBytes.Length + pad)));
                fs.Write(headerBytes);
                for (int i = 0; i < pad; i++) fs.WriteByte((byte)' ');
                foreach (var (_, t) in list)
                    WriteTensorBytes(fs, t);
                fs.Flush(true);
            }
            File.Move(tmp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(tmp); } catch (IOException) { }
            throw;
        }
    }

    private static void WriteTensorBytes(Stream stream, torch.Tensor t)
    {
        if (t.NumberOfElements == 0) return;
        using var cpu = t.detach().cpu().contiguous();
        using var flat = cpu.view(-1);
        long elem = cpu.ElementSize;
        long perChunk = Math.Max(1, (1L << 28) / elem);
        for (long start = 0; start < flat.NumberOfElements; start += perChunk)
        {
            long n = Math.Min(perChunk, flat.NumberOfElements - start);
            using var part = flat.narrow(0, start, n);
            stream.Write(part.bytes);
        }
    }
}
