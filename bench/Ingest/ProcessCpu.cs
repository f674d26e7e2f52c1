using System.Runtime.InteropServices;

namespace LtxTrainer.Bench.Ingest;

/// <summary>
/// CPU seconds of this process and of its finished children (the ffmpeg decoders), from getrusage(2),
/// and the 1-minute load average: on a shared machine wall-clock figures alone would mislead.
/// </summary>
public static class ProcessCpu
{
    private const int RusageSelf = 0;
    private const int RusageChildren = -1;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeVal
    {
        public long Seconds;
        public long Microseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct RUsage
    {
        public TimeVal User;
        public TimeVal System;
        [MarshalAs(UnmanagedType.ByValArray, SizeConst = 14)]
        public long[] Rest;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int getrusage(int who, ref RUsage usage);

    public static (double Self, double Children) Seconds()
    {
        if (!OperatingSystem.IsLinux()) return (Environment.ProcessorCount > 0 ? System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds : 0, 0);
        return (Read(RusageSelf), Read(RusageChildren));
    }

    private static double Read(int who)
    {
        var usage = new RUsage { Rest = new long[14] };
        if (getrusage(who, ref usage) != 0) return double.NaN;
        return usage.User.Seconds + usage.User.Microseconds / 1e6 + usage.System.Seconds + usage.System.Microseconds / 1e6;
    }

    /// <summary>The 1-minute load average (Linux), or null.</summary>
    public static double? LoadAverage()
    {
        try
        {
            return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
