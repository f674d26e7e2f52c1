using LtxTrainer.Core.Checkpoints;
using TorchSharp;

namespace LtxTrainer.Core.Text;

/// <summary>
/// The Gemma 3 text decoder as LTX uses it: the inner model without the LM head, called with the
/// attention mask and returning every hidden state (HF <c>output_hidden_states</c>): the scaled embedding
/// output, the output of each layer but the last, and the last layer's output after the final norm.
/// </summary>
public sealed class Gemma3TextModel : IDisposable
{
    private readonly GemmaCheckpoint _checkpoint;
    private readonly bool _ownsCheckpoint;
    private GemmaLayerWeights[]? _layers;
    private torch.Tensor? _embedding;
    private torch.Tensor? _finalNorm;
    private bool _disposed;

    private Gemma3TextModel(GemmaCheckpoint checkpoint, bool ownsCheckpoint, GemmaLoadMode mode, torch.ScalarType dtype, torch.Device device)
    {
        _checkpoint = checkpoint;
        _ownsCheckpoint = ownsCheckpoint;
        Mode = mode;
        DType = dtype;
        Device = device;
    }

    public Gemma3TextConfig Config => _checkpoint.Config;

    public GemmaLoadMode Mode { get; }

    public torch.ScalarType DType { get; }

    public torch.Device Device { get; }

    /// <summary>Opens a Gemma 3 folder. In <see cref="GemmaLoadMode.Whole"/> mode every layer is read now.</summary>
    public static Gemma3TextModel Load(string folder, GemmaLoadMode mode, torch.ScalarType dtype, torch.Device device,
        IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        var checkpoint = GemmaCheckpoint.Open(folder);
        try
        {
            return Load(checkpoint, ownsCheckpoint: true, mode, dtype, device, progress, cancellationToken);
        }
        catch
        {
            checkpoint.Dispose();
            throw;
        }
    }

    /// <summary>Wraps an open checkpoint (disposed with the model when <paramref name="ownsCheckpoint"/>).</summary>
    public static Gemma3TextModel Load(GemmaCheckpoint checkpoint, bool ownsCheckpoint, GemmaLoadMode mode, torch.ScalarType dtype,
        torch.Device device, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        if (mode == GemmaLoadMode.Auto)
            throw new ArgumentException("Resolve Auto to Whole or Streamed first (GemmaMemoryPlan.Resolve).", nameof(mode));
        var model = new Gemma3TextModel(checkpoint, ownsCheckpoint, mode, dtype, device);
        if (mode == GemmaLoadMode.Whole)
        {
            try
            {
                model.LoadResident(progress, cancellationToken);
            }
            catch
            {
                model.Dispose();
                throw;
            }
        }
        return model;
    }

    private void LoadResident(IProgress<double>? progress, CancellationToken ct)
    {
        int n = Config.NumHiddenLayers;
        _embedding = LoadEmbeddingTable();
        _finalNorm = LoadFinalNorm();
        _layers = new GemmaLayerWeights[n];
        for (int i = 0; i < n; i++)
        {
            ct.ThrowIfCancellationRequested();
            _layers[i] = GemmaLayerWeights.Load(_checkpoint, i, DType, Device);
            progress?.Report((i + 1.0) / n);
        }
    }

    // The embedding stays in its stored dtype when that is the narrower one (bf16 files computed in float32):
    // converting the gathered rows gives the same values as converting the table, and the 12B table is
    // 2 GB in bf16 but 4 GB in float32.
    private torch.Tensor LoadEmbeddingTable() => _checkpoint.Load(EmbeddingName, EmbeddingDType(_checkpoint, DType), Device);

    private const string EmbeddingName = "embed_tokens.weight";

    /// <summary>The dtype the resident embedding table is held in: the stored one when it is the narrower.</summary>
    internal static torch.ScalarType EmbeddingDType(GemmaCheckpoint checkpoint, torch.ScalarType compute)
    {
        var info = checkpoint.Info(EmbeddingName);
        var stored = SafetensorsDType.ToScalarType(info.DType, info.Name, checkpoint.FileOf(EmbeddingName));
        return GemmaMemoryPlan.ElementSize(stored) <= GemmaMemoryPlan.ElementSize(compute) ? stored : compute;
    }

    /// <summary>Bytes of the weights held resident (0 in streamed mode).</summary>
    internal long ResidentBytes =>
        (_layers?.Sum(l => l.ByteSize) ?? 0)
        + (_embedding is null ? 0 : _embedding.NumberOfElements * _embedding.ElementSize)
        + (_finalNorm is null ? 0 : _finalNorm.NumberOfElements * _finalNorm.ElementSize);

    private torch.Tensor LoadFinalNorm()
    {
        using var w = _checkpoint.Load("norm.weight", torch.float32, Device);
        return w + 1.0f;
    }

