using LtxTrainer.Core.Checkpoints;
using LtxTrainer.Core.Tests.Golden;
using LtxTrainer.Core.Text;

namespace LtxTrainer.Core.Tests.Text;

public sealed class GemmaTokenizerTests
{
    [Fact]
    public void Tokenize_MatchesGoldenIdsAndMask()
    {
        using var golden = new TextGolden();
        using var expectedIds = golden.Tensor("tokenize.input_ids");
        using var expectedMask = golden.Tensor("tokenize.attention_mask");
        using var expectedValid = golden.Tensor("tokenize.num_valid");
        var tokenizer = GemmaTokenizer.Open(golden.PathOf("gemma"));

        var result = tokenizer.Tokenize(golden.Prompts(), (int)expectedIds.shape[1]);

        using var ids = result.InputIdsTensor();
        using var mask = result.AttentionMaskTensor();
        Assert.Equal(expectedIds.data<long>().ToArray(), ids.data<long>().ToArray());
        Assert.Equal(expectedMask.data<long>().ToArray(), mask.data<long>().ToArray());
        Assert.Equal(expectedValid.data<long>().ToArray(), result.ValidCounts.Select(v => (long)v).ToArray());
    }

    [Fact]
    public void Tokenize_ReportsTruncationOnlyForPromptsLongerThanMaxLength()
    {
        using var golden = new TextGolden();
        var tokenizer = GemmaTokenizer.Open(golden.PathOf("gemma"));
        int maxLength = golden.MaxLength();
        var prompts = golden.Prompts();
        string tooLong = string.Concat(Enumerable.Repeat(prompts[0] + " ", maxLength));
        var all = prompts.Append(tooLong).Append("x").ToArray();

        var result = tokenizer.Tokenize(all, maxLength);

        for (int i = 0; i < all.Length; i++)
            Assert.Equal(tokenizer.EncodeWithBos(all[i]).Count > maxLength, result.Truncated[i]);
        Assert.True(result.Truncated[^2]);
        Assert.Equal(maxLength, result.ValidCounts[^2]);
        Assert.Equal(tokenizer.EncodeWithBos(tooLong).Take(maxLength).Select(id => (long)id), result.InputIds[^2]);
        Assert.False(result.Truncated[^1]);
    }

    [Fact]
    public void Tokenize_StartsWithBosAndNeverAddsEos()
    {
        using var golden = new TextGolden();
        var tokenizer = GemmaTokenizer.Open(golden.PathOf("gemma"));

        var result = tokenizer.Tokenize(["  hello  "], 16);

        int first = 16 - result.ValidCounts[0];
        Assert.Equal(tokenizer.BosId, (int)result.InputIds[0][first]);
        Assert.All(result.InputIds[0].Take(first), id => Assert.Equal(tokenizer.PadId, (int)id));
        Assert.DoesNotContain(1L, result.InputIds[0].Skip(first));
    }

    [Theory]
    [InlineData(" \t\n dog barks \r\n", "dog barks")]
    [InlineData("\u001Fdog\u001C", "dog")] // Python's str.isspace() includes the information separators
    [InlineData("\u00A0\u3000dog\u2029", "dog")]
    [InlineData("a \u001E b", "a \u001E b")]
    [InlineData("\u200Bdog", "\u200Bdog")] // zero-width space is not whitespace in Python either
    public void StripLikePython_MatchesPythonStrStrip(string text, string expected) =>
        Assert.Equal(expected, GemmaTokenizer.StripLikePython(text));

    // A folder with only tokenizer.json (what LTX loads) tokenizes like tokenizer.model: same golden ids.
    [Fact]
    public void Open_FolderWithOnlyTokenizerJson_MatchesGoldenIds()
    {
        using var golden = new TextGolden();
        using var expectedIds = golden.Tensor("tokenize.input_ids");
        var dir = Directory.CreateTempSubdirectory("ltx-tokjson-");
        try
        {
            string json = Path.Combine(dir.FullName, "tokenizer.json");
            HfGemmaTokenizerJson.WriteFrom(Path.Combine(golden.PathOf("gemma"), "tokenizer.model"), json);
            var fromModel = GemmaTokenizer.Open(golden.PathOf("gemma"));

            var tokenizer = GemmaTokenizer.Open(dir.FullName);
            var result = tokenizer.Tokenize(golden.Prompts(), (int)expectedIds.shape[1]);

            Assert.Equal(json, tokenizer.ModelPath);
            using var ids = result.InputIdsTensor();
            Assert.Equal(expectedIds.data<long>().ToArray(), ids.data<long>().ToArray());
            Assert.Equal((fromModel.BosId, fromModel.PadId), (tokenizer.BosId, tokenizer.PadId));
            // Byte fallback, digits, newline and a user-defined piece, beyond the golden prompts.
            foreach (var text in new[] { "naïve 2026 — ok\n\ttab", "<start_of_turn>user", "  x  " })
                Assert.Equal(fromModel.EncodeWithBos(text), tokenizer.EncodeWithBos(text));
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Theory]
    [InlineData("""{"model": {"type": "Unigram", "vocab": []}}""", "model.type")]
    [InlineData("""{"model": {"type": "BPE", "byte_fallback": false, "vocab": {"a": 0}}}""", "byte_fallback")]
    [InlineData("""{"normalizer": {"type": "NFKC"}, "model": {"type": "BPE", "byte_fallback": true, "vocab": {"a": 0}}}""", "normalizer")]
    [InlineData("""{"normalizer": {"type": "Replace", "pattern": {"String": " "}, "content": "\u2581"}, "pre_tokenizer": {"type": "Metaspace"}, "model": {"type": "BPE", "byte_fallback": true, "vocab": {"a": 0}}}""", "pre_tokenizer")]
    [InlineData("not json", "JSON")]
    public void Open_UnsupportedTokenizerJson_NamesFileAndSetting(string content, string mention)
    {
        var dir = Directory.CreateTempSubdirectory("ltx-tokjson-");
        try
        {
            string json = Path.Combine(dir.FullName, "tokenizer.json");
            File.WriteAllText(json, content);

            var ex = Assert.Throws<CheckpointFormatException>(() => GemmaTokenizer.Open(dir.FullName));

            Assert.Equal(json, ex.File);
            Assert.Contains(mention, ex.Message);
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public void Open_MissingTokenizer_NamesTheFile()
    {
        var dir = Directory.CreateTempSubdirectory("ltx-tok-");
        try
        {
            var ex = Assert.Throws<CheckpointFormatException>(() => GemmaTokenizer.Open(dir.FullName));
            Assert.Equal(Path.Combine(dir.FullName, "tokenizer.model"), ex.File);
            Assert.Contains("tokenizer.json", ex.Message);
        }
        finally
        {
            dir.Delete(true);
        }
    }
}
