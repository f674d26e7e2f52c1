using System.Text;
using LtxTrainer.Core.Ingest;

namespace LtxTrainer.Core.Tests.Ingest;

public sealed class CaptionTextTests
{
    private const string Text = "Café crème — 808 kick, «dry»";

    public static TheoryData<string, byte[]> Encodings()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return new TheoryData<string, byte[]>
        {
            { "utf8", new UTF8Encoding(false).GetBytes("  " + Text + "\r\n") },
            { "utf8-bom", new UTF8Encoding(true).GetPreamble().Concat(Encoding.UTF8.GetBytes(Text + "\n")).ToArray() },
            { "utf16le-bom", Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(Text)).ToArray() },
            { "utf16be-bom", Encoding.BigEndianUnicode.GetPreamble().Concat(Encoding.BigEndianUnicode.GetBytes(Text)).ToArray() },
            { "utf32-bom", Encoding.UTF32.GetPreamble().Concat(Encoding.UTF32.GetBytes(Text)).ToArray() },
            { "windows-1252", Encoding.GetEncoding(1252).GetBytes(Text) },
        };
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public void DecodesEveryCommonEncodingAndTrims(string name, byte[] bytes)
    {
        Assert.True(CaptionText.Decode(bytes) == Text, name);
    }

    [Fact]
    public void EmptyAndWhitespaceCaptionsAreEmpty()
    {
        Assert.Equal("", CaptionText.Decode(Array.Empty<byte>()));
        Assert.Equal("", CaptionText.Decode(new byte[] { 0xEF, 0xBB, 0xBF, 0x20, 0x0A }));
    }

    [Fact]
    public void OversizedCaptionFileIsRefused()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, new byte[CaptionText.MaxBytes + 1]);
            Assert.Throws<InvalidDataException>(() => CaptionText.Read(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
