using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace LtxTrainer.Core.Audio;

/// <summary>
/// Decodes any format ffmpeg reads by running it as a subprocess that writes 32-bit float PCM to stdout.
/// The stream is wrapped in a WAV header (<c>-f wav -c:a pcm_f32le</c>) so sample rate and channel count
/// arrive in-band: no second ffprobe run. Only the first audio stream is decoded; ffmpeg's own
/// resampling and downmixing are NOT used, so every format goes through the same resampler and mixer.
/// <para>A hung ffmpeg (a damaged file it loops on, a stuck network mount) would otherwise block a worker
/// forever: while this decoder waits on ffmpeg's output (or, once the output ends, on its exit), a
/// watchdog kills it after <see cref="DefaultStallTimeout"/> without progress, and the file fails with that reason. Cancellation
/// kills it at once. Time the caller spends not reading is not counted: ffmpeg is then blocked on the
/// pipe, through no fault of its own.</para>
/// </summary>
public sealed class FfmpegDecoder : IAudioDecoder
{
    private readonly Process _process;
    private readonly Stream _stdout;
    private readonly string _file;
    private readonly StringBuilder _stderr = new();
    private byte[] _bytes = Array.Empty<byte>();
    private int _carry; // bytes of an incomplete frame kept at the start of _bytes
    private bool _ended;
    private readonly TimeSpan _stallTimeout;
    private readonly Timer _watchdog;
    private readonly CancellationToken _cancellationToken;
    private readonly CancellationTokenRegistration _onCancel;
    private volatile bool _stalled;

    /// <summary>Longest wait for ffmpeg's next output bytes before it is taken to be hung.</summary>
    public static readonly TimeSpan DefaultStallTimeout = TimeSpan.FromSeconds(60);

