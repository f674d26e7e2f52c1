namespace LtxTrainer.Core.Audio;

/// <summary>
/// Streams a decoder into stereo and keeps at most <c>maxFrames</c> of it: with <see cref="TrimFrom.Start"/>
/// decoding stops as soon as enough is read; with <see cref="TrimFrom.End"/> the whole file is decoded
/// through a ring buffer holding only the last <c>maxFrames</c>. Memory therefore depends on the bucket
/// length, never on the file length.
/// </summary>
public static class StereoWindowReader
{
    private const int ChunkFrames = 8192;

    public static StereoWindow Read(IAudioDecoder decoder, long maxFrames, TrimFrom trimFrom, CancellationToken cancellationToken = default)
    {
        if (maxFrames <= 0 || maxFrames > int.MaxValue) throw new ArgumentOutOfRangeException(nameof(maxFrames));
        int channels = decoder.Channels;
        int capacity = (int)maxFrames;
        var ringLeft = new float[capacity];
        var ringRight = new float[capacity];
        var chunk = new float[ChunkFrames * channels];
        var left = new float[ChunkFrames];
        var right = new float[ChunkFrames];
        long total = 0;
        int writePos = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int want = chunk.Length;
            if (trimFrom == TrimFrom.Start)
            {
                long remaining = maxFrames - total;
                if (remaining <= 0) break;
                want = (int)Math.Min(want, remaining * channels);
            }
            int samples = decoder.Read(chunk.AsSpan(0, want));
            if (samples == 0) break;
            int frames = samples / channels;
            StereoDownmix.Append(chunk, channels, frames, left, right);
            // Ring write (for Start it never wraps because reading stops at capacity).
            int offset = 0;
            while (offset < frames)
            {
                int n = Math.Min(frames - offset, capacity - writePos);
                Array.Copy(left, offset, ringLeft, writePos, n);
                Array.Copy(right, offset, ringRight, writePos, n);
                writePos = (writePos + n) % capacity;
                offset += n;
            }
            total += frames;
        }
        int kept = (int)Math.Min(total, maxFrames);
        return new StereoWindow(Unroll(ringLeft, writePos, kept, total), Unroll(ringRight, writePos, kept, total),
            decoder.SampleRate, channels, total);
    }

    private static float[] Unroll(float[] ring, int writePos, int kept, long total)
    {
        if (total <= ring.Length)
        {
            if (kept == ring.Length) return ring;
            return ring.AsSpan(0, kept).ToArray();
        }
        // Wrapped: the oldest kept sample sits at writePos.
        var result = new float[ring.Length];
        int tail = ring.Length - writePos;
        Array.Copy(ring, writePos, result, 0, tail);
        Array.Copy(ring, 0, result, tail, writePos);
        return result;
    }
}
