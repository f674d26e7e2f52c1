using System.Management.Automation;
using LtxTrainer.Cmdlets.Infrastructure;
using LtxTrainer.Core.Dataset;

namespace LtxTrainer.Cmdlets.Dataset;

/// <summary>Import-AudioSuffixDataset: reopens a dataset from its work folder (no archive needed).</summary>
[Cmdlet(VerbsData.Import, "AudioSuffixDataset")]
[OutputType(typeof(AudioSuffixDataset))]
public sealed class ImportAudioSuffixDatasetCommand : LtxCmdlet
{
    /// <summary>The work folder New-AudioSuffixDataset wrote (a dataset object piped in binds by its WorkFolder).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Path")]
    [ValidateNotNullOrEmpty]
    public string WorkFolder { get; set; } = "";

    protected override void ProcessRecordCore()
    {
        var folder = ResolvePath(WorkFolder);
        var dataset = DatasetManifest.Read(folder);
        WriteVerbose($"{dataset.KeptCount} clip(s), {dataset.SkippedCount} skipped, built {dataset.CreatedUtc:u} from {dataset.Source}.");
        WriteObject(dataset);
    }
}
