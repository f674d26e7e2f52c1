using LtxTrainer.Core.Checkpoints;
using LtxTrainer.Core.Tests.Golden;
using LtxTrainer.Core.Text;

namespace LtxTrainer.Core.Tests.Text;

public sealed class GemmaTokenizerTests
{
    [Fact]
    public void Tokenize_MatchesGoldenIdsAndMask()
    {
        using var golden = new GoldenSet("text");
        using var expectedIds = golden.Tensor("tokenize.input_ids");
        using var expectedMask = golden.Tensor("tokenize.attention_mask");
        using var expectedValid = golden.Tensor("tokenize.num_valid");
        var tokenizer = GemmaTokenizer.Open(golden.PathOf("gemma"));

        var result = tokenizer.Tokenize(TextGolden.Prompts(golden), (int)expectedIds.shape[1]);

        using var ids = result.InputIdsTensor();
        using var mask = result.AttentionMaskTensor();
        Assert.Equal(expectedIds.data<long>().ToArray(), ids.data<long>().ToArray());
        Assert.Equal(expectedMask.data<long>().ToArray(), mask.data<long>().ToArray());
        Assert.Equal(expectedValid.data<long>().ToArray(), result.ValidCounts.Select(v => (long)v).ToArray());
    }

    [Fact]
    public void Tokenize_ReportsTruncationOnlyForPromptsLongerThanMaxLength()
    {
        using var golden = new GoldenSet("text");
        var tokenizer = GemmaTokenizer.Open(golden.PathOf("gemma"));
        int maxLength = TextGolden.MaxLength(golden);
        var prompts = TextGolden.Prompts(golden);
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
        using var golden = new GoldenSet("text");
        var tokenizer = GemmaTokenizer.Open(golden.PathOf("gemma"));

        var result = tokenizer.Tokenize(["  hello  "], 16);

        int first = 16 - result.ValidCounts[0];
        Assert.Equal(tokenizer.BosId, (int)result.InputIds[0][first]);
        Assert.All(result.InputIds[0].Take(first), id => Assert.Equal(tokenizer.PadId, (int)id));
        Assert.DoesNotContain(1L, result.InputIds[0].Skip(first));
    }

    [Fact]
    public void Open_MissingTokenizer_NamesTheFile()
    {
        var dir = Directory.CreateTempSubdirectory("ltx-tok-");
        try
        {
            var ex = Assert.Throws<CheckpointFormatException>(() => GemmaTokenizer.Open(dir.FullName));
            Assert.Equal(Path.Combine(dir.FullName, "tokenizer.model"), ex.File);
            File.WriteAllText(Path.Combine(dir.FullName, "tokenizer.json"), "{}");
            ex = Assert.Throws<CheckpointFormatException>(() => GemmaTokenizer.Open(dir.FullName));
            Assert.Contains("tokenizer.json", ex.Message);
        }
        finally
        {
            dir.Delete(true);
        }
    }
}
