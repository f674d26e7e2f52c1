namespace LtxTrainer.Core.Audio;

/// <summary>
/// Streams a decoder into stereo and keeps at most <c>maxFrames</c> of it: with <see cref="TrimFrom.Start"/>
/// decoding stops as soon as enough is read; with <see cref="TrimFrom.End"/> the whole file is decoded
/// through a ring buffer holding only the last frames. Memory therefore depends on the bucket length,
/// never on the file length.
/// <para>With silence trimming (<see cref="SilenceTrim"/>) the window is placed on the audible part:
/// for End it ends on the last audible frame. The clip's peak is only known once the whole file is
/// decoded, so the ring then holds <see cref="TrailingSilenceSlackSeconds"/> (at least the bucket) more,
/// and per-block peaks of the whole file say where the sound ends; a longer trailing silence is read
/// again from <c>reopen</c>. For Start it begins on the first frame audible relative to the peak of what
/// was read (the leading part and the window: decoding still stops once the window is full).</para>
/// </summary>
public static class StereoWindowReader
{
    private const int ChunkFrames = 8192;
    private const int PeakBlockFrames = 1024;

    /// <summary>Trailing silence (beyond the bucket length) found in one decoding pass.</summary>
    public const double TrailingSilenceSlackSeconds = 10.0;

    /// <param name="decoder">The source.</param>
    /// <param name="maxFrames">Frames to keep, at the decoder's rate.</param>
    /// <param name="trimFrom">Which end to keep.</param>
    /// <param name="cancellationToken">Stops decoding.</param>
    /// <param name="trimSilence">Place the window on the audible part (see the class remarks).</param>
    /// <param name="reopen">
    /// Opens the same file again, for a trailing silence longer than one pass holds; without it such a
    /// window ends <see cref="TrailingSilenceSlackSeconds"/> before the file's end, as close as one pass gets.
    /// </param>
    public static StereoWindow Read(IAudioDecoder decoder, long maxFrames, TrimFrom trimFrom, CancellationToken cancellationToken = default,
        bool trimSilence = false, Func<IAudioDecoder>? reopen = null)
    {
        if (maxFrames <= 0 || maxFrames > int.MaxValue / 2) throw new ArgumentOutOfRangeException(nameof(maxFrames));
        if (!trimSilence) return ReadPlain(decoder, maxFrames, trimFrom, cancellationToken);
        return trimFrom == TrimFrom.End
            ? ReadEndingOnSound(decoder, (int)maxFrames, reopen, cancellationToken)
            : ReadStartingOnSound(decoder, (int)maxFrames, cancellationToken);
    }

