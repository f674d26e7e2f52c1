namespace LtxTrainer.Core.Audio;

/// <summary>
/// Band-limited (Hann-windowed sinc) resampler with the exact kernel and framing of torchaudio's
/// <c>functional.resample</c> defaults (lowpass width 6, rolloff 0.99, gcd-reduced rates, kernel built in
/// float32, output length <c>ceil(N·new/orig)</c>), which is what the official preprocessing uses.
/// It streams: feed any number of chunks, then <see cref="Flush"/>; memory stays bounded by one
/// kernel window, so long files never need to be held whole.
/// </summary>
public sealed class SincResampler
{
    private readonly float[][] _kernels; // [newStep][kernelLength]
    private readonly (int First, int End)[] _support; // non-zero tap range per phase
    private readonly int _orig;           // gcd-reduced source step
    private readonly int _new;            // gcd-reduced target step
    private readonly int _width;
    private readonly int _kernelLength;
    private float[] _buffer;              // padded input not yet consumed
    private int _bufferCount;
    private long _inputCount;
    private long _outputCount;
    private bool _flushed;

    public SincResampler(int sourceRate, int targetRate, int lowpassFilterWidth = 6, double rolloff = 0.99)
    {
        if (sourceRate <= 0) throw new ArgumentOutOfRangeException(nameof(sourceRate));
        if (targetRate <= 0) throw new ArgumentOutOfRangeException(nameof(targetRate));
        SourceRate = sourceRate;
        TargetRate = targetRate;
        int g = Gcd(sourceRate, targetRate);
        _orig = sourceRate / g;
        _new = targetRate / g;
        (_kernels, _width) = BuildKernels(_orig, _new, lowpassFilterWidth, rolloff);
        _support = _kernels.Select(Support).ToArray();
        _kernelLength = 2 * _width + _orig;
        // torchaudio pads `width` zeros before the signal.
        _buffer = new float[Math.Max(4096, _kernelLength * 2)];
        _bufferCount = _width;
    }

    public int SourceRate { get; }
    public int TargetRate { get; }

    /// <summary>Output length torchaudio produces for <paramref name="inputLength"/> samples.</summary>
    public static long OutputLength(long inputLength, int sourceRate, int targetRate)
    {
        if (sourceRate == targetRate) return inputLength;
        int g = Gcd(sourceRate, targetRate);
        long o = sourceRate / g, n = targetRate / g;
        return (n * inputLength + o - 1) / o;
    }

    /// <summary>Resamples a whole signal in one call.</summary>
    public static float[] Resample(ReadOnlySpan<float> input, int sourceRate, int targetRate)
    {
        if (sourceRate == targetRate) return input.ToArray();
        var r = new SincResampler(sourceRate, targetRate);
        var output = new List<float>((int)OutputLength(input.Length, sourceRate, targetRate));
        r.Process(input, output);
        r.Flush(output);
        return output.ToArray();
    }

    /// <summary>Consumes a chunk and appends every output sample that is already fully determined.</summary>
    public void Process(ReadOnlySpan<float> chunk, List<float> output)
    {
        if (_flushed) throw new InvalidOperationException("The resampler was flushed; create a new one.");
        if (SourceRate == TargetRate)
        {
            foreach (var v in chunk) output.Add(v);
            _inputCount += chunk.Length;
            _outputCount += chunk.Length;
            return;
        }
        Append(chunk);
        _inputCount += chunk.Length;
        Drain(output, OutputLength(_inputCount, SourceRate, TargetRate));
    }

    /// <summary>Ends the stream: pads with zeros as torchaudio does and emits the remaining samples.</summary>
    public void Flush(List<float> output)
    {
        if (_flushed) return;
        _flushed = true;
        if (SourceRate == TargetRate) return;
        Append(new float[_width + _orig]);
        Drain(output, OutputLength(_inputCount, SourceRate, TargetRate));
    }

    private void Append(ReadOnlySpan<float> data)
    {
        if (_bufferCount + data.Length > _buffer.Length)
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _bufferCount + data.Length));
        data.CopyTo(_buffer.AsSpan(_bufferCount));
        _bufferCount += data.Length;
    }

    // Emits whole frames (one frame = _new outputs from _orig inputs) whose window is in the buffer.
    private void Drain(List<float> output, long limit)
    {
        int start = 0;
        while (start + _kernelLength <= _bufferCount && _outputCount < limit)
        {
            var window = _buffer.AsSpan(start, _kernelLength);
            for (int p = 0; p < _new && _outputCount < limit; p++)
            {
                output.Add(Dot(_kernels[p], _support[p], window));
                _outputCount++;
            }
            start += _orig;
        }
        if (start > 0)
        {
            Array.Copy(_buffer, start, _buffer, 0, _bufferCount - start);
            _bufferCount -= start;
        }
    }

    // Only the taps inside the clamped sinc's support are non-zero (about 2·6·orig/base of the
    // 2·width + orig taps), and adding exact zeros never changes a float sum, so summing the support
    // alone in the same order gives the same result as the full dot product, several times faster.
    private static float Dot(float[] k, (int First, int End) support, ReadOnlySpan<float> x)
    {
        float sum = 0f;
        for (int i = support.First; i < support.End; i++) sum += k[i] * x[i];
        return sum;
    }

    private static (int First, int End) Support(float[] k)
    {
        int first = Array.FindIndex(k, v => v != 0f);
        if (first < 0) return (0, 0);
        return (first, Array.FindLastIndex(k, v => v != 0f) + 1);
    }

    // Mirrors torchaudio's _get_sinc_resample_kernel (sinc_interp_hann) computed in float32.
    private static (float[][] kernels, int width) BuildKernels(int orig, int newF, int lowpassWidth, double rolloff)
    {
        double baseFreq = Math.Min(orig, newF) * rolloff;
        int width = (int)Math.Ceiling(lowpassWidth * orig / baseFreq);
        int len = 2 * width + orig;
        var kernels = new float[newF][];
        float baseF = (float)baseFreq;
        float scale = (float)(baseFreq / orig);
        for (int p = 0; p < newF; p++)
        {
            var k = new float[len];
            float shift = -p / (float)newF;
            for (int i = 0; i < len; i++)
            {
                float idx = (i - width) / (float)orig;
                float t = (shift + idx) * baseF;
                t = Math.Clamp(t, -lowpassWidth, lowpassWidth);
                float w = MathF.Cos(t * MathF.PI / lowpassWidth / 2f);
                w *= w;
                t *= MathF.PI;
                float sinc = t == 0f ? 1f : MathF.Sin(t) / t;
                k[i] = sinc * (w * scale);
            }
            kernels[p] = k;
        }
        return (kernels, width);
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }
}
