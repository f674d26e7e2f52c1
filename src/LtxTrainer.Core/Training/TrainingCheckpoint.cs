using System.Globalization;
using System.Text.Json;
using LtxTrainer.Core.Checkpoints;
using LtxTrainer.Core.Model.Lora;
using TorchSharp;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Training;

/// <summary>
/// One checkpoint folder <c>step_NNNNNN</c> under a run's <c>checkpoints</c> folder: <c>lora.safetensors</c> (the
/// trainable factors by parameter name, float32, unscaled), <c>optimizer.bin</c> (AdamW moments and step counts,
/// TorchSharp's format) and <c>state.json</c> (<see cref="TrainingCheckpointState"/>). A folder is written under a
/// temporary name and renamed when complete, so a crash at any moment leaves either the whole checkpoint or none
/// under a final name; older checkpoints are removed only after a newer one is complete.
/// </summary>
public sealed class TrainingCheckpoint
{
    public const string LoraFileName = "lora.safetensors";
    public const string OptimizerFileName = "optimizer.bin";
    public const string StateFileName = "state.json";
    private const string Prefix = "step_";
    private const string TempMarker = ".partial-";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    private TrainingCheckpoint(string folder, int step)
    {
        Folder = folder;
        Step = step;
    }

    public string Folder { get; }

    public int Step { get; }

    public string LoraPath => Path.Combine(Folder, LoraFileName);

    public string OptimizerPath => Path.Combine(Folder, OptimizerFileName);

    public string StatePath => Path.Combine(Folder, StateFileName);

    /// <summary>The folder name of a step's checkpoint.</summary>
    public static string NameFor(int step) => Prefix + step.ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>The complete checkpoints in <paramref name="checkpointsFolder"/>, oldest first.</summary>
    public static IReadOnlyList<TrainingCheckpoint> List(string checkpointsFolder)
    {
        if (!Directory.Exists(checkpointsFolder)) return [];
        var found = new List<TrainingCheckpoint>();
        foreach (var dir in Directory.EnumerateDirectories(checkpointsFolder, Prefix + "*"))
        {
            var name = Path.GetFileName(dir);
            if (name.Contains(TempMarker, StringComparison.Ordinal)) continue;
            if (!int.TryParse(name.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int step)) continue;
            var c = new TrainingCheckpoint(dir, step);
            if (File.Exists(c.LoraPath) && File.Exists(c.OptimizerPath) && File.Exists(c.StatePath)) found.Add(c);
        }
        return found.OrderBy(c => c.Step).ToList();
    }

    /// <summary>The newest complete checkpoint, or null.</summary>
    public static TrainingCheckpoint? Latest(string checkpointsFolder) => List(checkpointsFolder).LastOrDefault();

    /// <summary>
    /// Writes a checkpoint of the current training state. The previous checkpoints stay untouched until this one is
    /// complete; then all but the newest <paramref name="keep"/> are removed.
    /// </summary>
    /// <exception cref="TrainingCheckpointException">Writing failed (e.g. a full disk); earlier checkpoints are intact.</exception>
    public static TrainingCheckpoint Write(string checkpointsFolder, LoraTrainingStep step, nn.Module model, TrainingCheckpointState state, int keep)
    {
        string final = Path.Combine(checkpointsFolder, NameFor(state.Step));
        string temp = Path.Combine(checkpointsFolder, NameFor(state.Step) + TempMarker + Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(temp);
            using (var scope = NewDisposeScope())
                SafetensorsWriter.Write(Path.Combine(temp, LoraFileName), TrainableParameters(model).Select(p => new KeyValuePair<string, Tensor>(p.Name, p.Parameter.detach())));
            step.SaveOptimizerState(Path.Combine(temp, OptimizerFileName));
            WriteAllBytesDurably(Path.Combine(temp, StateFileName), JsonSerializer.SerializeToUtf8Bytes(state, Json));
            // A checkpoint of the same step exists only when a run was resumed from it and stopped again at once:
            // it holds the same state, so the new one replaces it.
            if (Directory.Exists(final)) Directory.Delete(final, recursive: true);
            Directory.Move(temp, final);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw new TrainingCheckpointException(
                $"Writing the checkpoint of step {state.Step} to '{checkpointsFolder}' failed: {e.Message} The previous checkpoints are kept.", final, e);
        }
        Prune(checkpointsFolder, keep);
        return new TrainingCheckpoint(final, state.Step);
    }

