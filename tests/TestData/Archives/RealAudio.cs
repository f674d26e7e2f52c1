namespace LtxTrainer.TestData;

/// <summary>
/// Real recorded audio installed by tests/Install-TestPrerequisites.sh: the CC0 FLAC recordings of the
/// npm package supersonic-scsynth-samples (44.1 kHz) and Debian's hydrogen-data drum samples. Tests that
/// need them FAIL (never skip) with the instruction to run the script when they are missing.
/// </summary>
public static class RealAudio
{
    public const string InstallHint = "Real test audio is missing: run tests/Install-TestPrerequisites.sh (the npm package supersonic-scsynth-samples into .testdata/, and the Debian packages hydrogen-data and ffmpeg).";

    public static string SamplesFolder => Path.Combine(TestRepository.Root, ".testdata", "node_modules", "supersonic-scsynth-samples", "samples");

    public static string DrumkitsFolder => Environment.GetEnvironmentVariable("LTXTRAINER_HYDROGEN_DRUMKITS") ?? "/usr/share/hydrogen/data/drumkits";

    /// <summary>A supersonic recording by name (without extension), e.g. "loop_tabla" (10.7 s).</summary>
    public static string Flac(string name)
    {
        var path = Path.Combine(SamplesFolder, name + ".flac");
        if (!File.Exists(path)) throw new InvalidOperationException($"{InstallHint} (looked for {path})");
        return path;
    }

    /// <summary>A hydrogen-data drum sample, e.g. ("GMRockKit", "Bell-Hard.wav").</summary>
    public static string Drum(string kit, string file)
    {
        var path = Path.Combine(DrumkitsFolder, kit, file);
        if (!File.Exists(path)) throw new InvalidOperationException($"{InstallHint} (looked for {path})");
        return path;
    }

    /// <summary>Every supersonic recording of at least <paramref name="minSeconds"/> (by FLAC header).</summary>
    public static IReadOnlyList<string> FlacsAtLeast(double minSeconds)
    {
        if (!Directory.Exists(SamplesFolder)) throw new InvalidOperationException(InstallHint);
        return Directory.GetFiles(SamplesFolder, "*.flac").Where(f => FlacSeconds(f) >= minSeconds).OrderBy(f => f, StringComparer.Ordinal).ToList();
    }

    // STREAMINFO: 20-bit rate, 36-bit total samples at bytes 18..25 after "fLaC" + block header.
    private static double FlacSeconds(string path)
    {
        Span<byte> h = stackalloc byte[42];
        using var f = File.OpenRead(path);
        if (f.Read(h) < 42) return 0;
        var info = h[8..];
        int rate = (info[10] << 12) | (info[11] << 4) | (info[12] >> 4);
        long total = ((long)(info[13] & 0x0F) << 32) | ((long)info[14] << 24) | ((long)info[15] << 16) | ((long)info[16] << 8) | info[17];
        return rate > 0 ? (double)total / rate : 0;
    }
}
