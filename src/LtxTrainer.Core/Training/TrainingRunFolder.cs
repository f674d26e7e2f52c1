namespace LtxTrainer.Core.Training;

/// <summary>Where a run keeps its files: checkpoints, the preprocessing cache, metrics and the final outputs.</summary>
public sealed record TrainingRunFolder(string Root)
{
    public string Checkpoints => Path.Combine(Root, "checkpoints");

    /// <summary>Preprocessed latents and caption embeddings, reused by a rerun on unchanged inputs.</summary>
    public string Cache => Path.Combine(Root, "cache");

    public string Metrics => Path.Combine(Root, "metrics.jsonl");

    public string Lora => Path.Combine(Root, "lora.safetensors");

    public string Config => Path.Combine(Root, "lora_config.json");

    public string LossPlot => Path.Combine(Root, "loss.png");

    public string Preview => Path.Combine(Root, "preview.wav");

    public string PreviewSpectrogram => Path.Combine(Root, "preview.png");

    /// <summary>Every final output a finished run leaves (what -Force alone may replace).</summary>
    public IEnumerable<string> FinalOutputs => [Lora, Config, LossPlot, Preview, PreviewSpectrogram];

    /// <summary>A finished run is there: its LoRA exists.</summary>
    public bool HasFinishedRun => File.Exists(Lora);
}
