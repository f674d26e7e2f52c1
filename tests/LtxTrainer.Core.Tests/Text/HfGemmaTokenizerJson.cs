using System.Text.Json.Nodes;
using LtxTrainer.Core.Text;

namespace LtxTrainer.Core.Tests.Text;

/// <summary>
/// Writes the HF fast-tokenizer <c>tokenizer.json</c> that transformers' <c>GemmaConverter</c> makes from a
/// SentencePiece <c>tokenizer.model</c> (Gemma's layout: Replace(" ", "▁") normalizer, Split(" ") pre-tokenizer,
/// BPE with byte fallback and merges as pairs, special pieces as added tokens), from the model the engine
/// converts, so the json reader can be checked against the golden ids without the <c>tokenizers</c> library.
/// </summary>
internal static class HfGemmaTokenizerJson
{
    public static void WriteFrom(string tokenizerModel, string tokenizerJson)
    {
        var (vocab, merges, added) = SentencePieceModelFile.ToHfBpe(tokenizerModel);
        var vocabJson = new JsonObject();
        foreach (var (piece, id) in vocab.OrderBy(v => v.Value)) vocabJson[piece] = id;
        var addedJson = new JsonArray(added.OrderBy(a => a.Value).Select(a => (JsonNode)new JsonObject
        {
            ["id"] = a.Value, ["content"] = a.Key, ["single_word"] = false, ["lstrip"] = false, ["rstrip"] = false,
            ["normalized"] = false, ["special"] = a.Key is "<pad>" or "<eos>" or "<bos>" or "<unk>" or "<start_of_turn>" or "<end_of_turn>",
        }).ToArray());
        var root = new JsonObject
        {
            ["version"] = "1.0",
            ["added_tokens"] = addedJson,
            ["normalizer"] = new JsonObject { ["type"] = "Replace", ["pattern"] = new JsonObject { ["String"] = " " }, ["content"] = "▁" },
            ["pre_tokenizer"] = new JsonObject { ["type"] = "Split", ["pattern"] = new JsonObject { ["String"] = " " }, ["behavior"] = "MergedWithPrevious", ["invert"] = false },
            ["post_processor"] = new JsonObject { ["type"] = "TemplateProcessing" },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE", ["dropout"] = null, ["unk_token"] = "<unk>", ["fuse_unk"] = true, ["byte_fallback"] = true, ["ignore_merges"] = false,
                ["vocab"] = vocabJson,
                ["merges"] = new JsonArray(merges.Select(m => (JsonNode)new JsonArray(m.Split(' ').Select(p => (JsonNode)p!).ToArray())).ToArray()),
            },
        };
        File.WriteAllText(tokenizerJson, root.ToJsonString());
    }
}
