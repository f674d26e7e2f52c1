using System.Text;
using System.Text.Json.Nodes;

namespace LtxTrainer.Core.Tests.Text;

/// <summary>
/// Writes the HF fast-tokenizer <c>tokenizer.json</c> that transformers' <c>GemmaConverter</c> makes from a
/// SentencePiece <c>tokenizer.model</c> (same layout: Replace(" ", "▁") normalizer, Split(" ") pre-tokenizer,
/// BPE with byte fallback, ids kept, control/user-defined pieces as added tokens, merges ordered by the merged
/// piece's score), so the json path can be checked against the golden ids without the <c>tokenizers</c> library.
/// </summary>
internal static class HfGemmaTokenizerJson
{
    public static void WriteFrom(string tokenizerModel, string tokenizerJson)
    {
        var pieces = ReadPieces(File.ReadAllBytes(tokenizerModel));
        var vocab = new JsonObject();
        var added = new JsonArray();
        for (int id = 0; id < pieces.Count; id++)
        {
            var (text, _, type) = pieces[id];
            vocab[text] = id;
            if (type is 2 or 3 or 4)
                added.Add(new JsonObject { ["id"] = id, ["content"] = text, ["single_word"] = false, ["lstrip"] = false, ["rstrip"] = false,
                    ["normalized"] = false, ["special"] = type != 4 || text is "<start_of_turn>" or "<end_of_turn>" });
        }
        var index = pieces.Select((p, id) => (p.Text, id)).ToDictionary(p => p.Text, p => p.id, StringComparer.Ordinal);
        var merges = new List<(string, string, float)>();
        foreach (var (text, score, type) in pieces.Where(p => p.Type == 1 && p.Text.Length > 1))
            for (int cut = 1; cut < text.Length; cut++)
                if (index.ContainsKey(text[..cut]) && index.ContainsKey(text[cut..]))
                    merges.Add((text[..cut], text[cut..], score));
        var root = new JsonObject
        {
            ["version"] = "1.0",
            ["added_tokens"] = added,
            ["normalizer"] = new JsonObject { ["type"] = "Replace", ["pattern"] = new JsonObject { ["String"] = " " }, ["content"] = "▁" },
            ["pre_tokenizer"] = new JsonObject { ["type"] = "Split", ["pattern"] = new JsonObject { ["String"] = " " }, ["behavior"] = "MergedWithPrevious", ["invert"] = false },
            ["post_processor"] = new JsonObject { ["type"] = "TemplateProcessing" },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE", ["dropout"] = null, ["unk_token"] = "<unk>", ["fuse_unk"] = true, ["byte_fallback"] = true,
                ["vocab"] = vocab,
                ["merges"] = new JsonArray(merges.OrderByDescending(m => m.Item3).Select(m => (JsonNode)new JsonArray(m.Item1, m.Item2)).ToArray()),
            },
        };
        File.WriteAllText(tokenizerJson, root.ToJsonString());
    }

    /// <summary>(piece, score, type) of every ModelProto.pieces entry (protobuf field 1), in id order.</summary>
    public static List<(string Text, float Score, int Type)> ReadPieces(byte[] proto)
    {
        var result = new List<(string, float, int)>();
        foreach (var (field, value) in Fields(proto))
        {
            if (field != 1) continue;
            string text = ""; float score = 0; int type = 1;
            foreach (var (f, v) in Fields((byte[])value))
                switch (f)
                {
                    case 1: text = Encoding.UTF8.GetString((byte[])v); break;
                    case 2: score = (float)v; break;
                    case 3: type = (int)(ulong)v; break;
                }
            result.Add((text, score, type));
        }
        return result;
    }

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
                    int length = (int)Varint();
                    yield return (field, b[i..(i + length)]);
                    i += length;
                    break;
                case 5: yield return (field, BitConverter.ToSingle(b, i)); i += 4; break;
                default: throw new InvalidDataException($"wire type {key & 7}");
            }
        }
    }
}
