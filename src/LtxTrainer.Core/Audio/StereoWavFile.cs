using NAudio.Wave;

namespace LtxTrainer.Core.Audio;

/// <summary>
/// The processed-clip file format: 32-bit float stereo WAV (lossless for the float pipeline, readable by
/// every audio tool for inspection). Writes are atomic: a temporary name in the same folder, then a rename.
/// </summary>
public static class StereoWavFile
{
    public static void Write(string path, ReadOnlySpan<float> left, ReadOnlySpan<float> right, int sampleRate)
    {
        if (left.Length != right.Length) throw new ArgumentException("Channels differ in length.", nameof(right));
        var temp = path + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            using (var writer = new WaveFileWriter(temp, WaveFormat.CreateIeeeFloatWaveFormat(sampleRate, 2)))
            {
                var frame = new float[2 * 4096];
                for (int start = 0; start < left.Length; start += 4096)
                {
                    int n = Math.Min(4096, left.Length - start);
                    for (int i = 0; i < n; i++)
                    {
                        frame[2 * i] = left[start + i];
                        frame[2 * i + 1] = right[start + i];
                    }
                    writer.WriteSamples(frame, 0, 2 * n);
                }
            }
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Reads a stereo file written by <see cref="Write"/> (or any stereo WAV).</summary>
    public static (float[] Left, float[] Right, int SampleRate) Read(string path)
    {
        using var decoder = new WavDecoder(path);
        if (decoder.Channels != 2) throw new AudioDecodeException(path, $"expected 2 channels, found {decoder.Channels}");
        var left = new List<float>();
        var right = new List<float>();
        var buffer = new float[8192];
        int n;
        while ((n = decoder.Read(buffer)) > 0)
        {
            for (int i = 0; i < n; i += 2)
            {
                left.Add(buffer[i]);
                right.Add(buffer[i + 1]);
            }
        }
        return (left.ToArray(), right.ToArray(), decoder.SampleRate);
    }
}
