namespace LtxTrainer.Core.Checkpoints;

/// <summary>One tensor entry of a safetensors header. Offsets are absolute file offsets.</summary>
public sealed record SafetensorsTensorInfo(string Name, string DType, long[] Shape, long FileOffset, long ByteLength)
{
    /// <summary>Number of elements (1 for a scalar).</summary>
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);
}
