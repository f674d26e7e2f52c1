using LtxTrainer.Core.Text;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Sampling;

/// <summary>
/// Prompts → transformer text contexts for a generation session. A prompt is encoded once: its caption
/// embedding comes from the on-disk <see cref="CaptionEmbeddingCache"/> when there is one (Gemma is opened only
/// for prompts it lacks, and released right after), else from the text encoder directly; its connector output
/// is then kept in memory for every later generation. Embeddings can be made before the audio models load
/// (<see cref="EnsureEncoded"/>), so Gemma and the transformer are never in memory together.
/// </summary>
public sealed class PromptContextCache : IDisposable
{
    private readonly CaptionEmbeddingCache? _disk;
    private readonly Func<TextEncoder>? _openEncoder;
    private readonly Dictionary<string, CaptionEmbedding> _embeddings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Tensor> _contexts = new(StringComparer.Ordinal);

    /// <param name="diskCache">Caption embeddings on disk, shared with training; null keeps them in memory only.</param>
    /// <param name="openEncoder">Opens the text encoder for prompts not encoded yet; null when every prompt is known to be cached.</param>
    public PromptContextCache(CaptionEmbeddingCache? diskCache, Func<TextEncoder>? openEncoder)
    {
        _disk = diskCache;
        _openEncoder = openEncoder;
    }

    /// <summary>How many times the text encoder was opened (each opening loads Gemma).</summary>
    public int EncoderOpenings { get; private set; }

    /// <summary>Makes sure every prompt has a caption embedding, opening the text encoder at most once.</summary>
    /// <returns>How many prompts were encoded now.</returns>
    public int EnsureEncoded(IEnumerable<string> prompts, IProgress<TextEncodingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var missing = prompts.Distinct(StringComparer.Ordinal).Where(p => !_embeddings.ContainsKey(p)).ToArray();
        if (missing.Length == 0) return 0;
        cancellationToken.ThrowIfCancellationRequested();
        var open = _openEncoder is null ? (Func<TextEncoder>)NoEncoder(missing) : CountedOpen;
        IReadOnlyList<CaptionEmbedding> encoded;
        if (_disk is not null)
        {
            encoded = _disk.GetOrEncode(missing, open, progress, cancellationToken);
        }
        else
        {
            using var encoder = open();
            encoded = encoder.Encode(missing, progress, cancellationToken);
        }
        for (int i = 0; i < missing.Length; i++)
        {
            // Kept for the session: a caller's dispose scope must not free them when it ends.
            encoded[i].AudioFeatures.DetachFromDisposeScope();
            encoded[i].AttentionMask.DetachFromDisposeScope();
            _embeddings[missing[i]] = encoded[i];
        }
        return missing.Length;
    }

    /// <summary>
    /// The context [1, S, D] (float32) of an encoded prompt, run through <paramref name="connector"/> the first
    /// time and kept. Owned by this cache.
    /// </summary>
    public Tensor Context(string prompt, AudioTextContextBuilder connector)
    {
        if (_contexts.TryGetValue(prompt, out var known)) return known;
        if (!_embeddings.TryGetValue(prompt, out var embedding))
            throw new InvalidOperationException($"Prompt \"{prompt}\" is not encoded yet; call EnsureEncoded first.");
        using var context = connector.Apply([embedding]);
        var kept = context.Context.alias().DetachFromDisposeScope();
        _contexts[prompt] = kept;
        return kept;
    }

    private TextEncoder CountedOpen()
    {
        EncoderOpenings++;
        return _openEncoder!();
    }

    private static Func<TextEncoder> NoEncoder(IReadOnlyList<string> missing) => () =>
        throw new InvalidOperationException($"No text encoder is available to encode the prompt \"{missing[0]}\" (give the Gemma folder).");

    public void Dispose()
    {
        foreach (var e in _embeddings.Values) e.Dispose();
        foreach (var c in _contexts.Values) c.Dispose();
        _embeddings.Clear();
        _contexts.Clear();
    }
}
