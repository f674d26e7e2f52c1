BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    . (Join-Path $PSScriptRoot 'AudioSuffixDataset.TestData.ps1')
    $script:Root = (New-Item -ItemType Directory -Path (Join-Path ([IO.Path]::GetTempPath()) "ltxt-pester-$([guid]::NewGuid().ToString('N'))")).FullName
    $script:Inputs = (New-Item -ItemType Directory -Path (Join-Path $Root 'inputs')).FullName
    $script:UserZip = New-UserArchive -Folder $Inputs
    function New-Sandbox {
        $sandbox = New-Item -ItemType Directory -Path (Join-Path $script:Root ([guid]::NewGuid().ToString('N')))
        [pscustomobject]@{ Root = $sandbox.FullName; Work = Join-Path $sandbox.FullName 'work' }
    }
    # Serves $Zip on 127.0.0.1 from a thread job, answering 503 to the first $Failures requests.
    function Start-ZipServer([string] $Zip, [int] $Failures = 1) {
        $listener = [System.Net.HttpListener]::new()
        $port = Get-Random -Minimum 20000 -Maximum 60000
        $listener.Prefixes.Add("http://127.0.0.1:$port/")
        $listener.Start()
        $job = Start-ThreadJob -ArgumentList $listener, $Zip, $Failures -ScriptBlock {
            param($listener, $zip, $failures)
            $bytes = [System.IO.File]::ReadAllBytes($zip)
            for ($i = 1; $i -le $failures + 1; $i++) {
                $context = $listener.GetContext()
                if ($i -le $failures) { $context.Response.StatusCode = 503 }
                else { $context.Response.ContentLength64 = $bytes.Length; $context.Response.OutputStream.Write($bytes, 0, $bytes.Length) }
                $context.Response.Close()
            }
        }
        [pscustomobject]@{ Url = "http://127.0.0.1:$port"; Listener = $listener; Job = $job }
    }
    function Stop-ZipServer($Server) {
        $Server.Job | Wait-Job -Timeout 30 | Out-Null
        $Server.Job | Remove-Job -Force
        $Server.Listener.Close()
    }
    function Get-Outside($Sandbox) {
        @(Get-ChildItem -LiteralPath $Sandbox.Root -Recurse -Force | Where-Object { $_.FullName -ne $Sandbox.Work -and -not $_.FullName.StartsWith($Sandbox.Work + [IO.Path]::DirectorySeparatorChar) })
    }
}

AfterAll {
    if ($script:Root -and (Test-Path $script:Root)) { Remove-Item -LiteralPath $script:Root -Recurse -Force }
}

