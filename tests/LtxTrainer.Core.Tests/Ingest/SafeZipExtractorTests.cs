using LtxTrainer.Core.Ingest;
using LtxTrainer.TestData;

namespace LtxTrainer.Core.Tests.Ingest;

public sealed class SafeZipExtractorTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Zip(ZipBuilder builder) => builder.Save(_temp.Input(Guid.NewGuid().ToString("N") + ".zip"));

    private UnsafeArchiveException Refused(ZipBuilder builder, ArchiveLimits? limits = null)
    {
        var e = Assert.Throws<UnsafeArchiveException>(() => SafeZipExtractor.Extract(Zip(builder), Path.Combine(_temp.Work, "x"), limits));
        Assert.Empty(_temp.FilesOutsideWork());
        Assert.Empty(Directory.GetFiles(_temp.Work, "*", SearchOption.AllDirectories));
        return e;
    }

    [Theory]
    [InlineData("../evil.wav", "parent-folder")]
    [InlineData("clips/../../evil.wav", "parent-folder")]
    [InlineData("..\\evil.wav", "parent-folder")]
    [InlineData("/tmp/evil.wav", "absolute path")]
    [InlineData("\\evil.wav", "absolute path")]
    [InlineData("C:\\evil.wav", "drive-letter")]
    [InlineData("C:evil.wav", "drive-letter")]
    [InlineData("clips/evil.wav:stream", "':'")]
    public void HostileNamesRefuseTheArchive(string entry, string reason)
    {
        var e = Refused(new ZipBuilder().Text("fine.txt", "ok").Text(entry, "payload"));
        Assert.Equal(entry, e.Entry);
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void SymbolicLinkEntriesRefuseTheArchive()
    {
        var e = Refused(new ZipBuilder().Symlink("clips/link.wav", "/etc/passwd"));
        Assert.Contains("symbolic-link", e.Message);
        Assert.Equal("clips/link.wav", e.Entry);
    }

    [Fact]
    public void ZipBombIsRefusedBeforeAnythingIsWritten()
    {
        var e = Refused(new ZipBuilder().Zeros("bomb.wav", 64L << 20));
        Assert.Contains("zip bomb", e.Message);
    }

    [Fact]
    public void TotalSizeAndEntryCountLimitsHold()
    {
        var limits = new ArchiveLimits(MaxEntries: 5, MaxTotalBytes: 1000);
        Assert.Contains("expands to more than 1000 bytes", Refused(new ZipBuilder().Bytes("a.wav", new byte[600]).Bytes("b.wav", new byte[600]), limits).Message);
        var many = new ZipBuilder();
        for (int i = 0; i < 6; i++) many.Text($"c{i}.txt", "x");
        Assert.Contains("6 entries exceed the limit of 5", Refused(many, limits).Message);
    }

    [Fact]
    public void DuplicateNamesAreAllListed()
    {
        var e = Assert.Throws<DuplicateFileNamesException>(() => SafeZipExtractor.Extract(Zip(new ZipBuilder()
            .Text("a/kick.wav", "1").Text("b/kick.wav", "2").Text("c/KICK.wav", "3")
            .Text("a/snare.txt", "x").Text("b/snare.txt", "y")
            .Text("hat.wav", "1").Text("hat.mp3", "2")), _temp.Work));
        Assert.Equal(new[] { "hat.*", "kick.wav", "snare.txt" }, e.Duplicates.Keys.Select(k => k.ToLowerInvariant()).Order());
        Assert.Equal(new[] { "a/kick.wav", "b/kick.wav", "c/KICK.wav" }, e.Duplicates["kick.wav"]);
        Assert.Empty(Directory.GetFiles(_temp.Work, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void MacAndWindowsLitterAndHiddenFilesAreSkipped()
    {
        var result = SafeZipExtractor.Extract(Zip(new ZipBuilder()
            .Folder("set").Text("set/a.wav", "a").Text("set/a.txt", "cap")
            .Text("__MACOSX/set/._a.wav", "x").Text("set/._a.wav", "x").Text("set/.DS_Store", "x")
            .Text("set/Thumbs.db", "x").Text(".hidden/b.wav", "x").Text("set/notes.pdf", "x")), _temp.Work);
        Assert.Equal(new[] { "set/a.txt", "set/a.wav" }, result.Files.Select(f => f.EntryName).Order());
        Assert.Equal(6, result.Ignored.Count);
        Assert.Contains(result.Ignored, i => i.EntryName == "set/notes.pdf" && i.Reason.Contains("neither"));
        Assert.True(File.Exists(Path.Combine(_temp.Work, "a.wav")));
        Assert.Empty(_temp.FilesOutsideWork());
    }

    [Fact]
    public void ADotPrefixIsNotAHiddenFolder()
    {
        var result = SafeZipExtractor.Extract(Zip(new ZipBuilder().Text("./set/a.wav", "a").Text("./.hidden.wav", "h")), _temp.Work);
        Assert.Equal("./set/a.wav", Assert.Single(result.Files).EntryName);
        Assert.Equal("./.hidden.wav", Assert.Single(result.Ignored).EntryName);
    }

    [Fact]
    public void NestedFoldersAreFlattenedInsideTheDestination()
    {
        var result = SafeZipExtractor.Extract(Zip(new ZipBuilder().Text("deep/er/still/x.wav", "x")), _temp.Work);
        Assert.Equal(Path.Combine(_temp.Work, "x.wav"), result.Files.Single().Path);
    }

    [Fact]
    public void NotAZipIsRefused()
    {
        var path = _temp.Input("fake.zip");
        File.WriteAllText(path, "<html>not found</html>");
        Assert.Contains("not a valid zip", Assert.Throws<NotAZipArchiveException>(() => SafeZipExtractor.Extract(path, _temp.Work)).Message);
    }
}