    /// <summary>Reads <c>state.json</c>.</summary>
    public TrainingCheckpointState ReadState()
    {
        try
        {
            var state = JsonSerializer.Deserialize<TrainingCheckpointState>(File.ReadAllBytes(StatePath), Json)
                        ?? throw new JsonException("empty");
            if (state.FormatVersion != TrainingCheckpointState.CurrentFormatVersion || state.Step != Step)
                throw new JsonException($"format {state.FormatVersion}, step {state.Step} in a folder of step {Step}");
            return state;
        }
        catch (JsonException e)
        {
            throw new TrainingCheckpointException($"The checkpoint '{Folder}' is unreadable: {e.Message}", Folder, e);
        }
    }

    /// <summary>Copies the stored LoRA factors into the model's trainable parameters (every one must be present with its shape).</summary>
    public void RestoreLora(nn.Module model)
    {
        using var file = SafetensorsFile.Open(LoraPath);
        using var noGrad = no_grad();
        var parameters = TrainableParameters(model).ToList();
        if (parameters.Count != file.Names.Count)
            throw new TrainingCheckpointException(
                $"The checkpoint '{Folder}' holds {file.Names.Count} LoRA tensors; the model trains {parameters.Count}.", Folder);
        foreach (var (name, parameter) in parameters)
        {
            if (file.TryGetInfo(name) is null)
                throw new TrainingCheckpointException($"The checkpoint '{Folder}' lacks the LoRA tensor '{name}'.", Folder);
            using var stored = file.Load(name, ScalarType.Float32, parameter.device);
            if (!stored.shape.SequenceEqual(parameter.shape))
                throw new TrainingCheckpointException(
                    $"The checkpoint '{Folder}' has '{name}' [{string.Join(", ", stored.shape)}]; the model's is [{string.Join(", ", parameter.shape)}].", Folder);
            parameter.copy_(stored);
        }
    }

    /// <summary>Removes all but the newest <paramref name="keep"/> checkpoints, and temporary folders left by an interrupted write.</summary>
    public static void Prune(string checkpointsFolder, int keep)
    {
        var all = List(checkpointsFolder);
        foreach (var old in all.Take(Math.Max(0, all.Count - keep))) TryDelete(old.Folder);
        if (!Directory.Exists(checkpointsFolder)) return;
        foreach (var dir in Directory.EnumerateDirectories(checkpointsFolder, Prefix + "*" + TempMarker + "*")) TryDelete(dir);
    }

    /// <summary>Removes every checkpoint (complete or not) this trainer wrote in the folder.</summary>
    public static void DeleteAll(string checkpointsFolder)
    {
        if (!Directory.Exists(checkpointsFolder)) return;
        foreach (var dir in Directory.EnumerateDirectories(checkpointsFolder, Prefix + "*")) Directory.Delete(dir, recursive: true);
    }

    /// <summary>Serialises a generator state as base64 (a checkpoint carries it as text).</summary>
    public static string Encode(Tensor state)
    {
        using var cpu = state.cpu().contiguous();
        return Convert.ToBase64String(cpu.bytes);
    }

    /// <summary>The tensor form of <see cref="Encode"/>'s text (uint8, as torch's generator states are).</summary>
    public static Tensor Decode(string state) => tensor(Convert.FromBase64String(state), ScalarType.Byte);

    private static IEnumerable<(string Name, TorchSharp.Modules.Parameter Parameter)> TrainableParameters(nn.Module model) =>
        model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => (p.name, p.parameter)).OrderBy(p => p.name, StringComparer.Ordinal);

    private static void WriteAllBytesDurably(string path, byte[] bytes)
    {
        using var fs = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        fs.Write(bytes);
        fs.Flush(true);
    }

    private static void TryDelete(string dir)
    {
        try { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
        catch (IOException) { /* left for the next prune */ }
        catch (UnauthorizedAccessException) { }
    }
}
