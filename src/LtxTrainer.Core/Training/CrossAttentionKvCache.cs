using LtxTrainer.Core.Model.Common;
using LtxTrainer.Core.Model.Transformer;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Training;

/// <summary>
/// Keeps every block's cross-attention base key and value projections per distinct text context (caption), so a
/// training step computes them once per caption instead of every step: the base weights are frozen and the
/// context of a caption never changes. Only the frozen <c>W·c + b</c> is kept; the LoRA updates of <c>to_k</c>/<c>to_v</c>
/// depend on the trained factors and are computed each step (<see cref="Model.Lora.LoraLinear.AddAdapter"/>).
/// A context is recognised by its values (exact equality), so callers need no caption ids; a caption that would take
/// the cache past its byte budget is not kept, and a batch holding one runs uncached.
/// </summary>
public sealed class CrossAttentionKvCache : IDisposable
{
    private readonly AudioTransformer _model;
    private readonly long _budgetBytes;
    private readonly List<(Tensor Context, IReadOnlyList<BaseKeyValue> Kv)> _entries = [];

    public CrossAttentionKvCache(AudioTransformer model, long budgetBytes)
    {
        if (!model.CanKeepCrossAttentionKv)
            throw new ArgumentException("The model modulates its text context by σ (prompt AdaLN); its cross-attention key and value cannot be kept.", nameof(model));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(budgetBytes);
        _model = model;
        _budgetBytes = budgetBytes;
    }

    /// <summary>Bytes held (contexts and projections).</summary>
    public long Bytes { get; private set; }

    /// <summary>Distinct contexts held.</summary>
    public int Count => _entries.Count;

    /// <summary>
    /// The per-block base key and value projections [B, S, inner] of <paramref name="context"/> [B, S, D_ctx], computing and
    /// keeping those of a context not seen before; null when one does not fit the budget.
    /// </summary>
    public IReadOnlyList<BaseKeyValue>? Lookup(Tensor context)
    {
        long b = context.shape[0];
        var rows = new List<IReadOnlyList<BaseKeyValue>>((int)b);
        for (long i = 0; i < b; i++)
        {
            var kv = Find(context[i]) ?? Add(context[i]);
            if (kv is null) return null;
            rows.Add(kv);
        }
        using var scope = NewDisposeScope();
        var blocks = Enumerable.Range(0, rows[0].Count).Select(block =>
        {
            // One caption for the whole batch (the usual case) needs no copy: a broadcast view.
            Tensor Join(Func<BaseKeyValue, Tensor> part) => rows.All(r => ReferenceEquals(r, rows[0]))
                ? part(rows[0][block]).expand(b, -1, -1)
                : cat(rows.Select(r => part(r[block])).ToArray(), 0);
            return new BaseKeyValue(Join(kv => kv.Key).MoveToOuterDisposeScope(), Join(kv => kv.Value).MoveToOuterDisposeScope());
        }).ToList();
        return blocks;
    }

    private IReadOnlyList<BaseKeyValue>? Find(Tensor row)
    {
        using var scope = NewDisposeScope();
        foreach (var (ctx, kv) in _entries)
            if (ctx.shape.SequenceEqual(row.shape) && ctx.dtype == row.dtype && ctx.equal(row).all().item<bool>())
                return kv;
        return null;
    }

    private IReadOnlyList<BaseKeyValue>? Add(Tensor row)
    {
        long inner = _model.Config.AudioInnerDim;
        long bytes = row.NumberOfElements * row.ElementSize
            + 2L * _model.Config.NumLayers * row.shape[0] * inner * row.ElementSize;
        if (Bytes + bytes > _budgetBytes) return null;
        var context = row.detach().clone();
        context.DetachFromDisposeScope();
        var kv = _model.CrossAttentionBaseKeyValues(context.unsqueeze(0));
        foreach (var pair in kv)
        {
            pair.Key.DetachFromDisposeScope();
            pair.Value.DetachFromDisposeScope();
        }
        _entries.Add((context, kv));
        Bytes += bytes;
        return kv;
    }

    public void Dispose()
    {
        foreach (var (ctx, kv) in _entries)
        {
            ctx.Dispose();
            foreach (var pair in kv)
            {
                pair.Key.Dispose();
                pair.Value.Dispose();
            }
        }
        _entries.Clear();
        Bytes = 0;
    }
}
