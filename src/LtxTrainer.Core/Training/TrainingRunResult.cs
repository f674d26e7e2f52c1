namespace LtxTrainer.Core.Training;

/// <summary>
/// What a run left. A run stopped early (Ctrl+C) has <see cref="Completed"/> false, no LoRA, config or preview,
/// and <see cref="Checkpoint"/> to resume from.
/// </summary>
/// <param name="OutputFolder">The run's folder.</param>
/// <param name="Completed">Every step is done and the outputs are written.</param>
/// <param name="LoraFile">The LoRA (official layout), when completed.</param>
/// <param name="ConfigFile">The LoRA's config JSON, when completed.</param>
/// <param name="AudioFile">The combined validation preview WAV, when there were validation entries.</param>
/// <param name="SpectrogramFile">Spectrogram PNG of the preview, when drawn.</param>
/// <param name="DebugDatasetFile">The dataset debug archive, when the request asked for it.</param>
/// <param name="MetricsFile">One JSON line per step.</param>
/// <param name="LossPlotFile">The loss curve PNG.</param>
/// <param name="Checkpoint">The newest checkpoint folder, if any.</param>
/// <param name="StepsDone">Optimizer steps done.</param>
/// <param name="TotalSteps">Steps of the whole run.</param>
/// <param name="FinalLoss">Loss of the last step.</param>
/// <param name="SmoothedLoss">Moving average of the loss at the last step.</param>
/// <param name="StepsPerSecond">Training loop speed of this session.</param>
/// <param name="WallTime">Wall time of this session, preprocessing and outputs included.</param>
/// <param name="PeakMemoryBytes">Peak resident memory of the process.</param>
/// <param name="BillableUnits">max(100, number_of_steps).</param>
/// <param name="ResumedFromStep">The step this session started from.</param>
public sealed record TrainingRunResult(
    string OutputFolder,
    bool Completed,
    string? LoraFile,
    string? ConfigFile,
    string? AudioFile,
    string? SpectrogramFile,
    string? DebugDatasetFile,
    string MetricsFile,
    string? LossPlotFile,
    string? Checkpoint,
    int StepsDone,
    int TotalSteps,
    double FinalLoss,
    double SmoothedLoss,
    double StepsPerSecond,
    TimeSpan WallTime,
    long PeakMemoryBytes,
    int BillableUnits,
    int ResumedFromStep);
