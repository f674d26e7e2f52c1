using LtxTrainer.Core.Ingest;

namespace LtxTrainer.Core.Tests.Ingest;

public sealed class ClipPairingTests
{
    [Fact]
    public void PairsByBaseNameAndReportsOrphanCaptions()
    {
        var files = new[]
        {
            new ExtractedFile("x/kick.WAV", "/w/kick.WAV"),
            new ExtractedFile("y/KICK.txt", "/w/KICK.txt"),
            new ExtractedFile("snare.mp3", "/w/snare.mp3"),
            new ExtractedFile("orphan.txt", "/w/orphan.txt"),
        };
        var (clips, orphans) = ClipPairing.Pair(files);
        Assert.Equal(new[] { "kick", "snare" }, clips.Select(c => c.Name));
        Assert.Equal("y/KICK.txt", clips[0].Caption!.EntryName);
        Assert.Null(clips[1].Caption);
        Assert.Equal("orphan.txt", Assert.Single(orphans).EntryName);
    }

    [Theory]
    [InlineData("tabla", "a dry loop", "tabla a dry loop")]
    [InlineData(" tabla ", "", "tabla")]
    [InlineData(null, "a dry loop", "a dry loop")]
    [InlineData("", null, "")]
    public void TriggerPhraseIsPrepended(string? trigger, string? caption, string expected)
    {
        Assert.Equal(expected, ClipPairing.ComposeCaption(trigger, caption));
    }
}