Describe 'New-AudioSuffixDataset parameters' {
    It 'has the Path, Uri and Config parameter sets, Path by default' {
        $command = Get-Command New-AudioSuffixDataset
        $command.ParameterSets.Name | Sort-Object | Should -Be @('Config', 'Path', 'Uri')
        $command.DefaultParameterSet | Should -Be 'Path'
        $command.Parameters['Config'].Attributes.Where({ $_ -is [Parameter] }).ValueFromPipeline | Should -Contain $true
        $command.Parameters['WorkFolder'].Attributes.Where({ $_ -is [Parameter] }).Mandatory | Should -Not -Contain $false
        $command.Parameters['TrimFrom'].ParameterType.Name | Should -Be 'TrimFrom'
    }

    It 'validates ranges before any work' {
        $box = New-Sandbox
        { New-AudioSuffixDataset -Path $UserZip -WorkFolder $box.Work -StretchTolerance 0.9 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,LtxTrainer.Cmdlets.Dataset.NewAudioSuffixDatasetCommand'
        { New-AudioSuffixDataset -Path $UserZip -WorkFolder $box.Work -AudioDurationSeconds 2 -ConditioningSeconds 3 } | Should -Throw -ErrorId 'InvalidArgument,LtxTrainer.Cmdlets.Dataset.NewAudioSuffixDatasetCommand'
        Test-Path $box.Work | Should -BeFalse
    }

    It 'has help with a synopsis and examples' {
        $help = Get-Help New-AudioSuffixDataset -Full
        $help.Synopsis | Should -Match 'carved audio dataset'
        @($help.Examples.Example).Count | Should -BeGreaterOrEqual 2
    }
}

Describe 'New-AudioSuffixDataset on a real user archive' {
    BeforeAll {
        $script:Box = New-Sandbox
        $script:Dataset = New-AudioSuffixDataset -Path $UserZip -WorkFolder $Box.Work -AudioDurationSeconds 2 -ConditioningSeconds 0.5 `
            -TriggerPhrase 'tbx' -WarningVariable script:Warnings -WarningAction SilentlyContinue
    }

    It 'returns the typed dataset with every usable clip' {
        $Dataset | Should -BeOfType ([LtxTrainer.Core.Dataset.AudioSuffixDataset])
        $Dataset.Clips.Name | Should -Be @('beat', 'guitar', 'hum', 'ride', 'tabla')
        $Dataset.Clips[0] | Should -BeOfType ([LtxTrainer.Core.Dataset.ClipRecord])
        $Dataset.WorkFolder | Should -Be $Box.Work
    }

    It 'formats the dataset, its clips and its skips readably' {
        $Dataset | Out-String | Should -Match 'KeptCount\s+: 5'
        $Dataset | Out-String | Should -Match '2 s = 51 steps \(lead-in 39 \+ suffix 12\)'
        $Dataset.Clips | Out-String | Should -Match 'Lead-in'
        $Dataset.Clips | Out-String | Should -Match '1\.52 s / 39'
        $Dataset.Skipped | Out-String | Should -Match 'Set/drums/cowbell.wav\s+TooShort'
    }

    It 'says why a clip was skipped' {
        $skip = $Dataset.Skipped | Where-Object Name -eq 'cowbell'
        $skip.Reason | Should -Be '0.17 s < 2.00 s'
        $skip.Kind | Should -Be 'TooShort'
        $skip.SourceEntry | Should -Be 'Set/drums/cowbell.wav'
    }

    It 'carves lead-in and suffix in seconds and latent steps' {
        $clip = $Dataset.Clips | Where-Object Name -eq 'tabla'
        $clip.TotalSteps | Should -Be 51
        $clip.SuffixSteps | Should -Be 12
        $clip.LeadInSteps | Should -Be 39
        $clip.SuffixSeconds | Should -Be 0.48
        $clip.LeadInSeconds | Should -Be 1.52
    }

    It 'uses captions in any encoding with the trigger phrase' {
        ($Dataset.Clips | Where-Object Name -eq 'tabla').Caption | Should -Be 'tbx tabla loop'
        ($Dataset.Clips | Where-Object Name -eq 'beat').Caption | Should -Be 'tbx glitchy beat'
        ($Dataset.Clips | Where-Object Name -eq 'ride').Caption | Should -Be 'tbx'
    }

    It 'warns when fewer than 10 clips are kept' {
        $Warnings | Should -HaveCount 1
        "$($Warnings[0])" | Should -Match 'Only 5 clip\(s\) kept'
    }

    It 'writes processed clips and the manifest only inside the work folder' {
        (Get-ChildItem $Box.Work).Name | Sort-Object | Should -Be @('clips', 'dataset.json')
        (Get-ChildItem (Join-Path $Box.Work 'clips') -Filter *.wav).Count | Should -Be 5
        Get-Outside $Box | Should -BeNullOrEmpty
    }

    It 'is reopened by Import-AudioSuffixDataset, also from the pipeline' {
        $again = Import-AudioSuffixDataset -WorkFolder $Box.Work
        $again.Clips.Name | Should -Be $Dataset.Clips.Name
        ($Dataset | Import-AudioSuffixDataset).KeptCount | Should -Be 5
    }

    It 'exports the debug archive from the pipeline and refuses to overwrite without -Force' {
        $target = Join-Path $Box.Root 'debug.zip'
        $file = $Dataset | Export-AudioSuffixDebugArchive -DestinationPath $target
        $file | Should -BeOfType ([System.IO.FileInfo])
        $zip = [System.IO.Compression.ZipFile]::OpenRead($target)
        try { $zip.Entries.FullName | Should -Contain 'dataset.json'; $zip.Entries.FullName | Should -Contain 'clips/tabla.wav' }
        finally { $zip.Dispose() }
        $Dataset | Export-AudioSuffixDebugArchive -DestinationPath $target -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed | Should -Not -BeNullOrEmpty
        { Export-AudioSuffixDebugArchive -WorkFolder $Box.Work -DestinationPath $target -Force } | Should -Not -Throw
        Remove-Item $target
    }
}

Describe 'New-AudioSuffixDataset sources' {
    It 'accepts a file URI and a plain path given to -Uri' {
        foreach ($uri in ([uri]::new("file://$UserZip")), $UserZip) {
            $box = New-Sandbox
            $ds = New-AudioSuffixDataset -Uri $uri -WorkFolder $box.Work -AudioDurationSeconds 2 -ConditioningSeconds 0.5 -WarningAction SilentlyContinue
            $ds.KeptCount | Should -Be 5
            $ds.Source | Should -Be $UserZip
        }
    }

    It 'downloads from a local HTTP server, retrying a 503' {
        $box = New-Sandbox
        $server = Start-ZipServer -Zip $UserZip
        try {
            $ds = New-AudioSuffixDataset -Uri "$($server.Url)/sets/user.zip?sig=secret" -WorkFolder $box.Work -AudioDurationSeconds 2 -ConditioningSeconds 0.5 -WarningAction SilentlyContinue
            $ds.KeptCount | Should -Be 5
            $ds.Source | Should -Be "$($server.Url)/sets/user.zip"
        }
        finally {
            Stop-ZipServer $server
        }
    }

    It 'exports a work folder bound by property name' {
        $box = New-Sandbox
        $null = New-AudioSuffixDataset -Path $UserZip -WorkFolder $box.Work -AudioDurationSeconds 2 -ConditioningSeconds 0.5 -WarningAction SilentlyContinue
        $target = Join-Path $box.Root 'by-property.zip'
        [pscustomobject]@{ WorkFolder = $box.Work } | Export-AudioSuffixDebugArchive -DestinationPath $target | Should -BeOfType ([System.IO.FileInfo])
    }

    It 'takes the normalized request from the pipeline; explicit parameters win' {
        $box = New-Sandbox
        $config = [LtxTrainer.Core.Contract.AudioSuffixConfig]@{
            TrainingDataUrl = $UserZip; AudioDurationSeconds = 2.0; ConditioningSeconds = 0.5; TriggerPhrase = 'cfg'
        }
        $ds = $config | New-AudioSuffixDataset -WorkFolder $box.Work -ConditioningSeconds 1.0 -WarningAction SilentlyContinue
        $ds.Settings.AudioDurationSeconds | Should -Be 2.0
        $ds.Settings.ConditioningSeconds | Should -Be 1.0
        $ds.Settings.TriggerPhrase | Should -Be 'cfg'
        $ds.Carving.SuffixSteps | Should -Be 25
    }
}

Describe 'New-AudioSuffixDataset refusals' {
    It 'refuses a zip-slip archive and writes nothing anywhere' {
        $box = New-Sandbox
        $zip = New-TestZip -Path (Join-Path $box.Root 'evil.zip') -Entries ([ordered]@{ 'ok.wav' = (Get-DrumSample 'GMRockKit' '24Ride-1.wav'); '../../escaped.txt' = 'x' })
        { New-AudioSuffixDataset -Path $zip -WorkFolder $box.Work } | Should -Throw -ErrorId 'UnsafeArchive,LtxTrainer.Cmdlets.Dataset.NewAudioSuffixDatasetCommand'
        @(Get-Outside $box | Where-Object Name -ne 'evil.zip') | Should -BeNullOrEmpty
        @(Get-ChildItem $box.Work -Recurse -File) | Should -BeNullOrEmpty
    }

    It 'refuses symbolic-link entries' {
        $box = New-Sandbox
        $zip = New-TestZip -Path (Join-Path $box.Root 'link.zip') -Entries ([ordered]@{ 'link.wav' = '/etc/passwd' }) -SymlinkEntries 'link.wav'
        { New-AudioSuffixDataset -Path $zip -WorkFolder $box.Work } | Should -Throw '*symbolic-link*'
    }

    It 'lists every duplicate file name before processing' {
        $box = New-Sandbox
        $ride = Get-DrumSample 'GMRockKit' '24Ride-1.wav'
        $zip = New-TestZip -Path (Join-Path $box.Root 'dup.zip') -Entries ([ordered]@{ 'a/ride.wav' = $ride; 'b/ride.wav' = $ride; 'c/kick.wav' = $ride; 'kick.mp3' = 'x' })
        $err = { New-AudioSuffixDataset -Path $zip -WorkFolder $box.Work } | Should -Throw -ErrorId 'DuplicateFileNames,LtxTrainer.Cmdlets.Dataset.NewAudioSuffixDatasetCommand' -PassThru
        $err.Exception.Message | Should -Match 'ride.wav \(a/ride.wav, b/ride.wav\)'
        $err.Exception.Message | Should -Match 'kick.\* \(c/kick.wav, kick.mp3\)'
        Test-Path (Join-Path $box.Work 'clips') | Should -BeFalse
    }

    It 'stops with every skip reason when no clip is usable' {
        $box = New-Sandbox
        $zip = New-TestZip -Path (Join-Path $box.Root 'short.zip') -Entries ([ordered]@{ 'cowbell.wav' = (Get-DrumSample 'GMRockKit' 'Cowbell-Hard.wav'); 'empty.ogg' = [byte[]]@() })
        $err = { New-AudioSuffixDataset -Path $zip -WorkFolder $box.Work -AudioDurationSeconds 2 -ConditioningSeconds 0.5 } | Should -Throw -ErrorId 'NoUsableClips,LtxTrainer.Cmdlets.Dataset.NewAudioSuffixDatasetCommand' -PassThru
        $err.Exception.Message | Should -Match 'cowbell.wav: 0.17 s < 2.00 s'
        $err.Exception.Message | Should -Match 'empty.ogg: empty file'
    }

    It 'names the files that need ffmpeg when it is missing' {
        $box = New-Sandbox
        $err = { New-AudioSuffixDataset -Path $UserZip -WorkFolder $box.Work -FfmpegPath (Join-Path $box.Root 'no-ffmpeg') } | Should -Throw -ErrorId 'FfmpegNotFound,LtxTrainer.Cmdlets.Dataset.NewAudioSuffixDatasetCommand' -PassThru
        $err.Exception.Message | Should -Match 'Set/loops/tabla.flac'
        $err.Exception.Message | Should -Match 'Set/ambient/hum.m4a'
    }

    It 'refuses an archive that is not a zip' {
        $box = New-Sandbox
        $fake = Join-Path $box.Root 'fake.zip'
        Set-Content -Path $fake -Value '<html>login</html>'
        { New-AudioSuffixDataset -Path $fake -WorkFolder $box.Work } | Should -Throw -ErrorId 'UnsafeArchive,LtxTrainer.Cmdlets.Dataset.NewAudioSuffixDatasetCommand'
    }
}

Describe 'Import-AudioSuffixDataset errors' {
    It 'reports a folder without a manifest' {
        $box = New-Sandbox
        $null = New-Item -ItemType Directory $box.Work
        Import-AudioSuffixDataset -WorkFolder $box.Work -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'DatasetManifest,*'
    }
}

Describe 'Dataset build progress' {
    It 'shows bytes and rate while downloading, counts while decoding' {
        $download = [LtxTrainer.Core.Ingest.IngestProgress]::new('Downloading', 1048576, 2097152, $null, 524288)
        $record = [LtxTrainer.Cmdlets.Dataset.IngestProgressRecords]::ToRecord($download)
        $record.Activity | Should -Be 'Downloading the archive'
        $record.StatusDescription | Should -Be '1.0 MB of 2.0 MB at 0.5 MB/s'
        $record.PercentComplete | Should -Be 50
        $decode = [LtxTrainer.Core.Ingest.IngestProgress]::new('Decoding', 3, 12, 'Set/a.wav', $null)
        $record = [LtxTrainer.Cmdlets.Dataset.IngestProgressRecords]::ToRecord($decode)
        $record.StatusDescription | Should -Be '3 of 12: Set/a.wav'
        $record.PercentComplete | Should -Be 25
    }
}

Describe 'New-AudioSuffixDataset -WhatIf, progress and stopping' {
    It 'writes nothing with -WhatIf, nor does Export-AudioSuffixDebugArchive' {
        $box = New-Sandbox
        New-AudioSuffixDataset -Path $UserZip -WorkFolder $box.Work -WhatIf | Should -BeNullOrEmpty
        Test-Path $box.Work | Should -BeFalse
        $ds = New-AudioSuffixDataset -Path $UserZip -WorkFolder $box.Work -AudioDurationSeconds 2 -ConditioningSeconds 0.5 -WarningAction SilentlyContinue -Confirm:$false
        $before = Get-Content -Raw $ds.ManifestPath
        New-AudioSuffixDataset -Path $UserZip -WorkFolder $box.Work -AudioDurationSeconds 3 -WhatIf | Should -BeNullOrEmpty
        Get-Content -Raw $ds.ManifestPath | Should -Be $before
        $target = Join-Path $box.Root 'debug.zip'
        $ds | Export-AudioSuffixDebugArchive -DestinationPath $target -WhatIf | Should -BeNullOrEmpty
        Test-Path $target | Should -BeFalse
    }

    It 'reports download bytes and rate, the retry, and each decoded clip through Write-Progress' {
        $box = New-Sandbox
        $server = Start-ZipServer -Zip $UserZip
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                param($module, $uri, $work)
                Import-Module $module
                New-AudioSuffixDataset -Uri $uri -WorkFolder $work -AudioDurationSeconds 2 -ConditioningSeconds 0.5 -WarningAction SilentlyContinue
            }).AddArgument($ModuleManifest).AddArgument("$($server.Url)/user.zip").AddArgument($box.Work)
            $out = $ps.Invoke()
            $ps.Streams.Error | Should -BeNullOrEmpty
            $out[0].KeptCount | Should -Be 5
            $progress = @($ps.Streams.Progress)
            $download = @($progress | Where-Object Activity -eq 'Downloading the archive')
            $download.StatusDescription | Should -Contain 'attempt 1 of 4 failed (server answered 503 Service Unavailable); retrying in 1 s'
            @($download | Where-Object StatusDescription -match '^\d+\.\d MB of \d+\.\d MB at \d+\.\d MB/s$') | Should -Not -BeNullOrEmpty
            $decoding = @($progress | Where-Object { $_.Activity -eq 'Decoding clips' -and $_.RecordType -eq 'Processing' })
            $clips = $out[0].KeptCount + $out[0].SkippedCount
            $decoding | Should -HaveCount $clips
            @($decoding.StatusDescription -like "$clips of $($clips): *") | Should -HaveCount 1
            @($progress | Where-Object RecordType -eq 'Completed').Activity | Should -Contain 'Decoding clips'
        }
        finally {
            $ps.Dispose()
            Stop-ZipServer $server
        }
    }

    It 'stops on Ctrl+C while ffmpeg decodes: ffmpeg is ended and the previous dataset kept' -Skip:$IsWindows {
        $box = New-Sandbox
        $first = New-AudioSuffixDataset -Path $UserZip -WorkFolder $box.Work -AudioDurationSeconds 2 -ConditioningSeconds 0.5 -WarningAction SilentlyContinue
        $manifest = Get-Content -Raw $first.ManifestPath
        # A stand-in ffmpeg that records its process id and then hangs, as a stuck ffmpeg would.
        $pids = (New-Item -ItemType Directory (Join-Path $box.Root 'pids')).FullName
        $fake = Join-Path $box.Root 'ffmpeg'
        Set-Content -LiteralPath $fake -Value ("#!/bin/sh`necho `$`$ > '$pids/'`$`$`nexec sleep 120")
        [System.IO.File]::SetUnixFileMode($fake, 'UserRead, UserWrite, UserExecute')

        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                param($module, $zip, $work, $ffmpeg)
                Import-Module $module
                New-AudioSuffixDataset -Path $zip -WorkFolder $work -AudioDurationSeconds 2 -ConditioningSeconds 0.5 -TriggerPhrase 'rebuilt' -FfmpegPath $ffmpeg
            }).AddArgument($ModuleManifest).AddArgument($UserZip).AddArgument($box.Work).AddArgument($fake)
            $null = $ps.BeginInvoke()
            $deadline = [datetime]::UtcNow.AddSeconds(30)
            while (-not (Get-ChildItem $pids) -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            @(Get-ChildItem $pids) | Should -Not -BeNullOrEmpty -Because 'the build reaches an ffmpeg-decoded clip'

            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $ps.Stop() # what Ctrl+C does: StopProcessing on the running cmdlet
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 10
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
        }
        finally {
            $ps.Dispose()
        }
        foreach ($file in Get-ChildItem $pids) {
            $id = [int](Get-Content $file)
            $deadline = [datetime]::UtcNow.AddSeconds(5)
            while ((Get-Process -Id $id -ErrorAction SilentlyContinue) -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            Get-Process -Id $id -ErrorAction SilentlyContinue | Should -BeNullOrEmpty -Because "the stand-in ffmpeg $id is ended"
        }
        Get-Content -Raw $first.ManifestPath | Should -Be $manifest
        (Import-AudioSuffixDataset -WorkFolder $box.Work).Clips.Caption | Should -Not -Match 'rebuilt'
        (Get-ChildItem $box.Work).Name | Sort-Object | Should -Be @('clips', 'dataset.json')
    }
}
