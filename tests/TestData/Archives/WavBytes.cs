using System.Buffers.Binary;
using System.Text;

namespace LtxTrainer.TestData;

/// <summary>Writes small WAV files from sample arrays (for NaN, silence and exact-format cases).</summary>
public static class WavBytes
{
    /// <summary>32-bit IEEE float WAV of interleaved samples.</summary>
    public static byte[] Float32(float[] interleaved, int rate, int channels)
    {
        var data = new byte[interleaved.Length * 4];
        System.Runtime.InteropServices.MemoryMarshal.Cast<float, byte>(interleaved).CopyTo(data);
        return Build(3, 32, rate, channels, data);
    }

    /// <summary>16-bit PCM WAV of interleaved samples (clipped).</summary>
    public static byte[] Pcm16(float[] interleaved, int rate, int channels)
    {
        var data = new byte[interleaved.Length * 2];
        for (int i = 0; i < interleaved.Length; i++)
            BinaryPrimitives.WriteInt16LittleEndian(data.AsSpan(2 * i), (short)Math.Clamp(Math.Round(interleaved[i] * 32767f), -32768, 32767));
        return Build(1, 16, rate, channels, data);
    }

    private static byte[] Build(short format, short bits, int rate, int channels, byte[] data)
    {
        using var ms = new MemoryStream();
        using var w = new BinaryWriter(ms, Encoding.ASCII);
        w.Write("RIFF"u8);
        w.Write(36 + data.Length);
        w.Write("WAVE"u8);
        w.Write("fmt "u8);
        w.Write(16);
        w.Write(format);
        w.Write((short)channels);
        w.Write(rate);
        w.Write(rate * channels * bits / 8);
        w.Write((short)(channels * bits / 8));
        w.Write(bits);
        w.Write("data"u8);
        w.Write(data.Length);
        w.Write(data);
        w.Flush();
        return ms.ToArray();
    }

    /// <summary>A sine of <paramref name="hz"/> at <paramref name="amplitude"/>, mono.</summary>
    public static float[] Sine(double hz, double seconds, int rate, float amplitude = 0.5f)
    {
        var x = new float[(int)Math.Round(seconds * rate)];
        for (int i = 0; i < x.Length; i++) x[i] = amplitude * (float)Math.Sin(2 * Math.PI * hz * i / rate);
        return x;
    }
}
