using System.Buffers;
using System.Text;
using LtxTrainer.Core.Checkpoints;
using Microsoft.ML.Tokenizers;

namespace LtxTrainer.Core.Text;

/// <summary>
/// Gemma's Hugging Face fast tokenizer (<c>tokenizer.json</c>, what LTX loads) with the semantics of the
/// <c>tokenizers</c> library: added tokens matched in the raw text first; the normalizer
/// <c>Replace(" ", "▁")</c> on the text between them; BPE by merge rank (Microsoft.ML.Tokenizers'
/// <see cref="BpeTokenizer"/>, a port of <c>tokenizers/src/models/bpe</c>); byte fallback for characters outside
/// the vocabulary. Gemma's pre-tokenizer, <c>Split(" ")</c>, has no spaces left to split after the normalizer.
/// </summary>
/// <remarks>
/// The library's BPE has no byte fallback: a character outside the vocabulary would be dropped. HF turns such a
/// character into its UTF-8 byte pieces <c>&lt;0xXX&gt;</c> before merging, and no merge takes a byte piece (nor
/// could one reach a piece holding that character), so the character cuts the text into runs that merge on
/// their own. The runs go to the library; the characters become byte ids here.
/// <para>
/// For speed the runs are cut further, before each <c>▁</c> that follows another character, into words the
/// library caches: BPE merges a pair only into a piece of the vocabulary, so where no piece holds the two
/// characters on either side of a cut, no merge crosses it and the words merge alone to the same pieces. Gemma 3
/// has one such piece (<c>&gt;▁&lt;/</c>); the cut is skipped after every character that a piece joins to a
/// following <c>▁</c>.
/// </para>
/// </remarks>
internal sealed class HfBpeGemmaEncoder
{
    private const char MetaSpace = '\u2581';
    private const int StackChars = 512;

    private readonly BpeTokenizer _bpe;
    private readonly AddedTokenMatcher _added;
    private readonly IReadOnlyDictionary<string, int> _pieces;
    private readonly HashSet<int> _singleRunePieces;
    private readonly HashSet<char> _joinedToMetaSpace;
    private readonly int[] _byteIds;

    /// <summary>The encoder of a BPE model read from <paramref name="path"/>; throws naming the file when it cannot serve Gemma.</summary>
    /// <param name="vocab">model.vocab: piece to id.</param>
    /// <param name="merges">The merges, "left right", highest priority first.</param>
    /// <param name="addedTokens">The added tokens (id by content), matched in the raw text.</param>
    /// <param name="path">The tokenizer file, for messages.</param>
    public static HfBpeGemmaEncoder Create(Dictionary<string, int> vocab, List<string> merges, Dictionary<string, int> addedTokens, string path)
    {
        var pieces = new Dictionary<string, int>(vocab, StringComparer.Ordinal);
        foreach (var (content, id) in addedTokens) pieces.TryAdd(content, id);
        var byteIds = new int[256];
        for (int b = 0; b < 256; b++)
            if (!vocab.TryGetValue($"<0x{b:X2}>", out byteIds[b]))
                throw new CheckpointFormatException($"Gemma tokenizer '{path}' has no byte piece <0x{b:X2}> (byte fallback needs all 256).", path);
        if (!pieces.TryGetValue("<bos>", out int bosId) || !pieces.TryGetValue("<eos>", out int eosId))
            throw new CheckpointFormatException($"Gemma tokenizer '{path}' has no <bos> or no <eos> piece.", path);
        try
        {
            var bpe = BpeTokenizer.Create(new BpeOptions(vocab) { Merges = merges });
            return new HfBpeGemmaEncoder(bpe, vocab.Keys, pieces, addedTokens, byteIds, bosId, eosId);
        }
        catch (InvalidOperationException ex)
        {
            throw new CheckpointFormatException($"Gemma tokenizer '{path}' has an invalid BPE model: {ex.Message}", path, inner: ex);
        }
    }

    private HfBpeGemmaEncoder(BpeTokenizer bpe, IEnumerable<string> bpePieces, IReadOnlyDictionary<string, int> pieces, IReadOnlyDictionary<string, int> addedTokens,
        int[] byteIds, int bosId, int eosId)
    {
        _bpe = bpe;
        _pieces = pieces;
        _added = new AddedTokenMatcher(addedTokens);
        _byteIds = byteIds;
        BosId = bosId;
        EosId = eosId;
        VocabularySize = pieces.Values.Max() + 1;
        _singleRunePieces = [];
        _joinedToMetaSpace = [];
        foreach (var piece in bpePieces) // the model's vocabulary (BpeTokenizer.Vocabulary would copy it)
        {
            if (Rune.DecodeFromUtf16(piece, out var rune, out int used) == OperationStatus.Done && used == piece.Length)
                _singleRunePieces.Add(rune.Value);
            for (int i = 1; i < piece.Length; i++)
                if (piece[i] == MetaSpace && piece[i - 1] != MetaSpace) _joinedToMetaSpace.Add(piece[i - 1]);
        }
    }

    public int BosId { get; }

    public int EosId { get; }

    /// <summary>Rows an embedding table needs for every id this tokenizer can produce (largest id + 1).</summary>
    public int VocabularySize { get; }

    /// <summary>The id of a whole piece (e.g. <c>&lt;pad&gt;</c>), or null when the vocabulary lacks it.</summary>
    public int? IdOf(string piece) => _pieces.TryGetValue(piece, out var id) ? id : null;

    /// <summary>Appends the ids of <paramref name="text"/> as it is (no stripping, no BOS or EOS) to <paramref name="ids"/>.</summary>
    public void Encode(string text, List<int> ids)
    {
        int from = 0;
        while (_added.TryFindNext(text, from, out int start, out int length, out int id))
        {
            EncodeBetweenAddedTokens(text.AsSpan(from, start - from), ids);
            ids.Add(id);
            from = start + length;
        }
        EncodeBetweenAddedTokens(text.AsSpan(from), ids);
    }

    private void EncodeBetweenAddedTokens(ReadOnlySpan<char> raw, List<int> ids)
    {
        if (raw.IsEmpty) return;
        char[]? rented = null;
        Span<char> text = raw.Length <= StackChars ? stackalloc char[raw.Length] : (rented = ArrayPool<char>.Shared.Rent(raw.Length)).AsSpan(0, raw.Length);
        try
        {
            raw.Replace(text, ' ', MetaSpace);
            Span<byte> utf8 = stackalloc byte[4];
            int run = 0;
            for (int at = 0; at < text.Length;)
            {
                if (text[at] == MetaSpace && at > run && text[at - 1] != MetaSpace && !_joinedToMetaSpace.Contains(text[at - 1]))
                {
                    Merge(text[run..at], ids);
                    run = at;
                }
                // An unpaired surrogate decodes as U+FFFD, which is not a piece: it falls back to that rune's bytes.
                var status = Rune.DecodeFromUtf16(text[at..], out var rune, out int used);
                if (status == OperationStatus.Done && _singleRunePieces.Contains(rune.Value))
                {
                    at += used;
                    continue;
                }
                Merge(text[run..at], ids);
                foreach (byte b in utf8[..rune.EncodeToUtf8(utf8)])
                    ids.Add(_byteIds[b]);
                at += used;
                run = at;
            }
            Merge(text[run..], ids);
        }
        finally
        {
            if (rented is not null) ArrayPool<char>.Shared.Return(rented);
        }
    }

    private void Merge(ReadOnlySpan<char> run, List<int> ids)
    {
        if (!run.IsEmpty)
            ids.AddRange(_bpe.EncodeToIds(run, considerPreTokenization: false, considerNormalization: false));
    }
}
