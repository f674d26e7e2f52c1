using LtxTrainer.Core.Checkpoints;

namespace LtxTrainer.Core.Text;

/// <summary>
/// Gemma's SentencePiece tokenizer with the LTX-2 prompt rules (ltx-core <c>LTXGemmaTokenizer</c>):
/// the prompt is stripped, <c>&lt;bos&gt;</c> is prepended, no <c>&lt;eos&gt;</c>, the ids are truncated to
/// the maximum length (BOS included) and left-padded to exactly that length.
/// </summary>
/// <remarks>
/// Tokenizes as Hugging Face <c>tokenizers</c> does (<see cref="HfBpeGemmaEncoder"/>), what LTX loads: added tokens
/// such as <c>&lt;start_of_turn&gt;</c> map to their ids, merges follow the merge ranks (which SentencePiece's
/// score order does not always reproduce), byte fallback. A folder's <c>tokenizer.json</c> is read
/// (<see cref="HfTokenizerJson"/>), else its <c>tokenizer.model</c>, converted as transformers converts it
/// (<see cref="SentencePieceModelFile"/>).
/// </remarks>
public sealed class GemmaTokenizer
{
    /// <summary>The official maximum length (ltx-core <c>TOKENIZER_MAX_LENGTH</c>).</summary>
    public const int DefaultMaxLength = 1024;

    private readonly HfBpeGemmaEncoder _encoder;

    private GemmaTokenizer(HfBpeGemmaEncoder encoder, string path)
    {
        _encoder = encoder;
        ModelPath = path;
        PadId = encoder.IdOf("<pad>") ?? encoder.EosId;
    }

    /// <summary>The <c>tokenizer.model</c> or <c>tokenizer.json</c> this tokenizer was read from.</summary>
    public string ModelPath { get; }

    public int BosId => _encoder.BosId;

    /// <summary>Pieces in the vocabulary (ids run from 0 to this − 1); the embedding table must have at least as many rows.</summary>
    public int VocabularySize => _encoder.VocabularySize;

    /// <summary><c>&lt;pad&gt;</c>, or <c>&lt;eos&gt;</c> when the vocabulary has no pad piece (the ltx-core rule).</summary>
    public int PadId { get; }

    /// <summary>Opens the tokenizer of a Gemma folder (<c>tokenizer.model</c>, else <c>tokenizer.json</c>) or one of those files.</summary>
    public static GemmaTokenizer Open(string folderOrFile)
    {
        string model = FileOf(folderOrFile);
        if (model.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            return new GemmaTokenizer(HfTokenizerJson.Read(model), model);
        var (vocab, merges, added) = SentencePieceModelFile.ToHfBpe(model);
        return new GemmaTokenizer(HfBpeGemmaEncoder.Create(vocab, merges, added, model), model);
    }

    /// <summary>The tokenizer file <see cref="Open"/> reads for a folder or file; throws naming it when missing.</summary>
    /// <remarks>
    /// A folder's <c>tokenizer.json</c> comes first, as in transformers, whose fast tokenizer loads it when present
    /// and converts <c>tokenizer.model</c> only when it is not.
    /// </remarks>
    internal static string FileOf(string folderOrFile)
    {
        var full = Path.GetFullPath(folderOrFile);
        if (!Directory.Exists(full))
            return File.Exists(full) ? full : throw new CheckpointFormatException($"Gemma tokenizer '{full}' is missing.", full);
        string model = Path.Combine(full, "tokenizer.model"), json = Path.Combine(full, "tokenizer.json");
        return File.Exists(json) ? json
            : File.Exists(model) ? model
            : throw new CheckpointFormatException($"Gemma tokenizer '{json}' is missing (a Gemma folder needs tokenizer.json or tokenizer.model; '{full}' has neither).", json);
    }

    /// <summary>Ids of <paramref name="text"/> as it is: no stripping, no BOS or EOS.</summary>
    internal List<int> EncodeRaw(string text)
    {
        var ids = new List<int>();
        _encoder.Encode(text, ids);
        return ids;
    }

    /// <summary>Ids of one stripped prompt with BOS first and no EOS, before truncation.</summary>
    public IReadOnlyList<int> EncodeWithBos(string prompt)
    {
        var result = new List<int> { BosId };
        _encoder.Encode(StripLikePython(prompt), result);
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
