using System.Globalization;

namespace LtxTrainer.Bench.Transformer;

/// <summary>Command-line options of the benchmark.</summary>
internal sealed record Options(string? Mode, int Depth, int[] Depths, int Steps, int CheckpointDepth, double VideoGb, string? Path, string Out, bool Cuda)
{
    public static Options Parse(string[] args)
    {
        var o = new Options(null, 4, [2, 4], 1, 4, 2.0, null, "bench/results/transformer.json", false);
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => args[++i];
            o = args[i] switch
            {
                "--mode" => o with { Mode = Next() },
                "--depth" => o with { Depth = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--depths" => o with { Depths = Next().Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray() },
                "--steps" => o with { Steps = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--checkpoint-depth" => o with { CheckpointDepth = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--video-gb" => o with { VideoGb = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--path" => o with { Path = Next() },
                "--out" => o with { Out = Next() },
                "--cuda" => o with { Cuda = true },
                _ => throw new ArgumentException($"Unknown option '{args[i]}'."),
            };
        }
        return o;
    }
}
