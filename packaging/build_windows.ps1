# Build the Windows one-folder bundle. From the repository root in PowerShell:
#   .\packaging\build_windows.ps1            uses .venv\Scripts\python.exe with the app and pyinstaller
#   .\packaging\build_windows.ps1 -Setup     first creates .venv-build with them (CPU torch)
# Output: build\dist\jinasearch\jinasearch-gui.exe (zip the folder, or wrap it with Inno Setup: README.md)
param([switch]$Setup)
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")
$Python = if ($env:PYTHON) { $env:PYTHON } else { ".venv\Scripts\python.exe" }
if ($Setup) {
    py -3 -m venv .venv-build
    $Python = ".venv-build\Scripts\python.exe"
    & $Python -m pip install --upgrade pip
    # PyPI's Windows torch wheel is the CPU build.
    & $Python -m pip install . pyinstaller
}
& $Python -m PyInstaller --noconfirm --log-level WARN --distpath build\dist --workpath build\pyinstaller packaging\jinasearch.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }
# A windowed exe has no console; Start-Process -Wait gives its exit code for the self-test.
$p = Start-Process -FilePath build\dist\jinasearch\jinasearch-gui.exe -ArgumentList "--version" -Wait -PassThru -NoNewWindow
if ($p.ExitCode -ne 0) { throw "the bundle does not start" }
Compress-Archive -Force -Path build\dist\jinasearch -DestinationPath build\jinasearch-windows.zip
Get-Item build\jinasearch-windows.zip | Select-Object Name, Length
