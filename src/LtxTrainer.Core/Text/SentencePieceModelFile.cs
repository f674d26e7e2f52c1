using System.Buffers.Binary;
using System.Text;
using LtxTrainer.Core.Checkpoints;

namespace LtxTrainer.Core.Text;

/// <summary>
/// Reads a SentencePiece <c>tokenizer.model</c> (protobuf <c>ModelProto</c>, sentencepiece_model.proto) and gives
/// the BPE model Hugging Face builds from it: transformers' <c>GemmaConverter</c> with its
/// <c>SentencePieceExtractor</c> (<c>convert_slow_tokenizer.py</c>), which is what LTX tokenizes with when a Gemma
/// folder has only <c>tokenizer.model</c>.
/// </summary>
/// <remarks>
/// The extractor: the vocabulary keeps the piece ids; for every piece, each cut into two pieces of the vocabulary
/// is a merge, those of one piece ordered by (left id, right id), and all merges ordered by the merged piece's
/// score, highest first (stable). Control, user-defined, unknown and unused pieces become added tokens matched in
/// the raw text, as in Gemma's own <c>tokenizer.json</c>.
/// </remarks>
internal static class SentencePieceModelFile
{
    private const int Normal = 1, Unknown = 2, Control = 3, UserDefined = 4, Unused = 5;
    private const int ModelTypeBpe = 2;

    /// <summary>Vocabulary, ranked merges ("left right") and added tokens of the HF tokenizer for <paramref name="path"/>.</summary>
    public static (Dictionary<string, int> Vocab, List<string> Merges, Dictionary<string, int> Added) ToHfBpe(string path)
    {
        var pieces = new List<(string Text, float Score, int Type)>();
        int modelType = 1;
        bool byteFallback = false;
        try
        {
            foreach (var (field, value) in Fields(File.ReadAllBytes(path)))
                if (field == 1) pieces.Add(Piece((byte[])value));
                else if (field == 2)
                    foreach (var (f, v) in Fields((byte[])value))
                        if (f == 3) modelType = (int)(ulong)v;
                        else if (f == 35) byteFallback = (ulong)v != 0;
        }
        catch (Exception ex) when (ex is IndexOutOfRangeException or ArgumentException or InvalidDataException or OverflowException)
        {
            throw new CheckpointFormatException($"Gemma tokenizer '{path}' could not be read as a SentencePiece model: {ex.Message}", path, inner: ex);
        }
        if (pieces.Count == 0 || modelType != ModelTypeBpe || !byteFallback)
            throw new CheckpointFormatException($"Gemma tokenizer '{path}' is not a SentencePiece BPE model with byte fallback ({pieces.Count} pieces, model type {modelType}, byte fallback {byteFallback}).", path);

        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        var added = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int id = 0; id < pieces.Count; id++)
        {
            var (text, _, type) = pieces[id];
            vocab.TryAdd(text, id);
            if (type is Unknown or Control or UserDefined or Unused) added.TryAdd(text, id);
        }
        var merges = new List<(string Left, string Right, float Score)>();
        var local = new List<(string Left, string Right)>();
        foreach (var (text, score, _) in pieces)
        {
            local.Clear();
            for (int cut = 1; cut < text.Length; cut++)
            {
                string left = text[..cut], right = text[cut..];
                if (vocab.ContainsKey(left) && vocab.ContainsKey(right)) local.Add((left, right));
            }
            merges.AddRange(local.OrderBy(m => vocab[m.Left]).ThenBy(m => vocab[m.Right]).Select(m => (m.Left, m.Right, score)));
        }
        var ranked = merges.OrderByDescending(m => m.Score).Select(m => m.Left + " " + m.Right).ToList(); // OrderBy is stable
        return (vocab, ranked, added);
    }

    private static (string Text, float Score, int Type) Piece(byte[] proto)
    {
        string text = ""; float score = 0; int type = Normal;
        foreach (var (f, v) in Fields(proto))
            switch (f)
            {
                case 1: text = Encoding.UTF8.GetString((byte[])v); break;
                case 2: score = (float)v; break;
                case 3: type = (int)(ulong)v; break;
            }
        return (text, score, type);
    }

    // The protobuf wire format: (field number, value) with varints as ulong, 32-bit fields as float, length-delimited as bytes.
    private static IEnumerable<(int Field, object Value)> Fields(byte[] b)
    {
        int i = 0;
        ulong Varint()
        {
            ulong r = 0;
            for (int shift = 0; ; shift += 7)
            {
                byte c = b[i++];
                r |= (ulong)(c & 0x7f) << shift;
                if (c < 0x80) return r;
            }
        }
        while (i < b.Length)
        {
            ulong key = Varint();
            int field = (int)(key >> 3);
            switch ((int)(key & 7))
            {
                case 0: yield return (field, Varint()); break;
                case 1: i += 8; break;
                case 2:
                    int length = checked((int)Varint());
                    yield return (field, b[i..(i + length)]);
                    i += length;
                    break;
                case 5: yield return (field, BinaryPrimitives.ReadSingleLittleEndian(b.AsSpan(i))); i += 4; break;
                default: throw new InvalidDataException($"protobuf wire type {key & 7} at byte {i}");
            }
        }
    }
}