    private static StereoWindow ReadPlain(IAudioDecoder decoder, long maxFrames, TrimFrom trimFrom, CancellationToken cancellationToken)
    {
        var ring = new Ring((int)maxFrames);
        var chunks = new StereoChunks(decoder);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long want = trimFrom == TrimFrom.Start ? maxFrames - ring.Total : ChunkFrames;
            if (want <= 0) break;
            int frames = chunks.Next((int)Math.Min(want, ChunkFrames));
            if (frames == 0) break;
            ring.Write(chunks.Left, chunks.Right, frames);
        }
        var (left, right) = ring.Last((int)Math.Min(ring.Total, maxFrames));
        return new StereoWindow(left, right, decoder.SampleRate, decoder.Channels, ring.Total);
    }

    private static StereoWindow ReadEndingOnSound(IAudioDecoder decoder, int maxFrames, Func<IAudioDecoder>? reopen, CancellationToken cancellationToken)
    {
        long slack = Math.Max(maxFrames, (long)(TrailingSilenceSlackSeconds * decoder.SampleRate));
        var ring = new Ring((int)Math.Min(int.MaxValue / 2, maxFrames + slack));
        var blockPeaks = new List<float>();
        float blockPeak = 0f, peak = 0f;
        var chunks = new StereoChunks(decoder);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int frames = chunks.Next(ChunkFrames);
            if (frames == 0) break;
            for (int i = 0; i < frames; i++)
            {
                // NaN propagates through Max as NaN only one way: keep it explicitly, the clip is skipped for it.
                float level = SilenceTrim.Level(chunks.Left, chunks.Right, i);
                blockPeak = float.IsNaN(level) || float.IsNaN(blockPeak) ? float.NaN : Math.Max(blockPeak, level);
                if ((ring.Total + i + 1) % PeakBlockFrames == 0)
                {
                    blockPeaks.Add(blockPeak);
                    peak = float.IsNaN(blockPeak) || float.IsNaN(peak) ? float.NaN : Math.Max(peak, blockPeak);
                    blockPeak = 0f;
                }
            }
            ring.Write(chunks.Left, chunks.Right, frames);
        }
        long total = ring.Total;
        if (total % PeakBlockFrames != 0)
        {
            blockPeaks.Add(blockPeak);
            peak = float.IsNaN(blockPeak) || float.IsNaN(peak) ? float.NaN : Math.Max(peak, blockPeak);
        }

        long end = total, blockStart = total;
        float threshold = 0f;
        if (!SilenceTrim.IsSilentThroughout(peak))
        {
            threshold = SilenceTrim.Threshold(peak);
            int block = blockPeaks.FindLastIndex(p => p >= threshold);
            blockStart = block * (long)PeakBlockFrames;
            end = Math.Min(total, blockStart + PeakBlockFrames);
            // Down to the exact frame while that block is still in the ring.
            while (end > total - ring.Capacity && end > blockStart && ring.LevelAt(end - 1) < threshold) end--;
        }
        bool exact = end == total || end - 1 >= total - ring.Capacity;
        long start = Math.Max(0, end - maxFrames);
        if (start >= total - ring.Capacity)
        {
            var (left, right) = ring.Range(start, (int)(end - start));
            return new StereoWindow(left, right, decoder.SampleRate, decoder.Channels, total, total - end);
        }
        if (reopen is null)
        {
            // As close to the sound as one pass holds.
            start = total - ring.Capacity;
            var (left, right) = ring.Range(start, maxFrames);
            return new StereoWindow(left, right, decoder.SampleRate, decoder.Channels, total, total - start - maxFrames);
        }

        // Read again, from a block earlier when the last sound's exact frame is still to be found.
        long from = Math.Max(0, start - (exact ? 0 : PeakBlockFrames));
        using var again = reopen();
        var (l, r) = ReadRange(again, from, (int)(end - from), cancellationToken);
        end = from + l.Length;
        while (!exact && end > blockStart && end > from && SilenceTrim.Level(l, r, (int)(end - from - 1)) < threshold) end--;
        start = Math.Max(from, end - maxFrames);
        return new StereoWindow(l[(int)(start - from)..(int)(end - from)], r[(int)(start - from)..(int)(end - from)],
            decoder.SampleRate, decoder.Channels, total, total - end);
    }

    private static StereoWindow ReadStartingOnSound(IAudioDecoder decoder, int maxFrames, CancellationToken cancellationToken)
    {
        // Frames from the current start candidate on; a candidate only ever moves later as the peak grows,
        // so what lies before it is silent for good and is dropped.
        var left = new float[maxFrames + ChunkFrames];
        var right = new float[maxFrames + ChunkFrames];
        int count = 0;
        long start = 0, total = 0;
        float peak = 0f;
        var chunks = new StereoChunks(decoder);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int frames = chunks.Next(ChunkFrames);
            if (frames == 0) break;
            Array.Copy(chunks.Left, 0, left, count, frames);
            Array.Copy(chunks.Right, 0, right, count, frames);
            count += frames;
            total += frames;
            float chunkPeak = PeakLevels.Peak(chunks.Left.AsSpan(0, frames), chunks.Right.AsSpan(0, frames));
            peak = float.IsNaN(chunkPeak) || float.IsNaN(peak) ? float.NaN : Math.Max(peak, chunkPeak);
            int drop;
            if (float.IsNaN(peak))
            {
                drop = 0; // the clip is skipped as non-finite: no start to find
            }
            else if (SilenceTrim.IsSilentThroughout(peak))
            {
                // Nothing audible yet: keep only a bucket of it, which is what a clip silent to the end shows.
                drop = Math.Max(0, count - maxFrames);
            }
            else
            {
                float threshold = SilenceTrim.Threshold(peak);
                drop = 0;
                while (drop < count && SilenceTrim.Level(left, right, drop) < threshold) drop++;
            }
            if (drop > 0)
            {
                Array.Copy(left, drop, left, 0, count - drop);
                Array.Copy(right, drop, right, 0, count - drop);
                count -= drop;
                start += drop;
            }
            if (count >= maxFrames && (float.IsNaN(peak) || !SilenceTrim.IsSilentThroughout(peak))) break;
        }
        int kept = Math.Min(count, maxFrames);
        // A clip silent throughout keeps a bucket of its silence (skipped as silent later).
        return new StereoWindow(left[..kept], right[..kept], decoder.SampleRate, decoder.Channels, total, start);
    }

    /// <summary>Frames [start, start + frames) of a fresh decoder.</summary>
    private static (float[] Left, float[] Right) ReadRange(IAudioDecoder decoder, long start, int frames, CancellationToken cancellationToken)
    {
        var left = new float[frames];
        var right = new float[frames];
        var chunks = new StereoChunks(decoder);
        long position = 0;
        int kept = 0;
        while (kept < frames)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int n = chunks.Next((int)Math.Min(ChunkFrames, start + frames - position));
            if (n == 0) break;
            int skip = (int)Math.Clamp(start - position, 0, n);
            Array.Copy(chunks.Left, skip, left, kept, n - skip);
            Array.Copy(chunks.Right, skip, right, kept, n - skip);
            kept += n - skip;
            position += n;
        }
        return kept == frames ? (left, right) : (left[..kept], right[..kept]);
    }

    /// <summary>Pulls interleaved chunks from a decoder and downmixes them to stereo.</summary>
    private sealed class StereoChunks(IAudioDecoder decoder)
    {
        private readonly float[] _chunk = new float[ChunkFrames * decoder.Channels];

        public float[] Left { get; } = new float[ChunkFrames];
        public float[] Right { get; } = new float[ChunkFrames];

        /// <summary>Reads up to <paramref name="frames"/> frames into <see cref="Left"/> and <see cref="Right"/>; 0 at the end.</summary>
        public int Next(int frames)
        {
            int samples = decoder.Read(_chunk.AsSpan(0, frames * decoder.Channels));
            int read = samples / decoder.Channels;
            StereoDownmix.Append(_chunk, decoder.Channels, read, Left, Right);
            return read;
        }
    }

    /// <summary>The last <see cref="Capacity"/> stereo frames of a stream.</summary>
    private sealed class Ring(int capacity)
    {
        private readonly float[] _left = new float[capacity];
        private readonly float[] _right = new float[capacity];
        private int _writePos;

        public int Capacity { get; } = capacity;

        /// <summary>Frames written so far.</summary>
        public long Total { get; private set; }

        public void Write(float[] left, float[] right, int frames)
        {
            int offset = 0;
            while (offset < frames)
            {
                int n = Math.Min(frames - offset, Capacity - _writePos);
                Array.Copy(left, offset, _left, _writePos, n);
                Array.Copy(right, offset, _right, _writePos, n);
                _writePos = (_writePos + n) % Capacity;
                offset += n;
            }
            Total += frames;
        }

        private int Index(long frame) => (int)(frame % Capacity);

        /// <summary>The level of stream frame <paramref name="frame"/> (which must still be held).</summary>
        public float LevelAt(long frame) => SilenceTrim.Level(_left, _right, Index(frame));

        /// <summary>The last <paramref name="frames"/> frames.</summary>
        public (float[] Left, float[] Right) Last(int frames) => Range(Total - frames, frames);

        /// <summary>Stream frames [start, start + frames), which must still be held.</summary>
        public (float[] Left, float[] Right) Range(long start, int frames)
        {
            if (Total <= Capacity && start == 0 && frames == Capacity) return (_left, _right);
            var left = new float[frames];
            var right = new float[frames];
            int first = Index(start);
            int tail = Math.Min(frames, Capacity - first);
            Array.Copy(_left, first, left, 0, tail);
            Array.Copy(_right, first, right, 0, tail);
            Array.Copy(_left, 0, left, tail, frames - tail);
            Array.Copy(_right, 0, right, tail, frames - tail);
            return (left, right);
        }
    }
}
