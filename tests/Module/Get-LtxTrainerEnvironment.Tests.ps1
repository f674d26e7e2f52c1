BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
}

Describe 'Get-LtxTrainerEnvironment' {
    It 'runs a torch computation in this process and checks it' {
        $environment = Get-LtxTrainerEnvironment -FailOnCheckMismatch -ErrorAction Stop
        $environment | Should -BeOfType ([LtxTrainer.Core.Platform.TorchEnvironment])
        $environment.CheckPassed | Should -BeTrue
        $environment.CheckActual | Should -Be $environment.CheckExpected
        $environment.LibTorchVersion | Should -Not -BeNullOrEmpty
        $environment.Backend | Should -BeIn @('cpu', 'cuda-linux', 'cuda-windows')
        $environment.Devices[0] | Should -Be 'cpu'
        $environment.Threads | Should -BeGreaterThan 0
        $environment.CudaDeviceCount | Should -Be ($environment.Devices.Count - 1)
    }

    It 'loads the natives from the module folder' {
        $environment = Get-LtxTrainerEnvironment
        $environment.NativeLibraryDirectory | Should -Be $LtxModule.ModuleBase
    }
}

Describe 'The packaged module in a new pwsh process' {
    BeforeAll {
        # Runs a script in a clean pwsh (the same one running these tests; the dotnet tool runs as
        # 'dotnet pwsh.dll') from another directory; returns its exit code and output.
        function Invoke-CleanPwsh([string] $Script, [string[]] $Arguments) {
            $exe = (Get-Process -Id $PID).Path
            $prefix = @(@([Environment]::GetCommandLineArgs()[0]) | Where-Object { $_ -like '*.dll' })
            $scriptFile = Join-Path ([System.IO.Path]::GetTempPath()) "ltx-import-$([guid]::NewGuid().ToString('n')).ps1"
            Set-Content $scriptFile $Script
            Push-Location ([System.IO.Path]::GetTempPath())
            try {
                $output = & $exe @prefix -NoProfile -NonInteractive -File $scriptFile @Arguments 2>&1
                [pscustomobject]@{ Code = $LASTEXITCODE; Output = $output }
            }
            finally {
                Pop-Location
                Remove-Item $scriptFile
            }
        }

        function Assert-TorchRan($Run) {
            $Run.Code | Should -Be 0 -Because ($Run.Output -join "`n")
            $passed, $actual, $directory = ($Run.Output | Select-Object -Last 1) -split '\|'
            $passed | Should -Be 'True'
            [double]$actual | Should -Not -Be 0
            $directory | Should -Be $LtxModule.ModuleBase
        }

        $script:Report = '$e = Get-LtxTrainerEnvironment -FailOnCheckMismatch; "{0}|{1}|{2}" -f $e.CheckPassed, $e.CheckActual, $e.NativeLibraryDirectory'
    }

    It 'imports and computes with torch from a clean process in another directory' {
        $run = Invoke-CleanPwsh -Script ("`$ErrorActionPreference = 'Stop'; Import-Module `$args[0]`n" + $Report) -Arguments $ModuleManifest
        Assert-TorchRan $run
    }

    It 'auto-loads from $env:PSModulePath when a cmdlet is first used' {
        # The module folder's parent on PSModulePath, as after copying the package into a modules folder.
        if ((Split-Path $LtxModule.ModuleBase -Leaf) -ne 'LtxTrainer') { Set-ItResult -Skipped -Because 'the package folder is not named LtxTrainer' }
        $saved = $env:PSModulePath
        $env:PSModulePath = (Split-Path $LtxModule.ModuleBase -Parent) + [System.IO.Path]::PathSeparator + $saved
        try {
            $run = Invoke-CleanPwsh -Script ("`$ErrorActionPreference = 'Stop'`n" + $Report)
        }
        finally {
            $env:PSModulePath = $saved
        }
        Assert-TorchRan $run
    }
}
