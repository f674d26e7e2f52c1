namespace LtxTrainer.Bench.TextEncoder;

/// <summary>Resident memory of this process from /proc (Linux): current and peak (VmHWM).</summary>
internal static class ProcessMemory
{
    public static long CurrentBytes => Read("VmRSS:");

    public static long PeakBytes => Read("VmHWM:");

    private static long Read(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(field, StringComparison.Ordinal))
                return long.Parse(line[field.Length..].Trim().Split(' ')[0]) * 1024;
        return -1;
    }
}
