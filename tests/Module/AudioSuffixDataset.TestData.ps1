# Builds the real-audio archives the dataset cmdlet tests use (dot-sourced by their BeforeAll).
# Real recordings come from tests/Install-TestPrerequisites.sh; missing ones FAIL the tests with that hint.
Add-Type -AssemblyName System.IO.Compression

$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:SamplesFolder = Join-Path $RepoRoot '.testdata/node_modules/supersonic-scsynth-samples/samples'
$script:DrumkitsFolder = if ($env:LTXTRAINER_HYDROGEN_DRUMKITS) { $env:LTXTRAINER_HYDROGEN_DRUMKITS } else { '/usr/share/hydrogen/data/drumkits' }
$script:InstallHint = 'Real test audio is missing: run tests/Install-TestPrerequisites.sh (npm supersonic-scsynth-samples, Debian hydrogen-data and ffmpeg).'

function Get-RealAudio([string] $Name) {
    $path = Join-Path $script:SamplesFolder "$Name.flac"
    if (-not (Test-Path $path)) { throw "$script:InstallHint (looked for $path)" }
    $path
}

function Get-DrumSample([string] $Kit, [string] $File) {
    $path = Join-Path (Join-Path $script:DrumkitsFolder $Kit) $File
    if (-not (Test-Path $path)) { throw "$script:InstallHint (looked for $path)" }
    $path
}

function Convert-Audio([string] $Source, [string] $Destination, [string[]] $Arguments) {
    & ffmpeg -nostdin -hide_banner -loglevel error -y -i $Source @Arguments $Destination
    if ($LASTEXITCODE -ne 0) { throw "ffmpeg failed to write $Destination. $script:InstallHint" }
    $Destination
}

# Serves $Zip over HTTP/1.1 on 127.0.0.1 from a thread job, answering 503 to the first $Failures
# requests. The port is the one the OS assigns to a listener on port 0 (HttpListener cannot take
# port 0), so two test runs on one machine never pick the same port.
function Start-ZipServer([string] $Zip, [int] $Failures = 1) {
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    $job = Start-ThreadJob -ArgumentList $listener, $Zip, $Failures -ScriptBlock {
        param($listener, $zip, $failures)
        $bytes = [System.IO.File]::ReadAllBytes($zip)
        for ($i = 1; $i -le $failures + 1; $i++) {
            $client = $listener.AcceptTcpClient()
            try {
                $stream = $client.GetStream()
                $reader = [System.IO.StreamReader]::new($stream, [System.Text.Encoding]::ASCII, $false, 1024, $true)
                while ($reader.ReadLine()) { }      # the request line and headers, up to the blank line
                $failed = $i -le $failures
                $body = if ($failed) { [byte[]]::new(0) } else { $bytes }
                $status = if ($failed) { '503 Service Unavailable' } else { '200 OK' }
                $head = [System.Text.Encoding]::ASCII.GetBytes(
                    "HTTP/1.1 $status`r`nContent-Type: application/zip`r`nContent-Length: $($body.Length)`r`nConnection: close`r`n`r`n")
                $stream.Write($head, 0, $head.Length)
                $stream.Write($body, 0, $body.Length)
                $stream.Flush()
            }
            finally { $client.Dispose() }
        }
    }
    [pscustomobject]@{ Url = "http://127.0.0.1:$($listener.LocalEndpoint.Port)"; Listener = $listener; Job = $job }
}
function Stop-ZipServer($Server) {
    $Server.Job | Wait-Job -Timeout 30 | Out-Null
    $Server.Job | Remove-Job -Force
    $Server.Listener.Stop()
}

