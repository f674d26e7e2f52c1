BeforeDiscovery {
    # The per-cmdlet help tests are generated from the exported cmdlets, so the module must already be
    # imported when Pester discovers them; without this the -ForEach list is empty and nothing runs.
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:CmdletsToDocument = @(Get-Command -Module $LtxModule.Name -CommandType Cmdlet)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Cmdlets = @(Get-Command -Module $LtxModule.Name -CommandType Cmdlet)
}

Describe 'The LtxTrainer module package' {
    It 'exports the cmdlets' {
        $Cmdlets.Name | Should -Contain 'Test-ExtendSuffixConfig'
        $Cmdlets.Name | Should -Contain 'Get-LtxTrainerEnvironment'
        # Every exported cmdlet gets its own help tests below.
        @($CmdletsToDocument).Count | Should -Be $Cmdlets.Count
    }

    It 'lists every cmdlet of the assembly in CmdletsToExport' {
        # A cmdlet missing there is neither exported nor auto-loaded, and the help tests would skip it.
        $defined = @([LtxTrainer.Cmdlets.Infrastructure.LtxCmdlet].Assembly.GetExportedTypes() |
            ForEach-Object { $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false) } |
            ForEach-Object { "$($_.VerbName)-$($_.NounName)" })
        $listed = @((Import-PowerShellDataFile (Join-Path $LtxModule.ModuleBase 'LtxTrainer.psd1')).CmdletsToExport)
        $defined.Count | Should -BeGreaterThan 0
        $missing = @($defined | Where-Object { $_ -notin $listed })
        $missing | Should -BeNullOrEmpty -Because 'LtxTrainer.psd1 must list them in CmdletsToExport'
        @($listed | Where-Object { $_ -notin $defined }) | Should -BeNullOrEmpty -Because 'CmdletsToExport lists no other names'
    }

    It 'ships manifest, format and type files, help and the natives' {
        $base = $LtxModule.ModuleBase
        foreach ($file in 'LtxTrainer.psd1', 'LtxTrainer.Format.ps1xml', 'LtxTrainer.Types.ps1xml',
            'LtxTrainer.Cmdlets.dll', 'LtxTrainer.Core.dll', 'TorchSharp.dll', 'LtxTrainer.Cmdlets.dll-Help.xml',
            'en-US/about_LtxTrainer.help.txt') {
            Join-Path $base $file | Should -Exist
        }
        if ($IsLinux) { Join-Path $base 'libLibTorchSharp.so' | Should -Exist }
    }

    It "leaves out libtorch's Python binding and test libraries" {
        # build/TorchSharpNative.targets prunes them; the torch tests in this suite prove nothing needed them.
        $unused = 'libtorch_python', 'libnnapi_backend', 'libjitbackend_test', 'libbackend_with_compiler',
            'libtorchbind_test', 'libaoti_custom_ops', 'torch_python', 'torchbind_test'
        $shipped = Get-ChildItem $LtxModule.ModuleBase -File -Recurse | Where-Object { $_.BaseName -in $unused }
        $shipped | Should -BeNullOrEmpty
        Join-Path $LtxModule.ModuleBase ($IsWindows ? 'torch_cpu.dll' : 'libtorch_cpu.so') | Should -Exist
    }

    It 'has a format view for the validation result' {
        $result = Test-ExtendSuffixConfig -TrainingDataUrl 'https://example.com/data.zip'
        $text = $result | Out-String
        $text | Should -Match 'IsValid\s+: True'
        $text | Should -Match 'ClipSteps\s+: 126 \(suffix 25 \+ lead-in 101\)'
    }
}

Describe 'Help for <_.Name>' -ForEach $CmdletsToDocument {
    BeforeAll {
        $script:Help = Get-Help $_.Name -Full
        $script:Own = $_.Parameters.Values | Where-Object {
            $_.Name -notin ([System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters)
        }
    }

    It 'has a synopsis' {
        $Help.Synopsis | Should -Not -BeNullOrEmpty
        $Help.Synopsis | Should -Not -Match "^\s*$([regex]::Escape($_.Name))"
    }

    It 'has a description' {
        ($Help.Description.Text -join '') | Should -Not -BeNullOrEmpty
    }

    It 'has at least one example with code' {
        @($Help.Examples.Example).Count | Should -BeGreaterThan 0
        foreach ($example in $Help.Examples.Example) { $example.Code | Should -Not -BeNullOrEmpty }
    }

    It 'describes every parameter' {
        foreach ($parameter in $Own) {
            $entry = $Help.Parameters.Parameter | Where-Object Name -EQ $parameter.Name
            $entry | Should -Not -BeNullOrEmpty -Because "-$($parameter.Name) needs help"
            ($entry.Description.Text -join '') | Should -Not -BeNullOrEmpty -Because "-$($parameter.Name) needs a description"
        }
    }
}

Describe 'about_LtxTrainer' {
    It 'is found by Get-Help and documents the request contract' {
        $text = Get-Help about_LtxTrainer | Out-String
        $text | Should -Match 'REQUEST CONTRACT'
        $text | Should -Match '8k\+1'
    }

    It 'describes the workflow from request to preview and lists every cmdlet in SEE ALSO' {
        $text = Get-Help about_LtxTrainer | Out-String
        $text | Should -Match 'WORKFLOW'
        $text | Should -Match '(?s)Request:.*Dataset:.*Training:.*Preview:'
        $seeAlso = ($text -split 'SEE ALSO')[-1]
        foreach ($name in $LtxModule.ExportedCmdlets.Keys) { $seeAlso | Should -Match ([regex]::Escape($name)) }
    }
}
