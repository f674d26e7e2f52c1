@{
    RootModule           = 'LtxTrainer.Cmdlets.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '3f0c1a52-8a7e-4d5b-9a0e-6c2d4b1e7f31'
    Author               = 'LtxTrainer contributors'
    Description          = 'Trains backward audio-extension LoRAs for Lightricks LTX-2.3 in-process with TorchSharp.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    # The build copies module/*.ps1xml beside this manifest.
    FormatsToProcess     = @('LtxTrainer.Format.ps1xml')
    TypesToProcess       = @('LtxTrainer.Types.ps1xml')
    # Every cmdlet in the assembly is exported; help for each is generated from docs/<Cmdlet>.md.
    # Listed, not '*': PowerShell reads this list to auto-load the module when one of its cmdlets is
    # typed; with a wildcard a binary module exports nothing until imported by hand. The Pester module
    # tests fail when a cmdlet of the assembly is missing here.
    CmdletsToExport      = @(
        'Export-AudioSuffixDebugArchive'
        'Get-LtxTrainerEnvironment'
        'Import-AudioSuffixDataset'
        'Invoke-LtxLeadInPreview'
        'New-AudioSuffixDataset'
        'New-LtxDemoModel'
        'Start-LtxAudioExtendTraining'
        'Test-ExtendSuffixConfig'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags = @('LTX', 'LoRA', 'audio', 'TorchSharp')
        }
    }
}
