using System.IO.MemoryMappedFiles;
using System.Text.Json;
using TorchSharp;

namespace LtxTrainer.Core.Checkpoints;

/// <summary>
/// A safetensors file opened for selective reads. Only the JSON header is parsed at open; each
/// <see cref="Load"/> maps and copies just that tensor's byte range, so a 40+ GB unified checkpoint
/// costs memory only for the tensors actually requested.
/// </summary>
public sealed class SafetensorsFile : ITensorSource
{
    private const long MaxHeaderBytes = 256L * 1024 * 1024;
    private readonly Dictionary<string, SafetensorsTensorInfo> _tensors;
    private readonly MemoryMappedFile _map;

    private SafetensorsFile(string path, Dictionary<string, SafetensorsTensorInfo> tensors,
        IReadOnlyDictionary<string, string> metadata, MemoryMappedFile map, long length)
    {
        Path = path;
        _tensors = tensors;
        Metadata = metadata;
        _map = map;
        FileLength = length;
    }

    /// <summary>Full path of the file.</summary>
    public string Path { get; }

    /// <summary>Size of the file in bytes.</summary>
    public long FileLength { get; }

    public IReadOnlyCollection<string> Names => _tensors.Keys;

    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Opens a file and validates its header against the file size.</summary>
    public static SafetensorsFile Open(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new CheckpointFormatException($"Checkpoint file '{full}' does not exist.", full);
        long length = new FileInfo(full).Length;
        if (length < 8)
            throw new CheckpointFormatException($"'{full}' is not a safetensors file: it is only {length} bytes long.", full);

        byte[] headerBytes;
        using (var fs = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read))
        {
            Span<byte> lenBytes = stackalloc byte[8];
            fs.ReadExactly(lenBytes);
            long headerLen = BitConverter.ToInt64(lenBytes);
            if (headerLen <= 1 || headerLen > MaxHeaderBytes || headerLen > length - 8)
                throw new CheckpointFormatException(
                    $"'{full}' has a bad safetensors header: declared header length {headerLen} bytes, file length {length} bytes.", full);
            headerBytes = new byte[headerLen];
            fs.ReadExactly(headerBytes);
        }

        long dataStart = 8 + headerBytes.LongLength;
        var (tensors, metadata) = ParseHeader(headerBytes, full, dataStart, length);
        var map = MemoryMappedFile.CreateFromFile(full, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        return new SafetensorsFile(full, tensors, metadata, map, length);
    }

    private static (Dictionary<string, SafetensorsTensorInfo>, Dictionary<string, string>) ParseHeader(
        byte[] headerBytes, string file, long dataStart, long fileLength)
    {
        using (var doc = CheckpointJson.Parse(headerBytes, $"The safetensors header of '{file}'", file))
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new CheckpointFormatException($"'{file}' has a bad safetensors header: the header is not a JSON object.", file);
            var tensors = new Dictionary<string, SafetensorsTensorInfo>(StringComparer.Ordinal);
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                if (prop.Name == "__metadata__")
                {
                    if (prop.Value.ValueKind == JsonValueKind.Object)
                        foreach (var m in prop.Value.EnumerateObject())
                            metadata[m.Name] = m.Value.ValueKind == JsonValueKind.String ? m.Value.GetString()! : m.Value.GetRawText();
                    continue;
                }
                tensors[prop.Name] = ParseEntry(prop, file, dataStart, fileLength);
            }
            return (tensors, metadata);
        }
    }

    private static SafetensorsTensorInfo ParseEntry(JsonProperty prop, string file, long dataStart, long fileLength)
    {
        try
        {
            var e = prop.Value;
            string dtype = e.GetProperty("dtype").GetString() ?? "";
            long[] shape = e.GetProperty("shape").EnumerateArray().Select(x => x.GetInt64()).ToArray();
            var offsets = e.GetProperty("data_offsets").EnumerateArray().Select(x => x.GetInt64()).ToArray();
            if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0])
                throw new CheckpointFormatException($"Tensor '{prop.Name}' in '{file}' has bad data_offsets.", file, prop.Name);
            if (shape.Any(d => d < 0))
                throw new CheckpointFormatException($"Tensor '{prop.Name}' in '{file}' has a negative dimension.", file, prop.Name);
            long byteLength = offsets[1] - offsets[0];
            int elem = SafetensorsDType.ElementSize(dtype);
            long numel = shape.Aggregate(1L, (a, b) => a * b);
            if (elem > 0 && numel * elem != byteLength)
                throw new CheckpointFormatException(
                    $"Tensor '{prop.Name}' in '{file}' declares shape [{string.Join(", ", shape)}] of {dtype} ({numel * elem} bytes) but spans {byteLength} bytes.",
                    file, prop.Name);
            long absolute = dataStart + offsets[0];
            if (absolute + byteLength > fileLength)
                throw new CheckpointFormatException(
                    $"'{file}' is truncated: tensor '{prop.Name}' ends at byte {absolute + byteLength} but the file has {fileLength} bytes.",
                    file, prop.Name);
            return new SafetensorsTensorInfo(prop.Name, dtype, shape, absolute, byteLength);
        }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new CheckpointFormatException($"Tensor '{prop.Name}' in '{file}' has a malformed header entry ({ex.Message}).", file, prop.Name, ex);
        }
    }

    public SafetensorsTensorInfo? TryGetInfo(string name) => _tensors.GetValueOrDefault(name);

    public torch.Tensor Load(string name, torch.ScalarType? dtype = null, torch.Device? device = null)
    {
        var info = TryGetInfo(name) ?? throw new CheckpointFormatException($"Tensor '{name}' is not in '{Path}'.", Path, name);
        var scalar = SafetensorsDType.ToScalarType(info.DType, name, Path);
        var tensor = torch.empty(info.Shape, scalar);
        CopyInto(info, tensor);
        if ((dtype is null || dtype == scalar) && (device is null || device.type == DeviceType.CPU))
            return tensor;
        using (tensor)
            return tensor.to(dtype ?? scalar, device ?? torch.CPU);
    }

    /// <summary>Largest byte range copied in one go (tests lower it to exercise the chunked path).</summary>
    internal static long CopyChunkBytes { get; set; } = 1L << 30;

    // Copies the tensor's bytes from the mapping straight into the tensor's own memory, in chunks
    // because Span lengths are limited to 2 GiB.
    private unsafe void CopyInto(SafetensorsTensorInfo info, torch.Tensor tensor)
    {
        if (info.ByteLength == 0) return;
        long chunk = CopyChunkBytes;
        using var flat = tensor.view(-1);
        long elem = info.ByteLength / Math.Max(1, info.ElementCount);
        using var view = _map.CreateViewAccessor(info.FileOffset, info.ByteLength, MemoryMappedFileAccess.Read);
        byte* basePtr = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref basePtr);
        try
        {
            byte* src = basePtr + view.PointerOffset;
            for (long done = 0; done < info.ByteLength; done += chunk)
            {
                long n = Math.Min(chunk, info.ByteLength - done);
                using var part = flat.narrow(0, done / elem, n / elem);
                var dst = part.bytes;
                new ReadOnlySpan<byte>(src + done, (int)n).CopyTo(dst);
            }
        }
        finally
        {
            view.SafeMemoryMappedViewHandle.ReleasePointer();
        }
    }

    public void Dispose() => _map.Dispose();
}
