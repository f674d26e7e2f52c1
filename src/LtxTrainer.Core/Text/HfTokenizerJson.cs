using System.Text.Json;
using LtxTrainer.Core.Checkpoints;

namespace LtxTrainer.Core.Text;

/// <summary>
/// Reads a Hugging Face fast-tokenizer <c>tokenizer.json</c> of the Gemma kind into the
/// <see cref="HfBpeGemmaEncoder"/> that tokenizes it as the <c>tokenizers</c> library does.
/// </summary>
/// <remarks>
/// Gemma's file (and what transformers' <c>GemmaConverter</c> writes from a <c>tokenizer.model</c>): normalizer
/// <c>Replace(" ", "▁")</c>, pre-tokenizer <c>Split(" ", merged_with_previous)</c> or none, a BPE model with byte
/// fallback and a ranked merge list, control and user-defined pieces as added tokens matched in the raw text.
/// Anything else (another model type, no byte fallback, another normalizer or pre-tokenizer, added tokens that
/// strip whitespace or match normalized text) is rejected naming the file and the setting, rather than
/// tokenized differently from HF.
/// </remarks>
internal static class HfTokenizerJson
{
    /// <summary>The encoder for <paramref name="path"/>.</summary>
    public static HfBpeGemmaEncoder Read(string path)
    {
        using var doc = CheckpointJson.ParseFile(path, $"Gemma tokenizer '{path}'");
        var root = doc.RootElement;
        var model = Property(root, "model", path);
        Require(model.TryGetProperty("type", out var type) && type.GetString() == "BPE", path, "model.type must be \"BPE\"");
        Require(model.TryGetProperty("byte_fallback", out var fallback) && fallback.ValueKind == JsonValueKind.True, path, "model.byte_fallback must be true");
        Require(IsNullOrFalse(model, "ignore_merges") && IsNullOrFalse(model, "continuing_subword_prefix") && IsNullOrFalse(model, "end_of_word_suffix")
            && (Get(model, "dropout") is not JsonElement d || d.GetDouble() == 0), path, "model.ignore_merges, continuing_subword_prefix, end_of_word_suffix and dropout must be unset");
        Require(IsSpaceToMetaspace(Get(root, "normalizer")), path, "normalizer must be Replace(\" \", \"▁\") as Gemma's");
        Require(IsNoOpPreTokenizer(Get(root, "pre_tokenizer")), path, "pre_tokenizer must be none or Split(\" \") as Gemma's");

        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in Property(model, "vocab", path).EnumerateObject())
            vocab[entry.Name] = entry.Value.GetInt32();
        Require(vocab.Count > 0 && vocab.Values.Min() >= 0, path, "model.vocab must list pieces with ids from 0");

        var added = new Dictionary<string, int>(StringComparer.Ordinal);
        if (Get(root, "added_tokens") is JsonElement addedTokens)
            foreach (var token in addedTokens.EnumerateArray())
            {
                string content = token.GetProperty("content").GetString()!;
                Require(IsNullOrFalse(token, "lstrip") && IsNullOrFalse(token, "rstrip") && IsNullOrFalse(token, "single_word") && IsNullOrFalse(token, "normalized"),
                    path, $"added token '{content}' must not strip, match single words or match normalized text");
                added[content] = token.GetProperty("id").GetInt32();
            }
        return HfBpeGemmaEncoder.Create(vocab, Merges(model, path), added, path);
    }

    // Merges as "left right" strings, what BpeOptions reads, from either tokenizer.json form: ["left", "right"]
    // pairs (tokenizers >= 0.20) or "left right" strings. A merge with a space in one side can never apply (the
    // normalizer leaves no spaces), so it is left out rather than misread.
    private static List<string> Merges(JsonElement model, string path)
    {
        var merges = new List<string>();
        if (Get(model, "merges") is not JsonElement list) return merges;
        foreach (var merge in list.EnumerateArray())
        {
            if (merge.ValueKind == JsonValueKind.String)
            {
                merges.Add(merge.GetString()!);
                continue;
            }
            Require(merge.ValueKind == JsonValueKind.Array && merge.GetArrayLength() == 2, path, "model.merges must hold pairs");
            string left = merge[0].GetString()!, right = merge[1].GetString()!;
            if (!left.Contains(' ') && !right.Contains(' '))
                merges.Add(left + " " + right);
        }
        return merges;
    }

    private static JsonElement? Get(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    private static bool IsNullOrFalse(JsonElement e, string name) => Get(e, name) is not JsonElement v || v.ValueKind == JsonValueKind.False;

    private static JsonElement Property(JsonElement e, string name, string path) =>
        Get(e, name) ?? throw new CheckpointFormatException($"Gemma tokenizer '{path}' has no \"{name}\".", path, name);

    private static void Require(bool condition, string path, string what)
    {
        if (!condition)
            throw new CheckpointFormatException($"Gemma tokenizer '{path}' is not a Gemma BPE tokenizer: {what}.", path);
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
}
