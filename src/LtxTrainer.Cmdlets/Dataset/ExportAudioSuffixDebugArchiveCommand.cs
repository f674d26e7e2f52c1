using System.Management.Automation;
using LtxTrainer.Cmdlets.Infrastructure;
using LtxTrainer.Core.Dataset;
using LtxTrainer.Core.Outputs;

namespace LtxTrainer.Cmdlets.Dataset;

/// <summary>
/// Export-AudioSuffixDebugArchive: writes a .zip of the preprocessed dataset (processed clips, captions as
/// used, manifest with skip reasons) for inspection.
/// </summary>
[Cmdlet(VerbsData.Export, "AudioSuffixDebugArchive", DefaultParameterSetName = DatasetSet, SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportAudioSuffixDebugArchiveCommand : LtxCmdlet
{
    private const string DatasetSet = "Dataset";
    private const string FolderSet = "WorkFolder";

    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = DatasetSet)]
    [ValidateNotNull]
    public AudioSuffixDataset Dataset { get; set; } = null!;

    /// <summary>A dataset's work folder instead of the dataset (binds by property name too).</summary>
    [Parameter(Mandatory = true, ParameterSetName = FolderSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string WorkFolder { get; set; } = "";

    /// <summary>The .zip to write.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string DestinationPath { get; set; } = "";

    /// <summary>Replace an existing file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecordCore()
    {
        var dataset = ParameterSetName == FolderSet ? DatasetManifest.Read(ResolvePath(WorkFolder)) : DatasetManifest.Read(Dataset.WorkFolder);
        var destination = ResolvePath(DestinationPath);
        if (File.Exists(destination) && !Force)
        {
            WriteEngineError(new DestinationExistsException(destination));
            return;
        }
        if (!ShouldProcess(destination, $"Write the debug archive of {dataset.KeptCount} clip(s)")) return;
        var file = RunOnWorker(context =>
        {
            var progress = context.Progress<int>(3200, "Writing the debug archive", done => ($"{done} of {dataset.KeptCount} clips", 100 * done / Math.Max(1, dataset.KeptCount)));
            return DebugArchiveWriter.Write(dataset, destination, null, progress, context.CancellationToken);
        });
        // The file as the FileSystem provider shows it (PSPath, Mode, ...), read after the rename.
        WriteObject(InvokeProvider.Item.Get([file.FullName], force: false, literalPath: true).FirstOrDefault() ?? (object)file);
    }
}
