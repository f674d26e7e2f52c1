using System.Buffers.Binary;
using LtxTrainer.Core.Outputs;

namespace LtxTrainer.Core.Tests.Outputs;

public sealed class SpectrogramPlotTests : IDisposable
{
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("ltx-spectrogram-");

    public void Dispose() => _temp.Delete(true);

    // 0.5 s of 1 kHz, then 0.5 s of 4 kHz, at 48 kHz (the right channel quieter).
    private static float[][] TwoTones(int rate = 48000)
    {
        var left = new float[rate];
        var right = new float[rate];
        for (int i = 0; i < rate; i++)
        {
            float f = i < rate / 2 ? 1000f : 4000f;
            left[i] = 0.5f * MathF.Sin(2 * MathF.PI * f * i / rate);
            right[i] = 0.25f * left[i];
        }
        return [left, right];
    }

    [Fact]
    public void Decibels_put_each_tone_in_its_frequency_bin_over_time()
    {
        var db = SpectrogramPlot.Decibels(TwoTones(), 48000, out int hop);
        int bins = db.GetLength(0), frames = db.GetLength(1);
        double hzPerBin = 24000.0 / (bins - 1);
        double Loudest(int frame)
        {
            int best = 0;
            for (int r = 1; r < bins; r++) if (db[r, frame] > db[best, frame]) best = r;
            return (bins - 1 - best) * hzPerBin;   // row 0 is the highest frequency
        }
        Assert.Equal(1000, Loudest(frames / 4), 0.03 * 1000 + hzPerBin);
        Assert.Equal(4000, Loudest(3 * frames / 4), hzPerBin);
        Assert.Equal(48000 / hop + 1, frames);
        double max = db.Cast<double>().Max(), min = db.Cast<double>().Min();
        Assert.Equal(SpectrogramPlot.RangeDb, max - min, 6);
    }

    [Fact]
    public void Writes_a_png_of_the_asked_size_without_a_temporary_left_behind()
    {
        var path = Path.Combine(_temp.FullName, "sub", "preview.png");
        SpectrogramPlot.Write(path, TwoTones(), 48000, seamSeconds: 0.5, title: "two tones", width: 640, height: 320);

        var bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        Assert.Equal(640, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4)));   // IHDR width
        Assert.Equal(320, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20, 4)));   // IHDR height
        Assert.Equal(["preview.png"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
    }

    [Fact]
    public void Empty_audio_is_refused()
    {
        Assert.Throws<ArgumentException>(() => SpectrogramPlot.Write(Path.Combine(_temp.FullName, "x.png"), [[]], 48000, null));
    }
}
