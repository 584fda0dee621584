# What the Pester smoke tests share: a hermetic environment, and tests/LlmTools.TestServer.Host, the loopback
# OpenAI / Azure OpenAI server of the xunit tests, run as a child process.
#
#   $saved = Enter-HermeticEnvironment -Folder $TestDrive; ...; Exit-HermeticEnvironment $saved
#   $server = Start-TestServer                      # $server.OpenAIEndpoint, $server.AzureEndpoint
#   Get-TestServerRequest $server                   # what it received: method, path, route, headers, json
#   Reset-TestServer $server [-RequiredKey 'k']     # forget requests; with -RequiredKey, 401 for any other key
#   Stop-TestServer $server

function Enter-HermeticEnvironment {
    <#
    .SYNOPSIS
        Removes the runner's LlmTools variables (keys, endpoints, LLMTOOLS_*) and points XDG_CONFIG_HOME and
        XDG_CACHE_HOME into Folder, so no user config.ini or cache is found. Returns what to restore.
    #>
    param([Parameter(Mandatory)] [string] $Folder)

    $names = @('OPENAI_API_KEY', 'OPENAI_BASE_URL', 'OPENAI_API_BASE', 'AZURE_OPENAI_ENDPOINT', 'AZURE_OPENAI_API_KEY', 'AZURE_OPENAI_KEY', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME') +
        @([System.Environment]::GetEnvironmentVariables().Keys -like 'LLMTOOLS_*')
    $saved = @{}
    foreach ($name in $names) {
        $saved[$name] = [System.Environment]::GetEnvironmentVariable($name)
        [System.Environment]::SetEnvironmentVariable($name, $null)
    }
    [System.Environment]::SetEnvironmentVariable('XDG_CONFIG_HOME', [System.IO.Path]::Combine($Folder, 'xdg-config'))
    [System.Environment]::SetEnvironmentVariable('XDG_CACHE_HOME', [System.IO.Path]::Combine($Folder, 'xdg-cache'))
    $saved
}

function Exit-HermeticEnvironment {
    param([Parameter(Mandatory)] [hashtable] $Saved)

    foreach ($name in $Saved.Keys) {
        [System.Environment]::SetEnvironmentVariable($name, $Saved[$name])
    }
}

function Start-TestServer {
    <#
    .SYNOPSIS
        Starts the built tests/LlmTools.TestServer.Host (dotnet build or dotnet test of LlmTools.sln builds it);
        returns Process, BaseUri, OpenAIEndpoint (BaseUri + 'v1/') and AzureEndpoint (BaseUri).
    #>
    $project = [System.IO.Path]::Combine($PSScriptRoot, '..', 'LlmTools.TestServer.Host')
    # why the newest: a Debug and a Release build may both be there; the last one built is the one under test
    $dll = Get-ChildItem -Path ([System.IO.Path]::Combine($project, 'bin', '*', 'net*', 'LlmTools.TestServer.Host.dll')) -ErrorAction Ignore |
        Sort-Object LastWriteTimeUtc -Descending | Select-Object -First 1
    if (-not $dll) { throw "LlmTools.TestServer.Host.dll not found under ${project}: run 'dotnet build LlmTools.sln -c Release' first." }

    $dotnet = if ($env:DOTNET_HOST_PATH) { $env:DOTNET_HOST_PATH } else { (Get-Command dotnet -CommandType Application -ErrorAction Stop)[0].Source }
    $start = [System.Diagnostics.ProcessStartInfo]::new($dotnet)
    $start.ArgumentList.Add($dll.FullName)
    $start.ArgumentList.Add('-ParentPid')
    $start.ArgumentList.Add([string]$PID)
    $start.RedirectStandardInput = $true   # why: the server exits when this pipe closes, so it never outlives pwsh
    $start.RedirectStandardOutput = $true
    $start.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($start)

    $line = $process.StandardOutput.ReadLineAsync()
    if (-not $line.Wait([TimeSpan]::FromSeconds(30)) -or -not $line.Result) {
        if (-not $process.HasExited) { $process.Kill() }
        throw 'The test server did not print its address within 30 s.'
    }
    $base = [uri]$line.Result
    [pscustomobject]@{
        Process        = $process
        BaseUri        = $base
        OpenAIEndpoint = [uri]::new($base, 'v1/')
        AzureEndpoint  = $base
    }
}

function Stop-TestServer {
    param([Parameter(Mandatory)] $Server)

    $Server.Process.StandardInput.Close()
    if (-not $Server.Process.WaitForExit(5000)) { $Server.Process.Kill() }
    $Server.Process.Dispose()
}

function Reset-TestServer {
    param([Parameter(Mandatory)] $Server, [string] $RequiredKey)

    $null = Invoke-RestMethod -Method Post -Uri ([uri]::new($Server.BaseUri, '_test/reset')) -NoProxy
    if ($RequiredKey) {
        $null = Invoke-RestMethod -Method Post -Uri ([uri]::new($Server.BaseUri, '_test/required-key')) -Body $RequiredKey -NoProxy
    }
}

function Get-TestServerRequest {
    param([Parameter(Mandatory)] $Server, [ValidateSet('Chat', 'Embeddings', 'Other')] [string] $Route)

    # why the variable: Invoke-RestMethod writes a JSON array as one object; piping the variable unrolls it
    $log = Invoke-RestMethod -Uri ([uri]::new($Server.BaseUri, '_test/requests')) -NoProxy
    $log | Where-Object { -not $Route -or $_.route -eq $Route }
}

Export-ModuleMember -Function Enter-HermeticEnvironment, Exit-HermeticEnvironment, Start-TestServer, Stop-TestServer, Reset-TestServer, Get-TestServerRequest
