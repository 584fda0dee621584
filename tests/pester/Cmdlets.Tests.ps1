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

    It 'Spend: -WhatIf sends nothing and prints a total; Get-LlmUsage shows the session as a table with its cost' {
        $estimates = 'one question', 'another question' | Send-LlmMessage -MaxTokens 50 -WhatIf 6>&1
        @(Get-TestServerRequest $server).Count | Should -Be 0
        $estimates[-1].ToString() | Should -Match '^What if: 2 of 2 item\(s\) would be sent .* up to 100 completion tokens; estimated \$'
        Should-ShowAsTable $estimates[0..1] -Column Index, Model, Prompt, MaxAnswer, Cached, MinCost, MaxCost, Text

        Clear-LlmUsage
        $response = 'hi' | Send-LlmMessage
        $usage = Get-LlmUsage
        $usage.Requests | Should -Be 1
        $usage.Cost | Should -Be $response.Cost
        Should-ShowAsTable $usage -Column Model, Requests, CacheHits, Prompt, Completion, Total, Cost
        ($response | Format-Table | Out-String) | Should -Match '\$0\.\d+'
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

    It 'turns a CSV into a CSV: each row back with the answer, and the fields of a structured answer, as columns' {
        $in = Join-Path $TestDrive 'tickets.csv'
        $out = Join-Path $TestDrive 'classified.csv'
        @([pscustomobject]@{ Id = 1; Title = 'disk full' }, [pscustomobject]@{ Id = 2; Title = 'cannot log in' }) | Export-Csv -LiteralPath $in

        Import-Csv -LiteralPath $in | Send-LlmMessage -Template 'Classify: {{Title}}' -MergeInput | Export-Csv -LiteralPath $out
        Import-Csv -LiteralPath $in | Send-LlmMessage -Template 'Classify: {{Title}}' -Json -MergeInput | Export-Csv -LiteralPath "$out.json.csv"

        $rows = Import-Csv -LiteralPath $out
        $rows.Id | Should -Be @('1', '2')
        $rows.Answer | Should -Be @('Echo: Classify: disk full', 'Echo: Classify: cannot log in')
        # the test server answers JSON as {"answer": ...}; a field named like a column (names ignore case) is Answer.<name>, so no column is lost
        (Get-Content -LiteralPath "$out.json.csv" -TotalCount 1) | Should -Be '"Id","Title","Answer","Answer.answer"'
        (Import-Csv -LiteralPath "$out.json.csv")[0].'Answer.answer' | Should -Be 'Echo: Classify: disk full'
    }

    It 'exports LlmResponse objects without type names or @{...} cells' {
        $csv = [pscustomobject]@{ Id = 7; Title = 'x' } | Send-LlmMessage -Template 'T: {{Title}}' | ConvertTo-Csv | Out-String

        $csv | Should -Not -Match 'System\.'
        $csv | Should -Not -Match '@\{'
        $csv | Should -Match '"Echo: T: x"'
    }

    It 'shows responses, settings and clear results as tables a person would choose' {
        $responses = 'a', 'b' | Send-LlmMessage

        Should-ShowAsTable ($responses | Format-Table) -Column Model, Tokens, Cost, Seconds, Cached, Finish, Content
        ($responses | Format-Table | Out-String) | Should -Match 'gpt-4o-mini\s+\d+\+\d+\s+\$[\d.]+\s+\d+\.\d\d\s+False\s+stop\s+Echo: a'
        Should-ShowAsTable (Get-LlmConfig) -Column Name, Value, Source
        (Get-LlmConfig MODEL).Source | Should -Be (Join-Path $work 'config.ini')
        $null = Get-LlmEmbedding 'to clear'
        Should-ShowAsTable (Clear-LlmCache -All -Confirm:$false -PassThru) -Column Count, Size, CachePath
    }

    It 'prints a streamed answer once, assigned or not' {
        $printed = Send-LlmMessage 'stream me' -Stream 6>$null | Out-String
        $kept = Send-LlmMessage 'stream me' -Stream 6>$null

        $printed.Trim() | Should -BeNullOrEmpty -Because 'the host showed the text as it arrived'
        $kept.Content | Should -Be 'Echo: stream me'
        ('x' | Send-LlmMessage | Out-String).Trim() | Should -Be 'Echo: x'
    }

    It 'runs the tools a model calls in a real console: read-only ones run, a state-changing one is not run unasked' {
        $folder = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'listing')
        'one.txt', 'two.txt', 'three.txt' | ForEach-Object { Set-Content -LiteralPath (Join-Path $folder $_) -Value x }
        $calls = @(
            @{ name = 'Get-Date'; arguments = (@{ Year = 2001; Month = 2; Day = 3 } | ConvertTo-Json -Compress) },
            @{ name = 'Set-Content'; arguments = (@{ Path = 'tool-wrote.txt'; Value = 'x' } | ConvertTo-Json -Compress) },
            @{ name = 'Get-ChildItem'; arguments = (@{ Path = $folder.FullName } | ConvertTo-Json -Compress) }
        ) | ConvertTo-Json -Compress
        $null = Invoke-RestMethod -Method Post -Uri ([uri]::new($server.BaseUri, '_test/tool-calls')) -Body $calls -NoProxy

        $response = Send-LlmMessage 'What day was it?' -Tool (Get-Command Get-Date, Set-Content, Get-ChildItem) -WarningVariable warned 3>$null

        $response.ToolCalls.Status | Should -Be @('Succeeded', 'Denied', 'Succeeded')
        $response.ToolCalls[0].Result | Should -Match '2001-02-03'
        $response.ToolCalls[2].Result | Should -Match 'one\.txt' -Because 'every object a command writes reaches the model'
        $response.ToolCalls[2].Result | Should -Match 'three\.txt'
        $response.ToolCalls[2].Result | Should -Match 'two\.txt'
        $response.Content | Should -Match '^Tool said: .*2001'
        'tool-wrote.txt' | Should -Not -Exist
        $warned | Should -Match 'Set-Content'
        Should-ShowAsTable $response.ToolCalls -Column Name, Status, Arguments, Result
        $tools = (Get-TestServerRequest $server -Route Chat)[0].json.tools
        $tools.function.name | Should -Be @('Get-Date', 'Set-Content', 'Get-ChildItem')
    }
}

