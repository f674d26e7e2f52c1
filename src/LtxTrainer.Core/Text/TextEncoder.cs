using LtxTrainer.Core.Checkpoints;
using TorchSharp;

namespace LtxTrainer.Core.Text;

/// <summary>
/// The text path up to the feature extractor: tokenizer → Gemma 3 (all hidden states) → LTX feature
/// extractor, giving one <see cref="CaptionEmbedding"/> per caption. Disposing it releases Gemma and the
/// projections (device memory included); do that before training starts. Use
/// <see cref="CaptionEmbeddingCache.EncodeMissing(LtxTrainer.Core.Dataset.AudioSuffixDataset, Func{TextEncoder}, IProgress{TextEncodingProgress}?, CancellationToken)"/>
/// (or <see cref="CaptionEmbeddingCache.GetOrEncode"/>) so Gemma is only opened for captions not yet cached.
/// </summary>
public sealed class TextEncoder : IDisposable
{
    private readonly GemmaTokenizer _tokenizer;
    private readonly Gemma3TextModel _gemma;
    private readonly ITextFeatureExtractor _extractor;
    private bool _disposed;

    private TextEncoder(GemmaTokenizer tokenizer, Gemma3TextModel gemma, ITextFeatureExtractor extractor, TextEncoderOptions options)
    {
        _tokenizer = tokenizer;
        _gemma = gemma;
        _extractor = extractor;
        Options = options;
    }

    public TextEncoderOptions Options { get; }

    /// <summary>How Gemma is held: <see cref="TextEncoderOptions.Mode"/>, with Auto resolved from the memory available at open.</summary>
    public GemmaLoadMode Mode => _gemma.Mode;

    /// <summary>"V2" (LTX-2.3) or "V1" (LTX-2).</summary>
    public string FeatureExtractorVariant => _extractor.Variant;

    public int AudioDim => _extractor.AudioDim;

    /// <summary>
    /// Opens the tokenizer and Gemma from <paramref name="gemmaFolder"/> and the feature-extractor projection
    /// from <paramref name="ltxCheckpoint"/> (the unified LTX file; only <c>text_embedding_projection.*</c> is read).
    /// </summary>
    public static TextEncoder Open(string gemmaFolder, string ltxCheckpoint, TextEncoderOptions? options = null,
        IProgress<double>? loadProgress = null, CancellationToken cancellationToken = default)
    {
        options ??= new TextEncoderOptions();
        options.Validate();
        // Everything that can be checked from headers and small files is checked before the Gemma weights load.
        var tokenizer = GemmaTokenizer.Open(gemmaFolder);
        var checkpoint = GemmaCheckpoint.Open(gemmaFolder);
        ITextFeatureExtractor? extractor = null;
        try
        {
            using (var heads = TensorSources.Open(ltxCheckpoint))
                extractor = TextFeatureExtractors.Load(heads, checkpoint.Config, options.IncludeVideo, options.ResolvedDType, options.ResolvedDevice);
            var mode = GemmaMemoryPlan.Resolve(options.Mode, checkpoint.Config, Gemma3TextModel.EmbeddingDType(checkpoint, options.ResolvedDType),
                options, GemmaMemoryPlan.AvailableBytes(options.ResolvedDevice));
            var gemma = Gemma3TextModel.Load(checkpoint, ownsCheckpoint: true, mode, options.ResolvedDType, options.ResolvedDevice,
                loadProgress, cancellationToken);
            return new TextEncoder(tokenizer, gemma, extractor, options);
        }
        catch
        {
            extractor?.Dispose();
            checkpoint.Dispose();
            throw;
        }
    }

    /// <summary>Tokenizes with this encoder's rules (for inspection and tests).</summary>
    public TokenizedPrompts Tokenize(IReadOnlyList<string> captions) => _tokenizer.Tokenize(captions, Options.MaxLength);

    /// <summary>
    /// Encodes captions: passes of <see cref="TextEncoderOptions.CaptionsPerPass"/> prompts go through Gemma
    /// layer by layer in batches of <see cref="TextEncoderOptions.BatchSize"/>. Truncations are reported as warnings.
    /// </summary>
    public IReadOnlyList<CaptionEmbedding> Encode(IReadOnlyList<string> captions, IProgress<TextEncodingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(captions);
        var result = new List<CaptionEmbedding>(captions.Count);
        try
        {
            for (int start = 0; start < captions.Count; start += Options.CaptionsPerPass)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var pass = captions.Skip(start).Take(Options.CaptionsPerPass).ToArray();
                var batches = pass.Chunk(Options.BatchSize).Select(Tokenize).ToArray();
                int index = start;
                foreach (var tokens in batches)
                    for (int i = 0; i < tokens.Count; i++, index++)
                        if (tokens.Truncated[i])
                            progress?.Report(new TextEncodingProgress(start, captions.Count,
                                $"Caption {index} is longer than {Options.MaxLength} tokens and was truncated: \"{Shorten(tokens.Prompts[i])}\""));
                result.AddRange(EncodePass(batches, cancellationToken));
                progress?.Report(new TextEncodingProgress(start + pass.Length, captions.Count));
            }
            return result;
        }
        catch
        {
            foreach (var e in result) e.Dispose();
            throw;
        }
    }

    private List<CaptionEmbedding> EncodePass(TokenizedPrompts[] batches, CancellationToken ct)
    {
        using var scope = torch.NewDisposeScope();
        var device = Options.ResolvedDevice;
        var inputs = batches.Select(t => (t.InputIdsTensor(device), t.AttentionMaskTensor(device))).ToArray();
        var accumulators = inputs.Select(i => _extractor.Begin(i.Item2)).ToArray();
        try
        {
            _gemma.ForwardStates(inputs, (k, index, state) => accumulators[k].Add(index, state), ct);
            var list = new List<CaptionEmbedding>();
            for (int k = 0; k < batches.Length; k++)
            {
                using var features = accumulators[k].Finish();
                var audio = features.Audio.to(torch.float32).cpu();
                var mask = inputs[k].Item2.cpu();
                for (int i = 0; i < batches[k].Count; i++)
                    list.Add(new CaptionEmbedding(batches[k].Prompts[i], audio[i].clone().DetachFromDisposeScope(),
                        mask[i].clone().DetachFromDisposeScope(), batches[k].Truncated[i]));
            }
            return list;
        }
        finally
        {
            foreach (var a in accumulators) a.Dispose();
        }
    }

    private static string Shorten(string s) => s.Length <= 60 ? s : s[..57] + "...";

    /// <summary>Releases Gemma and the projections.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _extractor.Dispose();
        _gemma.Dispose(); // last: it also returns the freed native heap to the OS
    }
}
