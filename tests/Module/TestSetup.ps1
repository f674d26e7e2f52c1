# Dot-sourced by every *.Tests.ps1 in BeforeAll: imports the PACKAGED module (build.ps1 Package),
# never the build output, so the tests see what users get.
$script:ModuleManifest = if ($env:LTXTRAINER_MODULE) { $env:LTXTRAINER_MODULE }
                         else { Join-Path $PSScriptRoot '../../out/LtxTrainer/LtxTrainer.psd1' }
if (-not (Test-Path $script:ModuleManifest)) {
    throw "The packaged module is missing at $script:ModuleManifest; run ./build.ps1 Package first."
}
$script:LtxModule = Import-Module $script:ModuleManifest -Force -PassThru -ErrorAction Stop

# A folder with a training .zip and a preview clip, for requests whose paths must exist.
function New-RequestFolder {
    $folder = Join-Path ([System.IO.Path]::GetTempPath()) ("ltx-module-" + [guid]::NewGuid().ToString('n'))
    $null = New-Item -ItemType Directory -Path $folder
    Set-Content -Path (Join-Path $folder 'preview.wav') -Value 'not audio; only its existence is checked' 
    $null = New-Item -ItemType Directory (Join-Path $folder 'clips')
    Set-Content -Path (Join-Path $folder 'clips/a.txt') -Value 'a caption'
    Compress-Archive -Path (Join-Path $folder 'clips/*') -DestinationPath (Join-Path $folder 'clips.zip')
    $folder
}
