using LtxTrainer.Core.Text;

namespace LtxTrainer.Core.Training;

/// <summary>
/// Everything the loop reads, in memory: the clips' latents and one text context per distinct caption (the
/// connector output does not depend on σ, so it is computed once per caption, never per step).
/// <see cref="Fingerprint"/> identifies what produced them (the preprocessing cache keys), so a checkpoint is
/// only resumed on the same data. Owns its tensors.
/// </summary>
public sealed class TrainingData(IReadOnlyList<TrainingSample> samples, IReadOnlyList<string> captions,
    IReadOnlyList<AudioTextContext> contexts, string fingerprint) : IDisposable
{
    public IReadOnlyList<TrainingSample> Samples { get; } = samples.Count > 0 ? samples : throw new ArgumentException("No training samples.", nameof(samples));

    /// <summary>Distinct captions; <see cref="TrainingSample.CaptionIndex"/> points here and into <see cref="Contexts"/>.</summary>
    public IReadOnlyList<string> Captions { get; } = captions;

    /// <summary>The audio connector's output per caption: context [1, L, D] and mask [1, L].</summary>
    public IReadOnlyList<AudioTextContext> Contexts { get; } = contexts.Count == captions.Count
        ? contexts
        : throw new ArgumentException($"{contexts.Count} contexts for {captions.Count} captions.", nameof(contexts));

    public string Fingerprint { get; } = fingerprint;

    public void Dispose()
    {
        foreach (var s in Samples) s.Tokens.Dispose();
        foreach (var c in Contexts) c.Dispose();
    }
}