    /// <summary>
    /// Runs the decoder. <paramref name="inputIds"/> and <paramref name="attentionMask"/> are int64 [B, L].
    /// Returns [num_layers + 1, B, L, hidden] in the model dtype on the model device; positions where the
    /// mask is 0 hold implementation-defined values.
    /// </summary>
    public torch.Tensor Forward(torch.Tensor inputIds, torch.Tensor attentionMask, CancellationToken cancellationToken = default)
    {
        var c = Config;
        var states = torch.empty([c.HiddenStateCount, inputIds.shape[0], inputIds.shape[1], c.HiddenSize], DType, Device);
        try
        {
            ForwardStates([(inputIds, attentionMask)], (_, index, state) =>
            {
                using var slot = states[index];
                slot.copy_(state);
            }, cancellationToken);
            return states;
        }
        catch
        {
            states.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs several batches through the decoder layer by layer, so that in streamed mode each layer is read
    /// once for all of them. <paramref name="onState"/>(batch, state index, state [B, L, hidden]) sees every
    /// hidden state in order 0..num_layers (the last one after the final norm); the tensor is only valid
    /// during the call. Only one residual stream per batch is kept, never the stack of all states.
    /// </summary>
    public void ForwardStates(IReadOnlyList<(torch.Tensor InputIds, torch.Tensor AttentionMask)> batches,
        Action<int, int, torch.Tensor> onState, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var c = Config;
        using var scope = torch.NewDisposeScope();
        var streams = new torch.Tensor[batches.Count];
        var masks = new Dictionary<Gemma3LayerType, torch.Tensor>[batches.Count];
        var ropes = new Dictionary<(Gemma3LayerType, long), GemmaRotaryTables>();
        try
        {
            for (int k = 0; k < batches.Count; k++)
            {
                var (ids, attentionMask) = batches[k];
                var mask = attentionMask.to(Device);
                masks[k] = new()
                {
                    [Gemma3LayerType.FullAttention] = GemmaAttentionMask.Create(mask, null, DType),
                    [Gemma3LayerType.SlidingAttention] = GemmaAttentionMask.Create(mask, c.SlidingWindow, DType),
                };
                long length = ids.shape[1];
                foreach (var type in new[] { Gemma3LayerType.FullAttention, Gemma3LayerType.SlidingAttention })
                    if (!ropes.ContainsKey((type, length)))
                        ropes[(type, length)] = GemmaRotaryTables.Create(c.Rope(type), c.HeadDim, (int)length, Device);
                streams[k] = Embed(ids);
                onState(k, 0, streams[k]);
            }
            for (int i = 0; i < c.NumHiddenLayers; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var type = c.LayerTypes[i];
                var weights = _layers?[i] ?? GemmaLayerWeights.Load(_checkpoint, i, DType, Device);
                try
                {
                    for (int k = 0; k < batches.Count; k++)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        using var layerScope = torch.NewDisposeScope();
                        var rope = ropes[(type, streams[k].shape[1])];
                        var next = GemmaDecoderLayer.Forward(streams[k], weights, c, rope, masks[k][type]).MoveToOuterDisposeScope();
                        streams[k].Dispose(); // one residual stream per batch, not one per layer
                        streams[k] = next;
                        if (i < c.NumHiddenLayers - 1) onState(k, i + 1, next);
                    }
                }
                finally
                {
                    if (_layers is null) weights.Dispose();
                }
            }
            var norm = _finalNorm ?? LoadFinalNorm();
            try
            {
                for (int k = 0; k < batches.Count; k++)
                {
                    using var last = GemmaRmsNorm.Apply(streams[k], norm, c.RmsNormEps);
                    onState(k, c.NumHiddenLayers, last);
                }
            }
            finally
            {
                if (_finalNorm is null) norm.Dispose();
            }
        }
        finally
        {
            foreach (var r in ropes.Values) r.Dispose();
        }
    }

    // x0 = E[ids] · sqrt(hidden), the scale rounded to the weight dtype first (bf16 turns sqrt(3840) into 62).
    private torch.Tensor Embed(torch.Tensor inputIds)
    {
        long b = inputIds.shape[0], l = inputIds.shape[1];
        torch.Tensor rows;
        if (_embedding is not null)
        {
            using var flat = inputIds.reshape(-1).to(Device);
            using var gathered = _embedding.index_select(0, flat);
            rows = gathered.to(DType);
        }
        else
        {
            using var cpu = inputIds.reshape(-1).cpu();
            rows = GemmaEmbeddingRows.Read(_checkpoint, cpu.data<long>().ToArray(), DType, Device);
        }
        using (rows)
        using (var scale = torch.tensor((float)Math.Sqrt(Config.HiddenSize), torch.float32).to(DType).to(Device))
            return (rows * scale).view(b, l, Config.HiddenSize);
    }

    /// <summary>Frees every resident weight and the file mappings, and returns the freed heap to the OS.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (_layers is not null)
            foreach (var layer in _layers) layer?.Dispose();
        _layers = null;
        _embedding?.Dispose();
        _finalNorm?.Dispose();
        if (_ownsCheckpoint) _checkpoint.Dispose();
        NativeHeap.Trim();
    }
}
