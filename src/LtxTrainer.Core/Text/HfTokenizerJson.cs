using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using LtxTrainer.Core.Checkpoints;

namespace LtxTrainer.Core.Text;

/// <summary>
/// Reads a Hugging Face fast-tokenizer <c>tokenizer.json</c> of the Gemma kind and rebuilds the SentencePiece
/// model it was converted from, so that one tokenizer implementation (Microsoft.ML.Tokenizers'
/// <see cref="Microsoft.ML.Tokenizers.SentencePieceTokenizer"/>) serves both files.
/// </summary>
/// <remarks>
/// HF's <c>GemmaConverter</c> writes: normalizer <c>Replace(" ", "▁")</c>, pre-tokenizer <c>Split(" ",
/// merged_with_previous)</c> (a no-op once spaces are gone), a BPE model with byte fallback whose vocabulary
/// keeps the SentencePiece ids, control and user-defined pieces as added tokens. The inverse: every vocabulary
/// entry becomes a piece at its id; the unknown token an unknown piece; <c>&lt;bos&gt;</c>, <c>&lt;eos&gt;</c>
/// and <c>&lt;pad&gt;</c> control pieces; every other added token a user-defined piece, which SentencePiece
/// matches in the text as HF matches added tokens (special or not, e.g. <c>&lt;start_of_turn&gt;</c>);
/// <c>&lt;0xXX&gt;</c> pieces become byte pieces; a normal piece scores −id. SentencePiece BPE merges the adjacent pair whose union has the highest score,
/// and in a SentencePiece BPE model the scores fall with the id (the converter orders HF's merge list by
/// exactly that), so −id reproduces the merge order. Anything else (another model type, no byte fallback,
/// another normalizer or pre-tokenizer) is rejected naming the file and the setting.
/// </remarks>
internal static partial class HfTokenizerJson
{
    private const int Normal = 1, Unknown = 2, Control = 3, UserDefined = 4, Unused = 5, Byte = 6;

    /// <summary>The SentencePiece <c>ModelProto</c> bytes equivalent to <paramref name="path"/>.</summary>
    public static byte[] ToSentencePieceModel(string path)
    {
        using var doc = CheckpointJson.ParseFile(path, $"Gemma tokenizer '{path}'");
        var root = doc.RootElement;
        var model = Property(root, "model", path);
        Require(model.TryGetProperty("type", out var type) && type.GetString() == "BPE", path, "model.type must be \"BPE\"");
        Require(model.TryGetProperty("byte_fallback", out var fallback) && fallback.ValueKind == JsonValueKind.True, path, "model.byte_fallback must be true");
        Require(IsSpaceToMetaspace(Get(root, "normalizer")), path, "normalizer must be Replace(\" \", \"▁\") as Gemma's");
        Require(IsNoOpPreTokenizer(Get(root, "pre_tokenizer")), path, "pre_tokenizer must be none or Split(\" \") as Gemma's");

        var pieces = new Dictionary<int, string>();
        foreach (var entry in Property(model, "vocab", path).EnumerateObject())
            pieces[entry.Value.GetInt32()] = entry.Name;
        var added = new HashSet<int>();
        if (root.TryGetProperty("added_tokens", out var addedTokens) && addedTokens.ValueKind == JsonValueKind.Array)
            foreach (var token in addedTokens.EnumerateArray())
            {
                int id = token.GetProperty("id").GetInt32();
                pieces[id] = token.GetProperty("content").GetString()!;
                added.Add(id);
            }
        Require(pieces.Count > 0 && pieces.Keys.Min() >= 0, path, "model.vocab must list pieces with ids from 0");
        string? unkPiece = model.TryGetProperty("unk_token", out var unk) && unk.ValueKind == JsonValueKind.String ? unk.GetString() : null;
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (id, text) in pieces.OrderBy(p => p.Key))
            ids.TryAdd(text, id); // the lowest id names a special piece that is listed twice

