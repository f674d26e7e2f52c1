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
    It 'imports and computes with torch from a clean process in another directory' {
        # The same pwsh that runs these tests (the dotnet tool runs as 'dotnet pwsh.dll').
        $exe = (Get-Process -Id $PID).Path
        $prefix = @(@([Environment]::GetCommandLineArgs()[0]) | Where-Object { $_ -like '*.dll' })
        $script = @'
$ErrorActionPreference = 'Stop'
Import-Module $args[0]
$e = Get-LtxTrainerEnvironment -FailOnCheckMismatch
"{0}|{1}|{2}" -f $e.CheckPassed, $e.CheckActual, $e.NativeLibraryDirectory
'@
        $scriptFile = Join-Path ([System.IO.Path]::GetTempPath()) "ltx-import-$([guid]::NewGuid().ToString('n')).ps1"
        Set-Content $scriptFile $script
        Push-Location ([System.IO.Path]::GetTempPath())
        try {
            $output = & $exe @prefix -NoProfile -NonInteractive -File $scriptFile $ModuleManifest 2>&1
            $code = $LASTEXITCODE
        }
        finally {
            Pop-Location
            Remove-Item $scriptFile
        }
        $code | Should -Be 0 -Because ($output -join "`n")
        $passed, $actual, $directory = ($output | Select-Object -Last 1) -split '\|'
        $passed | Should -Be 'True'
        [double]$actual | Should -Not -Be 0
        $directory | Should -Be $LtxModule.ModuleBase
    }
}
