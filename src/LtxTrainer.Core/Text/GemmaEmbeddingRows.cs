using LtxTrainer.Core.Checkpoints;
using TorchSharp;

namespace LtxTrainer.Core.Text;

/// <summary>
/// Reads only the embedding rows a batch needs straight from the weights file. The Gemma 3 12B
/// embedding (262208 × 3840, 2 GB in bf16) is larger than four decoder layers, so streamed encoding would
/// otherwise peak at the embedding instead of at one layer.
/// </summary>
public static class GemmaEmbeddingRows
{
    /// <summary>Rows <paramref name="ids"/> of <c>embed_tokens.weight</c> as [ids.Length, hidden] in <paramref name="dtype"/>.</summary>
    public static torch.Tensor Read(GemmaCheckpoint checkpoint, IReadOnlyList<long> ids, torch.ScalarType dtype, torch.Device device)
    {
        const string name = "embed_tokens.weight";
        var info = checkpoint.Info(name);
        string file = checkpoint.FileOf(name);
        var fileType = SafetensorsDType.ToScalarType(info.DType, info.Name, file);
        long rows = info.Shape[0], hidden = info.Shape[1];
        long rowBytes = info.ByteLength / rows;
        var distinct = ids.Distinct().Order().ToArray();
        var position = new Dictionary<long, long>(distinct.Length);
        using var table = torch.empty(distinct.Length, hidden, fileType);
        using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.RandomAccess))
        {
            var bytes = table.bytes; // the tensor's own memory
            for (int r = 0; r < distinct.Length; r++)
            {
                long id = distinct[r];
                if (id < 0 || id >= rows)
                    throw new ArgumentOutOfRangeException(nameof(ids), id, $"Token id {id} is outside the {rows}-row embedding of '{file}'.");
                position[id] = r;
                stream.Position = info.FileOffset + id * rowBytes;
                stream.ReadExactly(bytes.Slice((int)(r * rowBytes), (int)rowBytes));
            }
        }
        using var index = torch.tensor(ids.Select(id => position[id]).ToArray(), torch.int64);
        using var gathered = table.index_select(0, index);
        return gathered.to(dtype, device);
    }
}
