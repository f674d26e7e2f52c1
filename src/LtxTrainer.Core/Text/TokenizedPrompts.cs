using TorchSharp;

namespace LtxTrainer.Core.Text;

/// <summary>
/// A batch of prompts tokenized the LTX way: each row exactly <see cref="MaxLength"/> ids, left-padded,
/// with the attention mask (1 = token, 0 = padding).
/// </summary>
public sealed record TokenizedPrompts(
    IReadOnlyList<string> Prompts,
    int MaxLength,
    long[][] InputIds,
    long[][] AttentionMask,
    int[] ValidCounts,
    bool[] Truncated)
{
    public int Count => Prompts.Count;

    /// <summary>Input ids as an int64 tensor [B, L].</summary>
    public torch.Tensor InputIdsTensor(torch.Device? device = null) => Stack(InputIds, device);

    /// <summary>Attention mask as an int64 tensor [B, L].</summary>
    public torch.Tensor AttentionMaskTensor(torch.Device? device = null) => Stack(AttentionMask, device);

    private torch.Tensor Stack(long[][] rows, torch.Device? device)
    {
        var flat = new long[rows.Length * MaxLength];
        for (int i = 0; i < rows.Length; i++) rows[i].CopyTo(flat, i * MaxLength);
        var t = torch.tensor(flat, new long[] { rows.Length, MaxLength }, torch.int64);
        if (device is null || device.type == DeviceType.CPU) return t;
        using (t) return t.to(device);
    }
}
