using LtxTrainer.Core.Checkpoints;
using LtxTrainer.Core.Model.Connector;
using TorchSharp;

namespace LtxTrainer.Core.Text;

/// <summary>
/// The last stage of the text path (ltx_core/text_encoders/gemma/embeddings_processor.py): builds the
/// <see cref="AudioTextContext"/> the audio transformer attends to from caption embeddings (feature-extractor output,
/// e.g. from <see cref="CaptionEmbeddingCache"/>). It loads the connector network
/// (<see cref="AudioEmbeddingsConnector"/>) from the LTX checkpoint and runs it frozen, without grad, in the chosen
/// dtype and device, handing back float32. The connector has no sigma dependence, so a caption's context can be
/// computed once before training.
/// </summary>
public sealed class AudioTextContextBuilder : IDisposable
{
    private readonly AudioEmbeddingsConnector _connector;

    private AudioTextContextBuilder(AudioEmbeddingsConnector connector, torch.ScalarType dtype, torch.Device device)
    {
        _connector = connector;
        DType = dtype;
        Device = device;
    }

    public torch.ScalarType DType { get; }

    public torch.Device Device { get; }

    /// <summary>Width of the context (audio connector heads × head dim).</summary>
    public int InnerDim => _connector.Config.InnerDim;

    /// <summary>Loads the connector weights (only <c>model.diffusion_model.audio_embeddings_connector.*</c> is read).</summary>
    public static AudioTextContextBuilder Load(LtxCheckpoint checkpoint, torch.ScalarType dtype, torch.Device? device = null)
    {
        device ??= torch.CPU;
        return new AudioTextContextBuilder(AudioEmbeddingsConnector.Load(checkpoint, dtype, device), dtype, device);
    }

    /// <summary>Opens an LTX checkpoint just long enough to load the connector.</summary>
    public static AudioTextContextBuilder Open(string ltxCheckpoint, torch.ScalarType dtype, torch.Device? device = null)
    {
        using var checkpoint = LtxCheckpoint.Open(ltxCheckpoint);
        return Load(checkpoint, dtype, device);
    }

    /// <summary>Runs the connector over a batch of caption embeddings (all of the same length). The context is float32.</summary>
    public AudioTextContext Apply(IReadOnlyList<CaptionEmbedding> embeddings)
    {
        if (embeddings.Count == 0) throw new ArgumentException("No caption embeddings given.", nameof(embeddings));
        // No dispose scope here: the context Apply returns must outlive this call.
        using var features = torch.stack(embeddings.Select(e => e.AudioFeatures).ToArray());
        using var mask = torch.stack(embeddings.Select(e => e.AttentionMask).ToArray());
        return Apply(features, mask);
    }

    /// <summary>Runs the connector over features [B, L, D] with the tokenizer mask [B, L].</summary>
    public AudioTextContext Apply(torch.Tensor features, torch.Tensor attentionMask)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var context = _connector.Forward(features.to(DType, Device), attentionMask.to(Device)).to(torch.float32);
        var mask = torch.ones(attentionMask.shape, torch.int64, attentionMask.device);
        return new AudioTextContext(context.MoveToOuterDisposeScope(), mask.MoveToOuterDisposeScope());
    }

    public void Dispose() => _connector.Dispose();
}