function New-TestRoot([string] $Prefix) {
    <# A fresh temporary folder for one test file, with an inputs/ folder holding the user archive. #>
    $root = (New-Item -ItemType Directory -Path (Join-Path ([IO.Path]::GetTempPath()) "$Prefix-$([guid]::NewGuid().ToString('N'))")).FullName
    $inputs = (New-Item -ItemType Directory -Path (Join-Path $root 'inputs')).FullName
    [pscustomobject]@{ Root = $root; Inputs = $inputs; UserZip = (New-UserArchive -Folder $inputs) }
}

function New-TestZip {
    <# Entries: ordered hashtable of entry name -> file path, [byte[]] or [string]; -SymlinkEntries adds Unix symlinks. #>
    param([string] $Path, [System.Collections.IDictionary] $Entries, [string[]] $SymlinkEntries = @())
    $zip = [System.IO.Compression.ZipFile]::Open($Path, [System.IO.Compression.ZipArchiveMode]::Create)
    try {
        foreach ($name in $Entries.Keys) {
            $value = $Entries[$name]
            $entry = $zip.CreateEntry($name)
            if ($name -in $SymlinkEntries) { $entry.ExternalAttributes = [Convert]::ToInt32('120777', 8) -shl 16 }
            $stream = $entry.Open()
            try {
                $bytes = if ($value -is [byte[]]) { , $value }  # the comma keeps an empty array from unrolling to $null
                         elseif ($value -is [string] -and (Test-Path -LiteralPath $value -PathType Leaf)) { [System.IO.File]::ReadAllBytes($value) }
                         else { [System.Text.Encoding]::UTF8.GetBytes([string]$value) }
                $stream.Write($bytes, 0, $bytes.Length)
            }
            finally { $stream.Dispose() }
        }
    }
    finally { $zip.Dispose() }
    $Path
}

function New-UserArchive([string] $Folder) {
    <# A Mac-made archive of real recordings in several formats, captions, litter, a too-short clip, a fade-out ending and a mislabeled file. #>
    $tabla = Convert-Audio (Get-RealAudio 'loop_tabla') (Join-Path $Folder 'tabla.flac') @('-c:a', 'flac')
    $beat = Convert-Audio (Get-RealAudio 'arovane_beat_a') (Join-Path $Folder 'beat.mp3') @('-c:a', 'libmp3lame')
    $guitar = Convert-Audio (Get-RealAudio 'guit_em9') (Join-Path $Folder 'guitar.ogg') @('-c:a', 'libvorbis')
    $hum = Convert-Audio (Get-RealAudio 'ambi_glass_hum') (Join-Path $Folder 'hum.m4a') @('-c:a', 'aac')
    # A long recording that fades out over its last 4 s and ends in 3 s of silence, as mastered tracks do.
    $fadeout = Convert-Audio (Get-RealAudio 'guit_em9') (Join-Path $Folder 'fadeout.wav') @('-af', 'afade=t=out:st=6:d=4,apad=pad_dur=3', '-c:a', 'pcm_s16le')
    $utf16 = [byte[]](@(0xFF, 0xFE) + [System.Text.Encoding]::Unicode.GetBytes('glitchy beat'))
    New-TestZip -Path (Join-Path $Folder 'user.zip') -Entries ([ordered]@{
        'Set/loops/tabla.flac'       = $tabla
        'Set/loops/tabla.txt'        = ' tabla loop '
        'Set/beats/beat.mp3'         = $beat
        'Set/beats/beat.txt'         = $utf16
        'Set/guitar.ogg'             = $guitar
        'Set/ambient/hum.m4a'        = $hum
        'Set/drums/ride.wav'         = (Get-DrumSample 'GMRockKit' '24Ride-1.wav')
        'Set/drums/cowbell.wav'      = (Get-DrumSample 'GMRockKit' 'Cowbell-Hard.wav')
        'Set/mastered/fadeout.wav'   = $fadeout
        'Set/beats/mislabeled.flac'  = $beat   # an MP3 under a FLAC name
        '__MACOSX/Set/._tabla.flac'  = 'resource fork'
        'Set/.DS_Store'              = 'finder'
    })
}
