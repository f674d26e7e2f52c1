using LtxTrainer.Core.Checkpoints;
using Microsoft.ML.Tokenizers;

namespace LtxTrainer.Core.Text;

/// <summary>
/// Gemma's SentencePiece tokenizer with the LTX-2 prompt rules (ltx-core <c>LTXGemmaTokenizer</c>):
/// the prompt is stripped, <c>&lt;bos&gt;</c> is prepended, no <c>&lt;eos&gt;</c>, the ids are truncated to
/// the maximum length (BOS included) and left-padded to exactly that length.
/// </summary>
/// <remarks>
/// Reads <c>tokenizer.model</c> when the folder has it, else the HF fast-tokenizer <c>tokenizer.json</c> (what
/// LTX itself loads; HF builds it from that same SentencePiece model), rebuilt into the SentencePiece model by
/// <see cref="HfTokenizerJson"/>, so both files go through one tokenizer and give the same ids.
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

    /// <summary>The <c>tokenizer.model</c> or <c>tokenizer.json</c> this tokenizer was read from.</summary>
    public string ModelPath { get; }

    public int BosId => _spm.BeginningOfSentenceId;

    /// <summary>Pieces in the vocabulary (ids run from 0 to this − 1); the embedding table must have at least as many rows.</summary>
    public int VocabularySize => _spm.Vocabulary.Count;

    /// <summary><c>&lt;pad&gt;</c>, or <c>&lt;eos&gt;</c> when the vocabulary has no pad piece (the ltx-core rule).</summary>
    public int PadId { get; }

    /// <summary>Opens the tokenizer of a Gemma folder (<c>tokenizer.model</c>, else <c>tokenizer.json</c>) or one of those files.</summary>
    public static GemmaTokenizer Open(string folderOrFile)
    {
        string model = FileOf(folderOrFile);
        bool json = model.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
        SentencePieceTokenizer spm;
        try
        {
            using Stream stream = json ? new MemoryStream(HfTokenizerJson.ToSentencePieceModel(model)) : File.OpenRead(model);
            spm = SentencePieceTokenizer.Create(stream, false, false);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or CheckpointFormatException))
        {
            throw new CheckpointFormatException($"Gemma tokenizer '{model}' could not be read as a SentencePiece model: {ex.Message}", model, inner: ex);
        }
        int padId = spm.Vocabulary.TryGetValue("<pad>", out var p) ? p : spm.EndOfSentenceId;
        return new GemmaTokenizer(spm, model, padId);
    }

    /// <summary>The tokenizer file <see cref="Open"/> reads for a folder or file; throws naming it when missing.</summary>
    internal static string FileOf(string folderOrFile)
    {
        var full = Path.GetFullPath(folderOrFile);
        if (!Directory.Exists(full))
            return File.Exists(full) ? full : throw new CheckpointFormatException($"Gemma tokenizer '{full}' is missing.", full);
        string model = Path.Combine(full, "tokenizer.model"), json = Path.Combine(full, "tokenizer.json");
        return File.Exists(model) ? model
            : File.Exists(json) ? json
            : throw new CheckpointFormatException($"Gemma tokenizer '{model}' is missing (a Gemma folder needs tokenizer.model or tokenizer.json; '{full}' has neither).", model);
    }

    /// <summary>Ids of one stripped prompt with BOS first and no EOS, before truncation.</summary>
    public IReadOnlyList<int> EncodeWithBos(string prompt)
    {
        var ids = _spm.EncodeToIds(StripLikePython(prompt), addBeginningOfSentence: false, addEndOfSentence: false);
        var result = new List<int>(ids.Count + 1) { BosId };
        result.AddRange(ids);
        return result;
    }

    // ltx-core strips with Python's str.strip(), whose whitespace is .NET's plus the information separators
    // U+001C..U+001F, so a caption starting or ending with one of those is cut the same way.
    internal static string StripLikePython(string text)
    {
        int start = 0, end = text.Length;
        while (start < end && IsPythonWhitespace(text[start])) start++;
        while (end > start && IsPythonWhitespace(text[end - 1])) end--;
        return text[start..end];
    }

    private static bool IsPythonWhitespace(char c) => char.IsWhiteSpace(c) || c is >= '\u001C' and <= '\u001F';

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