        int count = pieces.Keys.Max() + 1;
        var proto = new ProtoWriter();
        for (int id = 0; id < count; id++)
        {
            var piece = new ProtoWriter();
            if (!pieces.TryGetValue(id, out var text))
            {
                piece.String(1, $"<unused_id_{id}>").Float(2, 0f).Varint(3, Unused); // ids the file skips
            }
            else
            {
                int kind = text == unkPiece ? Unknown
                    : text is "<bos>" or "<eos>" or "<pad>" ? Control
                    : added.Contains(id) ? UserDefined
                    : BytePiece().IsMatch(text) ? Byte
                    : Normal;
                piece.String(1, text).Float(2, kind == Normal ? -id : 0f).Varint(3, kind);
            }
            proto.Message(1, piece);
        }
        var trainer = new ProtoWriter()
            .Varint(3, 2) // model_type = BPE
            .Varint(4, count)
            .Varint(35, 1); // byte_fallback
        AddSpecial(trainer, 40, 45, unkPiece ?? "<unk>", ids);
        AddSpecial(trainer, 41, 46, "<bos>", ids);
        AddSpecial(trainer, 42, 47, "<eos>", ids);
        AddSpecial(trainer, 43, 48, "<pad>", ids);
        proto.Message(2, trainer);
        // Gemma's SentencePiece normalizer: no dummy prefix, whitespace kept as is, spaces escaped to '▁'.
        proto.Message(3, new ProtoWriter().String(1, "identity").Varint(3, 0).Varint(4, 0).Varint(5, 1));
        return proto.ToArray();
    }

    private static void AddSpecial(ProtoWriter trainer, int idField, int pieceField, string piece, Dictionary<string, int> ids) =>
        trainer.Varint(idField, ids.TryGetValue(piece, out var id) ? id : -1).String(pieceField, piece);

    private static JsonElement? Get(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    private static JsonElement Property(JsonElement e, string name, string path) =>
        Get(e, name) ?? throw new CheckpointFormatException($"Gemma tokenizer '{path}' has no \"{name}\".", path, name);

    private static void Require(bool condition, string path, string what)
    {
        if (!condition)
            throw new CheckpointFormatException($"Gemma tokenizer '{path}' is not a Gemma SentencePiece-BPE tokenizer: {what}.", path);
    }

    private static bool IsSpaceToMetaspace(JsonElement? normalizer)
    {
        if (normalizer is not JsonElement n) return false;
        string? kind = n.TryGetProperty("type", out var t) ? t.GetString() : null;
        if (kind == "Sequence")
            return n.TryGetProperty("normalizers", out var list) && list.GetArrayLength() == 1 && IsSpaceToMetaspace(list[0]);
        return kind == "Replace" && PatternString(n) == " " && n.TryGetProperty("content", out var c) && c.GetString() == "▁";
    }

    private static bool IsNoOpPreTokenizer(JsonElement? preTokenizer) =>
        preTokenizer is not JsonElement p
        || (p.TryGetProperty("type", out var t) && t.GetString() == "Split" && PatternString(p) == " ");

    private static string? PatternString(JsonElement e) =>
        e.TryGetProperty("pattern", out var p) && p.ValueKind == JsonValueKind.Object && p.TryGetProperty("String", out var s) ? s.GetString() : null;

    [GeneratedRegex("^<0x[0-9A-F]{2}>$")]
    private static partial Regex BytePiece();

    // Just the protobuf wire format the SentencePiece model needs: varints, 32-bit floats, length-delimited fields.
    private sealed class ProtoWriter
    {
        private readonly MemoryStream _out = new();

        public ProtoWriter Varint(int field, long value)
        {
            Tag(field, 0);
            Raw((ulong)value);
            return this;
        }

        public ProtoWriter Float(int field, float value)
        {
            Tag(field, 5);
            Span<byte> b = stackalloc byte[4];
            BitConverter.TryWriteBytes(b, value);
            if (!BitConverter.IsLittleEndian) b.Reverse();
            _out.Write(b);
            return this;
        }

        public ProtoWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

        public ProtoWriter Message(int field, ProtoWriter message) => Bytes(field, message.ToArray());

        public byte[] ToArray() => _out.ToArray();

        private ProtoWriter Bytes(int field, byte[] value)
        {
            Tag(field, 2);
            Raw((ulong)value.Length);
            _out.Write(value);
            return this;
        }

        private void Tag(int field, int wireType) => Raw((ulong)((field << 3) | wireType));

        private void Raw(ulong v)
        {
            while (v >= 0x80)
            {
                _out.WriteByte((byte)(v | 0x80));
                v >>= 7;
            }
            _out.WriteByte((byte)v);
        }
    }
}
