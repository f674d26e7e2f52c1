using System.Diagnostics;

namespace LtxTrainer.TestData;

/// <summary>Runs the system ffmpeg to build test files in every format.</summary>
public static class FfmpegTool
{
    /// <summary>ffmpeg -i input [args] output; throws with ffmpeg's message on failure.</summary>
    public static string Convert(string input, string output, params string[] args)
    {
        var all = new List<string> { "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-i", input };
        all.AddRange(args);
        all.Add(output);
        Run(all);
        return output;
    }

    /// <summary>Runs ffmpeg with the given arguments.</summary>
    public static void Run(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException(RealAudio.InstallHint + " (ffmpeg not found)", e);
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0) throw new InvalidOperationException("ffmpeg failed: " + stderr.Result);
        }
    }

    /// <summary>Decodes any file with ffmpeg to interleaved float at its own rate and channel count.</summary>
    public static float[] DecodeF32(string input, int channels, int? rate = null)
    {
        var temp = Path.Combine(Path.GetTempPath(), "ltxt-" + Guid.NewGuid().ToString("N") + ".f32");
        try
        {
            var args = new List<string> { "-ac", channels.ToString() };
            if (rate is not null) args.AddRange(new[] { "-ar", rate.Value.ToString() });
            args.AddRange(new[] { "-f", "f32le" });
            Convert(input, temp, args.ToArray());
            var bytes = File.ReadAllBytes(temp);
            return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes).ToArray();
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
