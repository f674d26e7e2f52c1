using LtxTrainer.Core.Text;

namespace LtxTrainer.Core.Tests.Text;

/// <summary>
/// The tokenizer.json path gives exactly the ids of an independent HF-semantics tokenizer on the real Gemma 3
/// vocabulary (262,144 pieces, 514,906 merges, 6,415 added tokens).
/// </summary>
public sealed class GemmaTokenizerHfParityTests(Gemma3TokenizerFixture gemma3) : IClassFixture<Gemma3TokenizerFixture>
{
    [Fact]
    public void ReferenceIds_WereRecordedWithTheInstalledTokenizerJson() =>
        Assert.Equal(gemma3.ExpectedSha256, gemma3.InstalledSha256);

    // Every caption of the reference file: punctuation runs, whitespace of every kind, accents and NFKC cases,
    // CJK, Cyrillic, Arabic, Devanagari, emoji, numbers, very long captions, literal special-token text, mixtures.
    [Fact]
    public void EveryReferenceCaption_GivesTheReferenceIds()
    {
        var tokenizer = gemma3.Tokenizer;
        var mismatches = new List<string>();
        foreach (var (text, expected) in gemma3.Cases)
        {
            var actual = new List<int> { tokenizer.BosId };
            actual.AddRange(tokenizer.EncodeRaw(text));
            if (!actual.SequenceEqual(expected))
                mismatches.Add($"{System.Text.Json.JsonSerializer.Serialize(text)}: expected [{string.Join(",", expected)}], got [{string.Join(",", actual)}]");
        }

        Assert.True(gemma3.Cases.Count >= 800, $"only {gemma3.Cases.Count} reference captions");
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {gemma3.Cases.Count} captions differ:\n" + string.Join("\n", mismatches.Take(20)));
    }

    // The two kinds of difference the SentencePiece rebuild of tokenizer.json had, and the edges of this encoder.
    [Theory]
    [InlineData("<start_of_turn>user\nDescribe the audio.<end_of_turn>\n<start_of_turn>model\n")]
    [InlineData("what??????")]
    [InlineData("<image_soft_token>")] // an added token outside model.vocab
    [InlineData("𠀋𠀍𠀎 rare ideographs")] // byte fallback, four bytes each
    [InlineData("<foo> </bar>")] // the piece '>▁</' joins across the start of a word
    public void Examples_GiveTheReferenceIds(string text)
    {
        var expected = gemma3.ReferenceIds(text);

        Assert.Equal(expected.Skip(1), gemma3.Tokenizer.EncodeRaw(text));
    }

    [Fact]
    public void LiteralTurnMarkers_MapToTheirAddedTokenIds()
    {
        var ids = gemma3.Tokenizer.EncodeRaw("<start_of_turn>user hi<end_of_turn>");

        Assert.Equal(105, ids[0]);
        Assert.Equal(106, ids[^1]);
    }

    // LTX strips the caption and the tokenizer adds <bos>: EncodeWithBos is the reference ids of the stripped text.
    [Theory]
    [InlineData(" \t A dog barks twice, then rain starts falling on a tin roof.\n", "A dog barks twice, then rain starts falling on a tin roof.")]
    [InlineData("\u3000naïve café résumé\u00A0", "naïve café résumé")]
    public void EncodeWithBos_IsTheReferenceIdsOfTheStrippedCaption(string caption, string stripped) =>
        Assert.Equal(gemma3.ReferenceIds(stripped), gemma3.Tokenizer.EncodeWithBos(caption));

    [Fact]
    public void Tokenize_LeftPadsWithPadAndReportsTruncation_OnTheRealVocabulary()
    {
        var tokenizer = gemma3.Tokenizer;
        var (longText, longIds) = gemma3.Cases.First(c => c.Ids.Length > GemmaTokenizer.DefaultMaxLength && c.Text.Trim() == c.Text);
        const string shortText = "Ocean waves crash on rocks; seagulls call overhead.";
        var shortIds = gemma3.ReferenceIds(shortText);

        var result = tokenizer.Tokenize([shortText, longText]);

        Assert.Equal(0, tokenizer.PadId); // <pad>
        int pad = GemmaTokenizer.DefaultMaxLength - shortIds.Length;
        Assert.Equal(Enumerable.Repeat(0L, pad).Concat(shortIds.Select(i => (long)i)), result.InputIds[0]);
        Assert.Equal(Enumerable.Repeat(0L, pad).Concat(Enumerable.Repeat(1L, shortIds.Length)), result.AttentionMask[0]);
        Assert.Equal([false, true], result.Truncated);
        Assert.Equal(longIds.Take(GemmaTokenizer.DefaultMaxLength).Select(i => (long)i), result.InputIds[1]);
    }
}
