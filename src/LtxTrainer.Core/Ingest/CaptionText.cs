using System.Text;

namespace LtxTrainer.Core.Ingest;

/// <summary>
/// Reads a caption file whatever editor wrote it: UTF-8 with or without BOM, UTF-16 LE/BE and UTF-32 with
/// BOM. Without a BOM the bytes are decoded as strict UTF-8; when that fails they are taken as
/// Windows-1252 (the usual "ANSI" of Western Windows editors, and a superset of Latin-1's printable
/// range), so an old caption never stops a clip. The result is trimmed; NUL characters are dropped.
/// </summary>
public static class CaptionText
{
    /// <summary>Captions larger than this are refused: a caption is a sentence, not a book.</summary>
    public const int MaxBytes = 64 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    static CaptionText() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>Reads and decodes <paramref name="path"/>; throws <see cref="InvalidDataException"/> when too large.</summary>
    public static string Read(string path)
    {
        var info = new FileInfo(path);
        if (info.Length > MaxBytes) throw new InvalidDataException($"caption file {info.Name} is {info.Length} bytes, over the {MaxBytes}-byte limit");
        return Decode(File.ReadAllBytes(path));
    }

    /// <summary>Decodes caption bytes as described on the type.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        string text;
        if (bytes.StartsWith(new byte[] { 0xEF, 0xBB, 0xBF })) text = Encoding.UTF8.GetString(bytes[3..]);
        else if (bytes.StartsWith(new byte[] { 0xFF, 0xFE, 0x00, 0x00 })) text = Encoding.UTF32.GetString(bytes[4..]);
        else if (bytes.StartsWith(new byte[] { 0xFF, 0xFE })) text = Encoding.Unicode.GetString(bytes[2..]);
        else if (bytes.StartsWith(new byte[] { 0xFE, 0xFF })) text = Encoding.BigEndianUnicode.GetString(bytes[2..]);
        else
        {
            try
            {
                text = StrictUtf8.GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                text = Encoding.GetEncoding(1252).GetString(bytes);
            }
        }
        return text.Replace("\0", string.Empty).Trim();
    }
}
