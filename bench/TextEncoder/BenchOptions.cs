namespace LtxTrainer.Bench.TextEncoder;

/// <summary>Command line of the benchmark.</summary>
internal sealed record BenchOptions
{
    public int Layers { get; init; } = 2;
    public int Tokens { get; init; } = 1024;
    public int FullLayers { get; init; } = 48;
    public string DType { get; init; } = "float32";
    public int Threads { get; init; }
    public string WorkFolder { get; init; } = Path.Combine(Path.GetTempPath(), "ltx-bench-text-encoder");
    public string Output { get; init; } = Path.Combine("bench", "results", "text_encoder.json");
    public string? Tokenizer { get; init; }
    public bool Keep { get; init; }

    /// <summary>Set in the child processes: the one mode to measure.</summary>
    public string? Child { get; init; }

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            o = args[i] switch
            {
                "--layers" => o with { Layers = int.Parse(Next()) },
                "--tokens" => o with { Tokens = int.Parse(Next()) },
                "--full-layers" => o with { FullLayers = int.Parse(Next()) },
                "--dtype" => o with { DType = Next() },
                "--threads" => o with { Threads = int.Parse(Next()) },
                "--work" => o with { WorkFolder = Next() },
                "--out" => o with { Output = Next() },
                "--tokenizer" => o with { Tokenizer = Next() },
                "--keep" => o with { Keep = true },
                "--child" => o with { Child = Next() },
                var other => throw new ArgumentException($"Unknown argument '{other}'"),
            };
        }
        return o;
    }

    /// <summary>The arguments a child process gets to measure <paramref name="mode"/>.</summary>
    public string[] ChildArguments(string mode) =>
        ["--layers", Layers.ToString(), "--tokens", Tokens.ToString(), "--dtype", DType, "--threads", Threads.ToString(),
         "--work", WorkFolder, "--child", mode];
}
