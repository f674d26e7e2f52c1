using System.Text;

namespace LtxTrainer.Core.Audio;

/// <summary>
/// Checks that a file's first bytes are those of the format its extension names. Decoders, ffmpeg above
/// all, guess the format from the content and will happily play random bytes or an MP3 named .flac as
/// "some codec's noise"; a dataset must decode a file as what its name says or skip it as unreadable.
/// The checks are the formats' own magic numbers (an ID3v2 tag may precede MP3, AAC and FLAC); for the
/// two formats without one (raw MPEG audio and ADTS AAC), two consecutive valid frame headers.
/// </summary>
public static class AudioFileSignature
{
    private const int HeadBytes = 64 * 1024;

    /// <summary>Null when <paramref name="file"/> starts as its extension's format does, else the reason it does not.</summary>
    public static string? Mismatch(string file)
    {
        var ext = Path.GetExtension(file).ToLowerInvariant();
        byte[] head;
        using (var stream = File.OpenRead(file))
        {
            head = new byte[(int)Math.Min(HeadBytes, stream.Length)];
            stream.ReadExactly(head);
        }
        var (name, ok) = ext switch
        {
            ".wav" or ".wave" => ("WAV", Riff(head, "RIFF", "WAVE") || Riff(head, "RF64", "WAVE") || Riff(head, "BW64", "WAVE")),
            ".mp3" => ("MP3", ChainedFrames(head, AfterId3(head), MpegFrameLength)),
            ".ogg" or ".oga" or ".opus" => ("Ogg", Ascii(head, 0, "OggS")),
            ".flac" => ("FLAC", Ascii(head, AfterId3(head), "fLaC")),
            ".aac" => ("AAC", Ascii(head, AfterId3(head), "ADIF") || ChainedFrames(head, AfterId3(head), AdtsFrameLength)),
            ".m4a" => ("M4A", head.Length >= 8 && Encoding.ASCII.GetString(head, 4, 4) is "ftyp" or "moov" or "mdat" or "free" or "wide" or "skip"),
            ".aif" or ".aiff" => ("AIFF", Riff(head, "FORM", "AIFF") || Riff(head, "FORM", "AIFC")),
            ".wma" => ("WMA", head.AsSpan().StartsWith(AsfHeaderGuid)),
            _ => (ext, true),
        };
        return ok ? null : $"not a {name} file: its content does not begin as {name} does (a mislabeled or damaged file)";
    }

    private static readonly byte[] AsfHeaderGuid = [0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11, 0xA6, 0xD9, 0x00, 0xAA, 0x00, 0x62, 0xCE, 0x6C];

    private static bool Ascii(byte[] head, int offset, string magic) =>
        offset >= 0 && head.Length >= offset + magic.Length && Encoding.ASCII.GetString(head, offset, magic.Length) == magic;

    private static bool Riff(byte[] head, string chunk, string form) => Ascii(head, 0, chunk) && Ascii(head, 8, form);

    // ID3v2: "ID3", version, flags, then a 28-bit "syncsafe" size; a footer adds 10 bytes.
    private static int AfterId3(byte[] head)
    {
        if (!Ascii(head, 0, "ID3") || head.Length < 10) return 0;
        int size = (head[6] & 0x7F) << 21 | (head[7] & 0x7F) << 14 | (head[8] & 0x7F) << 7 | (head[9] & 0x7F);
        return 10 + size + ((head[5] & 0x10) != 0 ? 10 : 0);
    }

    // The first frame may follow padding; the next one must start right where the first says it ends.
    // Random bytes hold a lone sync word every few kilobytes, but almost never two chained frames.
    private static bool ChainedFrames(byte[] head, int start, Func<ReadOnlySpan<byte>, int> frameLength)
    {
        for (int i = start; i >= 0 && i + 4 <= head.Length; i++)
        {
            int length = frameLength(head.AsSpan(i));
            if (length <= 0) continue;
            int next = i + length;
            if (next + 4 > head.Length) return next == head.Length; // a one-frame file
            if (frameLength(head.AsSpan(next)) > 0) return true;
        }
        return false;
    }

    private static readonly int[] Mpeg1Layer3Kbps = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
    private static readonly int[] Mpeg2Layer3Kbps = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
    private static readonly int[] MpegRates = [44100, 48000, 32000];

    /// <summary>Byte length of the MPEG-1/2/2.5 Layer III frame whose header starts <paramref name="b"/>, or 0.</summary>
    private static int MpegFrameLength(ReadOnlySpan<byte> b)
    {
        if (b.Length < 4 || b[0] != 0xFF || (b[1] & 0xE0) != 0xE0) return 0;
        int version = (b[1] >> 3) & 3; // 0: 2.5, 2: 2, 3: 1
        int layer = (b[1] >> 1) & 3;   // 1: Layer III
        int bitrate = b[2] >> 4, rate = (b[2] >> 2) & 3, padding = (b[2] >> 1) & 1;
        if (version == 1 || layer != 1 || bitrate is 0 or 15 || rate == 3) return 0;
        int sampleRate = MpegRates[rate] >> (version == 3 ? 0 : version == 2 ? 1 : 2);
        int kbps = (version == 3 ? Mpeg1Layer3Kbps : Mpeg2Layer3Kbps)[bitrate];
        return (version == 3 ? 144 : 72) * kbps * 1000 / sampleRate + padding;
    }

    /// <summary>Byte length of the ADTS frame whose header starts <paramref name="b"/>, or 0.</summary>
    private static int AdtsFrameLength(ReadOnlySpan<byte> b)
    {
        if (b.Length < 7 || b[0] != 0xFF || (b[1] & 0xF6) != 0xF0) return 0; // sync, layer 00
        if (((b[2] >> 2) & 0xF) > 12) return 0;                              // sampling frequency index
        int length = (b[3] & 0x3) << 11 | b[4] << 3 | b[5] >> 5;
        return length >= 7 ? length : 0;
    }
}
