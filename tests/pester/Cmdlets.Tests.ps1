#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Smoke test of what a pwsh user sees: one real call per cmdlet against tests/LlmTools.TestServer (the loopback
# OpenAI server of the xunit tests, run as a process), the default views, and the key never shown. The detailed
# behaviour is tested in tests/LlmTools.Tests. Run after a build: Invoke-Pester ./tests/pester (or ./build.ps1 -Task Test).

BeforeAll {
    Import-Module ([System.IO.Path]::Combine($PSScriptRoot, 'TestSupport.psm1')) -Force
    $saved = Enter-HermeticEnvironment -Folder $TestDrive
    Import-Module ([System.IO.Path]::Combine($PSScriptRoot, '..', '..', 'out', 'LlmTools', 'LlmTools.psd1')) -Force
    $server = Start-TestServer
    $Key = 'fake-test-0123456789abcdefSECRET'

    # ./config.ini of a working folder, as a user would write it: the test server and a private cache folder
    $work = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'work')
    @('[OpenAI]', 'MODEL=gpt-4o-mini', 'WAITING_TIME=0', '[LlmTools]', "ENDPOINT=$($server.OpenAIEndpoint)", "CACHE_DIR=$(Join-Path $TestDrive 'cache')") |
        Set-Content -LiteralPath (Join-Path $work 'config.ini')
    Push-Location -LiteralPath $work

    # The default view is a table with these columns, and no cell fails (Format-Table -DisplayError shows #ERR).
    function Should-ShowAsTable {
        param([Parameter(Mandatory)] [object[]] $InputObject, [Parameter(Mandatory)] [string[]] $Column)

        ($InputObject | Out-String) | Should -Match ('(?m)^\s*' + ($Column -join '\s+') + '\s*$')
        ($InputObject | Format-Table -DisplayError | Out-String) | Should -Not -Match '#ERR'
    }
}

AfterAll {
    Pop-Location
    if ($server) { Stop-TestServer $server }
    Exit-HermeticEnvironment $saved
}

Describe 'LlmTools against the test server' {
    BeforeEach {
        Reset-TestServer $server
    }

    It 'Send-LlmMessage answers, and the answer prints as its content' {
        $response = 'hi' | Send-LlmMessage

        $response.Content | Should -Be 'Echo: hi'
        ($response | Out-String).Trim() | Should -Be 'Echo: hi'
        $request = @(Get-TestServerRequest $server)
        $request.Count | Should -Be 1
        $request[0].path | Should -Be '/v1/chat/completions'
        $request[0].json.model | Should -Be 'gpt-4o-mini'
    }

    It 'Get-LlmEmbedding returns a vector per text, shown as a table' {
        $embeddings = Get-LlmEmbedding 'alpha', 'beta'

        $embeddings.Text | Should -Be @('alpha', 'beta')
        $embeddings[0].Vector.Count | Should -Be 8
        (Get-TestServerRequest $server -Route Embeddings).json.input | Should -Be @('alpha', 'beta')
        Should-ShowAsTable $embeddings -Column Index, Dimensions, Cached, Model, Text
    }

    It 'Measure-LlmTokens counts offline, shown as a table' {
        $count = 'hello world' | Measure-LlmTokens -Model gpt-4o

        $count.Tokens | Should -Be 2
        $count.Encoding | Should -Be 'o200k_base'
        Get-TestServerRequest $server | Should -BeNullOrEmpty
        Should-ShowAsTable $count -Column Tokens, Characters, Encoding, Model, Source
    }

    It 'Get-LlmCache lists a cached answer, shown as a table' {
        $first = Send-LlmMessage 'remember me' -Cache
        $second = Send-LlmMessage 'remember me' -Cache

        @($first.Cached, $second.Cached) | Should -Be @($false, $true)
        @(Get-TestServerRequest $server).Count | Should -Be 1
        $entries = Get-LlmCache -Kind chat
        $entries.Preview | Should -Contain 'remember me'
        Should-ShowAsTable $entries -Column Created, Kind, Model, Size, Preview
    }

    It 'Clear-LlmCache -All empties the cache and tells what went' {
        $null = Get-LlmEmbedding 'cached as well'
        $before = @(Get-LlmCache).Count

        $removed = Clear-LlmCache -All -Confirm:$false -PassThru

        $before | Should -BeGreaterThan 0
        $removed.Count | Should -Be $before
        Get-LlmCache | Should -BeNullOrEmpty
    }

    It 'never shows the API key in output, verbose lines or errors' {
        Reset-TestServer $server -RequiredKey 'fake-right-key-000000000000'

        $shown = Send-LlmMessage 'hi' -ApiKey $Key -Verbose -ErrorVariable problems -ErrorAction SilentlyContinue 4>&1 3>&1

        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'AuthenticationFailed,*'
        (Get-TestServerRequest $server)[0].headers.Authorization | Should -Be "Bearer $Key" -Because 'the key was sent'
        $text = ($shown | Out-String) + ($problems | Out-String) + $problems[0].Exception.ToString()
        $text | Should -BeLike '*401*'
        $text | Should -Not -BeLike "*$Key*"
    }
}
