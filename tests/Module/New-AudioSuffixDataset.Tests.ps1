BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    . (Join-Path $PSScriptRoot 'AudioSuffixDataset.TestData.ps1')
    $test = New-TestRoot 'ltxt-pester'
    $script:Root = $test.Root
    $script:UserZip = $test.UserZip
    function New-Sandbox {
        $sandbox = New-Item -ItemType Directory -Path (Join-Path $script:Root ([guid]::NewGuid().ToString('N')))
        [pscustomobject]@{ Root = $sandbox.FullName; Work = Join-Path $sandbox.FullName 'work' }
    }
    # A debug archive as the tests check it: sorted entry names, the manifest (dataset.json) as an object,
    # and the SHA-256 of every entry by name.
    function Read-DebugArchive([string] $Path) {
        $zip = [System.IO.Compression.ZipFile]::OpenRead($Path)
        try {
            $hashes = @{}
            foreach ($entry in $zip.Entries) {
                $stream = $entry.Open()
                try { $hashes[$entry.FullName] = [Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData($stream)) }
                finally { $stream.Dispose() }
            }
            $reader = [System.IO.StreamReader]::new($zip.GetEntry('dataset.json').Open())
            try { $manifest = $reader.ReadToEnd() | ConvertFrom-Json }
            finally { $reader.Dispose() }
            [pscustomobject]@{ Names = @($zip.Entries.FullName | Sort-Object); Manifest = $manifest; Hashes = $hashes }
        }
        finally { $zip.Dispose() }
    }
    # Checks that an archive holds exactly the dataset's manifest, clips and captions, byte for byte as
    # they are in its work folder.
    function Assert-DebugArchiveOf([string] $Path, $Dataset) {
        $archive = Read-DebugArchive $Path
        $files = @($Dataset.Clips | ForEach-Object { $_.AudioFile, $_.CaptionFile } | ForEach-Object { $_ -replace '\\', '/' })
        $archive.Names | Should -Be (@('dataset.json') + $files | Sort-Object)
        foreach ($name in $files) {
            $archive.Hashes[$name] | Should -Be (Get-FileHash -LiteralPath (Join-Path $Dataset.WorkFolder $name) -Algorithm SHA256).Hash -Because "$name is the work folder's file"
        }
        $archive.Manifest.clips.name | Should -Be $Dataset.Clips.Name
        $archive.Manifest.skipped.name | Should -Be $Dataset.Skipped.Name
        $archive
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

    It 'shows parameter defaults in Get-Help' {
        (Get-Help New-AudioSuffixDataset -Parameter ConditioningSeconds).defaultValue | Should -Be '1'
        (Get-Help New-AudioSuffixDataset -Parameter AudioDurationSeconds).defaultValue | Should -Be '5'
        (Get-Help New-AudioSuffixDataset -Parameter TrimFrom).defaultValue | Should -Be 'End'
        (Get-Help New-AudioSuffixDataset -Parameter FfmpegTimeoutSeconds).defaultValue | Should -Be '60'
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
        $Dataset.Clips.Name | Should -Be @('beat', 'fadeout', 'guitar', 'hum', 'ride', 'tabla')
        $Dataset.Clips[0] | Should -BeOfType ([LtxTrainer.Core.Dataset.ClipRecord])
        $Dataset.WorkFolder | Should -Be $Box.Work
    }

    It 'formats the dataset, its clips and its skips readably' {
        $Dataset | Out-String | Should -Match 'KeptCount\s+: 6'
        $Dataset | Out-String | Should -Match '2 s = 51 steps \(lead-in 39 \+ suffix 12\)'
        $Dataset.Clips | Out-String | Should -Match 'Lead-in'
        $Dataset.Clips | Out-String | Should -Match '1\.52 s / 39'
        $Dataset.Skipped | Out-String | Should -Match 'Set/drums/cowbell.wav\s+TooShort'
    }

    It 'ends a recording that fades out on its last audible sound, recording the silence trimmed' {
        $clip = $Dataset.Clips | Where-Object Name -eq 'fadeout'
        $clip.TrimmedSilenceSeconds | Should -BeGreaterThan 3
        $clip.PeakBeforeNormalizationDbfs | Should -BeGreaterThan -40
        $Dataset.Clips | Out-String | Should -Match 'Silence trimmed'
    }

    It 'skips a file that is not what its name says as unreadable' {
        $skip = $Dataset.Skipped | Where-Object Name -eq 'mislabeled'
        $skip.Kind | Should -Be 'Unreadable'
        $skip.Reason | Should -Match '^not a FLAC file'
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
        "$($Warnings[0])" | Should -Match 'Only 6 clip\(s\) kept'
    }

    It 'writes processed clips and the manifest only inside the work folder' {
        (Get-ChildItem $Box.Work).Name | Sort-Object | Should -Be @('clips', 'dataset.json')
        (Get-ChildItem (Join-Path $Box.Work 'clips') -Filter *.wav).Count | Should -Be 6
        Get-Outside $Box | Should -BeNullOrEmpty
    }

    It 'is reopened by Import-AudioSuffixDataset, also from the pipeline' {
        $again = Import-AudioSuffixDataset -WorkFolder $Box.Work
        $again.Clips.Name | Should -Be $Dataset.Clips.Name
        ($Dataset | Import-AudioSuffixDataset).KeptCount | Should -Be 6
    }

    It 'exports the debug archive from the pipeline and refuses to overwrite without -Force' {
        $target = Join-Path $Box.Root 'debug.zip'
        $file = $Dataset | Export-AudioSuffixDebugArchive -DestinationPath $target
        $file | Should -BeOfType ([System.IO.FileInfo])
        $file.FullName | Should -Be $target
        $file.PSPath | Should -Not -BeNullOrEmpty -Because 'it is the item as the FileSystem provider shows it'
        $file.Length | Should -Be (Get-Item -LiteralPath $target).Length
        $archive = Assert-DebugArchiveOf $target $Dataset
        $archive.Names | Should -Contain 'clips/tabla.wav'
        $archive.Manifest.skipped.name | Should -Contain 'cowbell'

        $before = $archive.Hashes['dataset.json']
        $Dataset | Export-AudioSuffixDebugArchive -DestinationPath $target -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'DestinationExists,*'
        $failed[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        (Read-DebugArchive $target).Hashes['dataset.json'] | Should -Be $before

        Set-ItemProperty -LiteralPath $target -Name LastWriteTimeUtc -Value ([datetime]::UtcNow.AddDays(-1))
        $again = Export-AudioSuffixDebugArchive -WorkFolder $Box.Work -DestinationPath $target -Force
        $again.FullName | Should -Be $target
        (Get-Item -LiteralPath $target).LastWriteTimeUtc | Should -BeGreaterThan ([datetime]::UtcNow.AddHours(-1)) -Because '-Force writes the archive again'
        $null = Assert-DebugArchiveOf $target $Dataset
        Remove-Item $target
    }
}

Describe 'New-AudioSuffixDataset sources' {
    It 'accepts a file URI and a plain path given to -Uri' {
        foreach ($uri in ([uri]::new("file://$UserZip")), $UserZip) {
            $box = New-Sandbox
            $ds = New-AudioSuffixDataset -Uri $uri -WorkFolder $box.Work -AudioDurationSeconds 2 -ConditioningSeconds 0.5 -WarningAction SilentlyContinue
            $ds.KeptCount | Should -Be 6
            $ds.Source | Should -Be $UserZip
        }
    }

    It 'downloads from a local HTTP server, retrying a 503' {
        $box = New-Sandbox
        $server = Start-ZipServer -Zip $UserZip
        try {
            $ds = New-AudioSuffixDataset -Uri "$($server.Url)/sets/user.zip?sig=secret" -WorkFolder $box.Work -AudioDurationSeconds 2 -ConditioningSeconds 0.5 -WarningAction SilentlyContinue
            $ds.KeptCount | Should -Be 6
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
        $null = Assert-DebugArchiveOf $target (Import-AudioSuffixDataset -WorkFolder $box.Work)
    }

    It 'takes the normalized request from the pipeline; an explicit parameter that differs is applied with a warning naming the field' {
        $box = New-Sandbox
        $config = [LtxTrainer.Core.Contract.AudioSuffixConfig]@{
            TrainingDataUrl = $UserZip; AudioDurationSeconds = 2.0; ConditioningSeconds = 0.5; TriggerPhrase = 'cfg'
        }
        $ds = $config | New-AudioSuffixDataset -WorkFolder $box.Work -ConditioningSeconds 1.0 -WarningVariable warned -WarningAction SilentlyContinue
        $ds.Settings.AudioDurationSeconds | Should -Be 2.0
        $ds.Settings.ConditioningSeconds | Should -Be 1.0
        $ds.Settings.TriggerPhrase | Should -Be 'cfg'
        $ds.Carving.SuffixSteps | Should -Be 25
        @($warned | Where-Object { "$_" -match '^conditioning_seconds 1 given explicitly replaces the request''s 0\.5' }) | Should -HaveCount 1
    }

    It 'refuses an explicit parameter the contract refuses, beside a request or alone, before any work' {
        $box = New-Sandbox
        $config = [LtxTrainer.Core.Contract.AudioSuffixConfig]@{ TrainingDataUrl = $UserZip; AudioDurationSeconds = 2.0; ConditioningSeconds = 0.5 }
        $err = { $config | New-AudioSuffixDataset -WorkFolder $box.Work -ConditioningSeconds 2.5 } | Should -Throw -ErrorId 'InvalidRequest,LtxTrainer.Cmdlets.Dataset.NewAudioSuffixDatasetCommand' -PassThru
        $err.TargetObject | Should -Be 'conditioning_seconds'
        { $config | New-AudioSuffixDataset -WorkFolder $box.Work -ConditioningSeconds 0.05 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,LtxTrainer.Cmdlets.Dataset.NewAudioSuffixDatasetCommand'
        { New-AudioSuffixDataset -Path $UserZip -WorkFolder $box.Work -AudioDurationSeconds 61 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,LtxTrainer.Cmdlets.Dataset.NewAudioSuffixDatasetCommand'
        Test-Path $box.Work | Should -BeFalse
    }

    It 'uses the limits and defaults of the request contract' {
        $command = Get-Command New-AudioSuffixDataset
        $range = { param($name) $command.Parameters[$name].Attributes.Where({ $_ -is [ValidateRange] })[0] }
        $validator = [LtxTrainer.Core.Contract.AudioSuffixConfigValidator]
        (& $range 'ConditioningSeconds').MinRange | Should -Be $validator::MinimumConditioningSeconds
        (& $range 'ConditioningSeconds').MaxRange | Should -Be $validator::MaximumConditioningSeconds
        (& $range 'AudioDurationSeconds').MinRange | Should -Be $validator::MinimumAudioDurationSeconds
        (& $range 'AudioDurationSeconds').MaxRange | Should -Be $validator::MaximumAudioDurationSeconds
        $command.Parameters['AudioNormalize'].Aliases | Should -Contain 'Normalize'
        $command.Parameters['AudioPreservePitch'].Aliases | Should -Contain 'PreservePitch'
        $box = New-Sandbox
        $ds = New-AudioSuffixDataset -Path $UserZip -WorkFolder $box.Work -AudioDurationSeconds 2 -ConditioningSeconds 0.5 -Normalize:$false -WarningAction SilentlyContinue
        $ds.Settings.Normalize | Should -BeFalse
        $ds.Settings.PreservePitch | Should -Be ([LtxTrainer.Core.Contract.AudioSuffixConfig]::DefaultAudioPreservePitch)
    }

    It 'binds a file from Get-ChildItem, a path string, and the whole result of Test-ExtendSuffixConfig' {
        $box = New-Sandbox
        $ds = Get-ChildItem -LiteralPath $UserZip | New-AudioSuffixDataset -WorkFolder $box.Work -AudioDurationSeconds 2 -ConditioningSeconds 0.5 -WarningAction SilentlyContinue
        $ds.Source | Should -Be $UserZip
        $ds = $UserZip | New-AudioSuffixDataset -WorkFolder $box.Work -AudioDurationSeconds 2 -ConditioningSeconds 0.5 -WarningAction SilentlyContinue
        $ds.Source | Should -Be $UserZip
        $check = Test-ExtendSuffixConfig -TrainingDataUrl $UserZip -AudioDurationSeconds 2 -ConditioningSeconds 0.5 -TriggerPhrase 'chk'
        $ds = $check | New-AudioSuffixDataset -WorkFolder $box.Work -WarningAction SilentlyContinue
        $ds.Settings.TriggerPhrase | Should -Be 'chk'
        $ds.Settings.AudioDurationSeconds | Should -Be 2
    }

    It 'downloads a URL given to -Path, showing the retry with -Verbose' {
        $box = New-Sandbox
        $server = Start-ZipServer -Zip $UserZip
        try {
            $verbose = New-AudioSuffixDataset -Path "$($server.Url)/user.zip" -WorkFolder $box.Work -AudioDurationSeconds 2 -ConditioningSeconds 0.5 -Verbose -WarningAction SilentlyContinue 4>&1
            $ds = $verbose | Where-Object { $_ -is [LtxTrainer.Core.Dataset.AudioSuffixDataset] }
            $ds.KeptCount | Should -Be 6
            @($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match 'attempt 1 of 4 failed \(server answered 503' }) | Should -HaveCount 1
        }
        finally {
            Stop-ZipServer $server
        }
    }
}

Describe 'New-AudioSuffixDataset refusals' {
    It 'refuses a zip-slip archive and writes nothing anywhere' {
        $box = New-Sandbox
        $zip = New-TestZip -Path (Join-Path $box.Root 'evil.zip') -Entries ([ordered]@{ 'ok.wav' = (Get-DrumSample 'GMRockKit' '24Ride-1.wav'); '../../escaped.txt' = 'x' })
        { New-AudioSuffixDataset -Path $zip -WorkFolder $box.Work } | Should -Throw -ErrorId 'UnsafeArchive,LtxTrainer.Cmdlets.Dataset.NewAudioSuffixDatasetCommand'
        @(Get-Outside $box | Where-Object Name -ne 'evil.zip') | Should -BeNullOrEmpty
        Test-Path $box.Work | Should -BeFalse -Because 'a failed first build removes the folder it created'

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

    It 'never deletes or overwrites the user''s files in the work folder' {
        $box = New-Sandbox
        $mine = @{ 'clips/notes.txt' = 'my notes'; 'extracted/mine.txt' = 'mine'; 'download/keep.bin' = 'keep' }
        foreach ($name in $mine.Keys) {
            $path = Join-Path $box.Work $name
            $null = New-Item -ItemType Directory -Force (Split-Path $path)
            Set-Content -LiteralPath $path -Value $mine[$name] -NoNewline
        }
        $null = New-AudioSuffixDataset -Path $UserZip -WorkFolder $box.Work -AudioDurationSeconds 2 -ConditioningSeconds 0.5 -WarningAction SilentlyContinue
        $null = New-AudioSuffixDataset -Path $UserZip -WorkFolder $box.Work -AudioDurationSeconds 3 -ConditioningSeconds 0.5 -WarningAction SilentlyContinue
        foreach ($name in $mine.Keys) { Get-Content -Raw (Join-Path $box.Work $name) | Should -Be $mine[$name] }

        Set-Content -LiteralPath (Join-Path $box.Root 'tabla.wav') -Value 'my own tabla'
        $other = New-Sandbox
        $null = New-Item -ItemType Directory (Join-Path $other.Work 'clips')
        Copy-Item (Join-Path $box.Root 'tabla.wav') (Join-Path $other.Work 'clips/tabla.wav')
        $err = { New-AudioSuffixDataset -Path $UserZip -WorkFolder $other.Work -AudioDurationSeconds 2 -ConditioningSeconds 0.5 } | Should -Throw -ErrorId 'WorkFolderConflict,LtxTrainer.Cmdlets.Dataset.NewAudioSuffixDatasetCommand' -PassThru
        $err.CategoryInfo.Category | Should -Be 'ResourceExists'
        $err.TargetObject | Should -Be (Join-Path $other.Work 'clips/tabla.wav')
        Get-Content -Raw (Join-Path $other.Work 'clips/tabla.wav') | Should -Match 'my own tabla'
    }

    It 'stops with every skip reason when no clip is usable' {
        $box = New-Sandbox
        $zip = New-TestZip -Path (Join-Path $box.Root 'short.zip') -Entries ([ordered]@{ 'cowbell.wav' = (Get-DrumSample 'GMRockKit' 'Cowbell-Hard.wav'); 'empty.ogg' = [byte[]]@() })
        $err = { New-AudioSuffixDataset -Path $zip -WorkFolder $box.Work -AudioDurationSeconds 2 -ConditioningSeconds 0.5 } | Should -Throw -ErrorId 'NoUsableClips,LtxTrainer.Cmdlets.Dataset.NewAudioSuffixDatasetCommand' -PassThru
        $err.Exception.Message | Should -Match 'cowbell.wav: 0.17 s < 2.00 s'
        $err.Exception.Message | Should -Match 'empty.ogg: empty file'
        $err.Exception.Message | Should -Match 'shorter -AudioDurationSeconds .* -StretchTolerance'
        Test-Path $box.Work | Should -BeFalse -Because 'a failed first build leaves no folder it created'
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
        $err = { New-AudioSuffixDataset -Path $fake -WorkFolder $box.Work } | Should -Throw -ErrorId 'InvalidArchive,LtxTrainer.Cmdlets.Dataset.NewAudioSuffixDatasetCommand' -PassThru
        $err.CategoryInfo.Category | Should -Be 'InvalidData'
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
            $out[0].KeptCount | Should -Be 6
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

    It 'skips the clips of an ffmpeg that hangs past -FfmpegTimeoutSeconds' -Skip:$IsWindows {
        $box = New-Sandbox
        $fake = Join-Path $box.Root 'ffmpeg'
        Set-Content -LiteralPath $fake -Value "#!/bin/sh`nexec sleep 60"
        [System.IO.File]::SetUnixFileMode($fake, 'UserRead, UserWrite, UserExecute')
        $ds = New-AudioSuffixDataset -Path $UserZip -WorkFolder $box.Work -AudioDurationSeconds 2 -ConditioningSeconds 0.5 -FfmpegPath $fake -FfmpegTimeoutSeconds 1 -WarningAction SilentlyContinue
        $hung = @($ds.Skipped | Where-Object Reason -match 'ffmpeg made no progress for 1 s')
        $hung.Name | Sort-Object | Should -Be @('hum', 'tabla')
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
