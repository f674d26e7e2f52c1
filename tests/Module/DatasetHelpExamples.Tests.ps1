# Every help example of the dataset cmdlets runs as written, in a folder holding what the examples name
# (./drums.zip, ./set.zip, ./request.json, a dataset built in ./work). The one thing replaced is the
# example URL's host (https://example.com), served here from a local HTTP server instead.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Examples = foreach ($name in 'New-AudioSuffixDataset', 'Import-AudioSuffixDataset', 'Export-AudioSuffixDebugArchive') {
        $number = 0
        foreach ($example in (Get-Help $name -Full).Examples.Example) {
            $number++
            @{ Command = $name; Number = $number; Code = (@($example.code) -join "`n") }
        }
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    . (Join-Path $PSScriptRoot 'AudioSuffixDataset.TestData.ps1')
    $test = New-TestRoot 'ltxt-examples'
    $script:Root = $test.Root
    $script:UserZip = $test.UserZip
    $script:Prebuilt = Join-Path $Root 'prebuilt'
    $null = New-AudioSuffixDataset -Path $UserZip -WorkFolder $Prebuilt -AudioDurationSeconds 2 -ConditioningSeconds 0.5 -WarningAction SilentlyContinue
}

AfterAll {
    if ($script:Root -and (Test-Path $script:Root)) { Remove-Item -LiteralPath $script:Root -Recurse -Force }
}

Describe 'Help examples of the dataset cmdlets' {
    It 'has examples for every dataset cmdlet' {
        ($Examples | Group-Object { $_.Command }).Count | Should -Be 3
    }

    It 'runs <Command> example <Number> as written' -ForEach $Examples {
        $folder = (New-Item -ItemType Directory -Path (Join-Path $Root ([guid]::NewGuid().ToString('N')))).FullName
        Copy-Item -LiteralPath $UserZip (Join-Path $folder 'drums.zip')
        Copy-Item -LiteralPath $UserZip (Join-Path $folder 'set.zip')
        Set-Content -LiteralPath (Join-Path $folder 'request.json') -Value '{ "training_data_url": "./set.zip", "audio_duration_seconds": 2, "conditioning_seconds": 0.5, "trigger_phrase": "set" }'
        Copy-Item -LiteralPath $Prebuilt (Join-Path $folder 'work') -Recurse

        $server = $null
        $code = $Code
        if ($code -match 'https://example\.com') {
            $server = Start-ZipServer -Zip $UserZip -Failures 0
            $code = $code -replace 'https://example\.com', $server.Url
        }
        Push-Location -LiteralPath $folder
        try {
            $block = [scriptblock]::Create("`$ErrorActionPreference = 'Stop'; `$WarningPreference = 'SilentlyContinue'`n" + $code)
            { & $block 4>$null | Out-String | Out-Null } | Should -Not -Throw
        }
        finally {
            Pop-Location
            if ($server) { Stop-ZipServer $server }
        }
        Test-Path (Join-Path $folder 'work/dataset.json') | Should -BeTrue
    }
}