    /// <param name="file">The file to decode.</param>
    /// <param name="ffmpegPath">The ffmpeg executable.</param>
    /// <param name="cancellationToken">Kills ffmpeg when cancelled.</param>
    /// <param name="stallTimeout">Longest wait for output (default <see cref="DefaultStallTimeout"/>).</param>
    /// <param name="inputFormat">The ffmpeg demuxer to read the file with (<c>-f</c>); null lets ffmpeg guess from the content.</param>
    public FfmpegDecoder(string file, string ffmpegPath, CancellationToken cancellationToken = default, TimeSpan? stallTimeout = null,
        string? inputFormat = null)
    {
        _file = file;
        _stallTimeout = stallTimeout ?? DefaultStallTimeout;
        _cancellationToken = cancellationToken;
        cancellationToken.ThrowIfCancellationRequested();
        var start = new ProcessStartInfo(ffmpegPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var arg in new[] { "-nostdin", "-hide_banner", "-loglevel", "error" })
            start.ArgumentList.Add(arg);
        if (inputFormat is not null)
        {
            start.ArgumentList.Add("-f");
            start.ArgumentList.Add(inputFormat);
        }
        foreach (var arg in new[] { "-i", file, "-map", "0:a:0", "-vn", "-c:a", "pcm_f32le", "-f", "wav", "pipe:1" })
            start.ArgumentList.Add(arg);
        try
        {
            _process = Process.Start(start) ?? throw new AudioDecodeException(file, $"could not start {ffmpegPath}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            // Not executable, wrong architecture, gone since it was located: say which ffmpeg, not just "decoder failed".
            throw new AudioDecodeException(file, $"could not start ffmpeg at {ffmpegPath} ({e.Message})", e);
        }
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_stderr) _stderr.AppendLine(e.Data); };
        _process.BeginErrorReadLine();
        _stdout = _process.StandardOutput.BaseStream;
        _watchdog = new Timer(_ =>
        {
            _stalled = true;
            TryKill();
        });
        _onCancel = cancellationToken.Register(TryKill);
        try
        {
            (SampleRate, Channels) = ReadHeader();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public int SampleRate { get; }
    public int Channels { get; }

    // Walks the RIFF chunks of ffmpeg's streamed WAV until the data chunk (whose size is unknown on a pipe).
    private (int rate, int channels) ReadHeader()
    {
        var head = new byte[12];
        if (!ReadExactly(head)) throw Failure("ffmpeg produced no audio");
        if (Encoding.ASCII.GetString(head, 0, 4) != "RIFF" || Encoding.ASCII.GetString(head, 8, 4) != "WAVE")
            throw Failure("unexpected output from ffmpeg");
        int rate = 0, channels = 0;
        var chunk = new byte[8];
        while (ReadExactly(chunk))
        {
            var id = Encoding.ASCII.GetString(chunk, 0, 4);
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(chunk.AsSpan(4));
            if (id == "data")
            {
                if (rate <= 0 || channels <= 0) throw Failure("ffmpeg output has no format chunk");
                return (rate, channels);
            }
            if (size > 1 << 20) throw Failure("unexpected output from ffmpeg");
            var body = new byte[size + (size & 1)];
            if (!ReadExactly(body)) break;
            if (id == "fmt ")
            {
                channels = BinaryPrimitives.ReadUInt16LittleEndian(body.AsSpan(2));
                rate = (int)BinaryPrimitives.ReadUInt32LittleEndian(body.AsSpan(4));
            }
        }
        throw Failure("ffmpeg produced no audio");
    }

    private bool ReadExactly(byte[] buffer)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = ReadOutput(buffer, read, buffer.Length - read);
            if (n == 0) return false;
            read += n;
        }
        return true;
    }

    private int ReadOutput(byte[] buffer, int offset, int count)
    {
        _watchdog.Change(_stallTimeout, Timeout.InfiniteTimeSpan);
        try
        {
            return _stdout.Read(buffer, offset, count);
        }
        finally
        {
            _watchdog.Change(Timeout.Infinite, Timeout.Infinite);
        }
    }

    private Exception Failure(string fallback)
    {
        // A kill for cancellation shows up here as a short read: it is a stop, not a bad file.
        if (_cancellationToken.IsCancellationRequested) return new OperationCanceledException(_cancellationToken);
        if (_stalled)
            return new AudioDecodeException(_file, string.Create(CultureInfo.InvariantCulture,
                $"ffmpeg made no progress for {_stallTimeout.TotalSeconds:0.#} s and was stopped"));
        if (!_process.WaitForExit(10_000)) TryKill();
        _process.WaitForExit(); // flushes the asynchronous stderr reader
        string detail;
        lock (_stderr) detail = _stderr.ToString().Trim();
        var lastLine = detail.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()?.Trim();
        var tail = lastLine ?? fallback;
        // ffmpeg repeats the input path in its messages; the caller already knows the file.
        tail = tail.Replace(_file, Path.GetFileName(_file));
        return new AudioDecodeException(_file, $"ffmpeg could not decode it: {tail}");
    }

    public int Read(Span<float> buffer)
    {
        if (_ended) return 0;
        int frameBytes = 4 * Channels;
        int wantedBytes = buffer.Length / Channels * frameBytes;
        if (wantedBytes == 0) return 0;
        if (_bytes.Length < wantedBytes) Array.Resize(ref _bytes, wantedBytes);
        int have = _carry;
        while (have < frameBytes)
        {
            int n = ReadOutput(_bytes, have, wantedBytes - have);
            if (n == 0) break;
            have += n;
        }
        if (have < frameBytes)
        {
            _ended = true;
            // Output ended; an ffmpeg that then fails to exit is as hung as one that stops writing.
            if (!_process.WaitForExit(_stallTimeout))
            {
                _stalled = true;
                TryKill();
            }
            _process.WaitForExit();
            if (_stalled || _process.ExitCode != 0) throw Failure($"ffmpeg exited with code {_process.ExitCode}");
            return 0;
        }
        int whole = have / frameBytes * frameBytes;
        var floats = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(_bytes.AsSpan(0, whole));
        floats.CopyTo(buffer);
        _carry = have - whole;
        if (_carry > 0) Array.Copy(_bytes, whole, _bytes, 0, _carry);
        return floats.Length;
    }

    private void TryKill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public void Dispose()
    {
        TryKill();
        _onCancel.Dispose();
        _watchdog.Dispose();
        _process.Dispose();
    }
}
