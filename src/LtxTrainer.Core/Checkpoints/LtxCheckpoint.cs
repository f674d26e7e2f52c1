using TorchSharp;

namespace LtxTrainer.Core.Checkpoints;

/// <summary>
/// An opened LTX checkpoint (unified file, or a split transformer file whose config has only the
/// <c>transformer</c> section): its parsed transformer config, variant and tensors. Nothing but the
/// header is read until a model asks for its weights.
/// </summary>
public sealed class LtxCheckpoint : IDisposable
{
    private LtxCheckpoint(ITensorSource source, string path, LtxTransformerConfig config, bool isSplit, string? modelVersion)
    {
        Source = source;
        Path = path;
        Config = config;
        IsSplitTransformer = isSplit;
        ModelVersion = modelVersion;
    }

    public ITensorSource Source { get; }
    public string Path { get; }
    public LtxTransformerConfig Config { get; }
    public LtxModelVariant Variant => Config.Variant;

    /// <summary>True when the config lacks the <c>vae</c>, <c>audio_vae</c> and <c>vocoder</c> sections
    /// (ltx_trainer/model_loader.py, <c>is_split_transformer</c>).</summary>
    public bool IsSplitTransformer { get; }

    /// <summary><c>model_version</c> from the metadata (e.g. "2.3.0"), when present.</summary>
    public string? ModelVersion { get; }

    /// <summary>Opens a checkpoint file, index or folder and parses <c>config.transformer</c>.</summary>
    public static LtxCheckpoint Open(string path)
    {
        var source = TensorSources.Open(path);
        try
        {
            return FromSource(source, path);
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    /// <summary>Wraps an already opened source (which this object then owns).</summary>
    public static LtxCheckpoint FromSource(ITensorSource source, string description)
    {
        using var doc = CheckpointMetadata.ReadConfig(source, description);
        var config = LtxTransformerConfig.Parse(CheckpointMetadata.RequiredSection(doc, "transformer", description, file: description), description);
        bool split = CheckpointMetadata.Section(doc, "vae") is null
                     && CheckpointMetadata.Section(doc, "audio_vae") is null
                     && CheckpointMetadata.Section(doc, "vocoder") is null;
        return new LtxCheckpoint(source, description, config, split, CheckpointMetadata.ModelVersion(source));
    }

    /// <summary>Weights under <c>model.diffusion_model.</c> (transformer and 2.3 connectors).</summary>
    public CheckpointWeightSource TransformerWeights(torch.ScalarType dtype, torch.Device? device = null) =>
        new(Source, LtxCheckpointKeys.Transformer, dtype, device ?? torch.CPU, Path);

    /// <summary>Weights of the audio text connector.</summary>
    public CheckpointWeightSource AudioConnectorWeights(torch.ScalarType dtype, torch.Device? device = null) =>
        new(Source, LtxCheckpointKeys.AudioConnector, dtype, device ?? torch.CPU, Path);

    /// <summary>File keys the audio-only transformer reads (ltx_core/model/transformer/model_configurator.py), for
    /// listing and size estimates.</summary>
    public IEnumerable<string> AudioTransformerKeys() =>
        Source.Names.Where(k => LtxCheckpointKeys.IsAudioTransformerKey(k, Variant)).Order(StringComparer.Ordinal);

    public void Dispose() => Source.Dispose();
}
