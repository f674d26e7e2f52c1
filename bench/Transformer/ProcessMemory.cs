namespace LtxTrainer.Bench.Transformer;

/// <summary>Resident memory of this process from /proc/self/status (Linux), in bytes.</summary>
internal static class ProcessMemory
{
    public static long CurrentRss => Read("VmRSS:");

    /// <summary>Peak resident memory so far (VmHWM).</summary>
    public static long PeakRss => Read("VmHWM:");

    private static long Read(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(field, StringComparison.Ordinal))
                return long.Parse(line[field.Length..].Trim().Split(' ')[0]) * 1024;
        return -1;
    }
}
