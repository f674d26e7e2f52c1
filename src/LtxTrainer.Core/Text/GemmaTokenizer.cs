using LtxTrainer.Core.Checkpoints;
using Microsoft.ML.Tokenizers;

namespace LtxTrainer.Core.Text;

/// <summary>
/// Gemma's SentencePiece tokenizer with the LTX-2 prompt rules (ltx-core <c>LTXGemmaTokenizer</c>):
/// the prompt is stripped, <c>&lt;bos&gt;</c> is prepended, no <c>&lt;eos&gt;</c>, the ids are truncated to
/// the maximum length (BOS included) and left-padded to exactly that length.
/// </summary>
/// <remarks>
/// Reads <c>tokenizer.model</c>. A folder that only has the HF fast-tokenizer <c>tokenizer.json</c> is
/// rejected with a clear error: Microsoft.ML.Tokenizers 2.0.1 has no reader for that file's
/// SentencePiece-BPE-with-byte-fallback layout, and every published Gemma 3 folder ships
/// <c>tokenizer.model</c> next to it (HF builds the json from that same model).
/// </remarks>
public sealed class GemmaTokenizer
{
    /// <summary>The official maximum length (ltx-core <c>TOKENIZER_MAX_LENGTH</c>).</summary>
    public const int DefaultMaxLength = 1024;

    private readonly SentencePieceTokenizer _spm;

    private GemmaTokenizer(SentencePieceTokenizer spm, string path, int padId)
    {
        _spm = spm;
        ModelPath = path;
        PadId = padId;
    }

    /// <summary>The <c>tokenizer.model</c> this tokenizer was read from.</summary>
    public string ModelPath { get; }

    public int BosId => _spm.BeginningOfSentenceId;

    /// <summary><c>&lt;pad&gt;</c>, or <c>&lt;eos&gt;</c> when the vocabulary has no pad piece (the ltx-core rule).</summary>
    public int PadId { get; }

    /// <summary>Opens <c>tokenizer.model</c> in a Gemma folder (or the file itself).</summary>
    public static GemmaTokenizer Open(string folderOrFile)
    {
        var full = Path.GetFullPath(folderOrFile);
        string model = Directory.Exists(full) ? Path.Combine(full, "tokenizer.model") : full;
        if (!File.Exists(model))
        {
            string folder = Directory.Exists(full) ? full : Path.GetDirectoryName(full)!;
            string json = Path.Combine(folder, "tokenizer.json");
            throw new CheckpointFormatException(File.Exists(json)
                ? $"Gemma tokenizer '{model}' is missing; only '{json}' is present, and the HF fast-tokenizer format is not supported. Copy tokenizer.model from the original Gemma 3 repository into the folder."
                : $"Gemma tokenizer '{model}' is missing.", model);
        }
        SentencePieceTokenizer spm;
        try
        {
            using var stream = File.OpenRead(model);
            spm = SentencePieceTokenizer.Create(stream, false, false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new CheckpointFormatException($"Gemma tokenizer '{model}' could not be read as a SentencePiece model: {ex.Message}", model, inner: ex);
        }
        int padId = spm.Vocabulary.TryGetValue("<pad>", out var p) ? p : spm.EndOfSentenceId;
        return new GemmaTokenizer(spm, model, padId);
    }

    /// <summary>Ids of one stripped prompt with BOS first and no EOS, before truncation.</summary>
    public IReadOnlyList<int> EncodeWithBos(string prompt)
    {
        var ids = _spm.EncodeToIds(prompt.Trim(), addBeginningOfSentence: false, addEndOfSentence: false);
        var result = new List<int>(ids.Count + 1) { BosId };
        result.AddRange(ids);
        return result;
    }

    /// <summary>Tokenizes a batch: truncation to <paramref name="maxLength"/> (reported per prompt), left padding.</summary>
    public TokenizedPrompts Tokenize(IReadOnlyList<string> prompts, int maxLength = DefaultMaxLength)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        if (maxLength < 1) throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, "The maximum length must be positive.");
        int n = prompts.Count;
        var ids = new long[n][];
        var mask = new long[n][];
        var valid = new int[n];
        var truncated = new bool[n];
        for (int b = 0; b < n; b++)
        {
            var tokens = EncodeWithBos(prompts[b] ?? throw new ArgumentException($"Prompt {b} is null.", nameof(prompts)));
            truncated[b] = tokens.Count > maxLength;
            int count = Math.Min(tokens.Count, maxLength);
            valid[b] = count;
            ids[b] = new long[maxLength];
            mask[b] = new long[maxLength];
            int pad = maxLength - count;
            for (int i = 0; i < pad; i++) ids[b][i] = PadId;
            for (int i = 0; i < count; i++)
            {
                ids[b][pad + i] = tokens[i];
                mask[b][pad + i] = 1;
            }
        }
        return new TokenizedPrompts(prompts.ToArray(), maxLength, ids, mask, valid, truncated);
    }
}
