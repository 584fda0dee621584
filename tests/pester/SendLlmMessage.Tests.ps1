#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Run with: ./build.ps1 -Task Test   (or Invoke-Pester ./tests/pester after ./build.ps1)
# Send-LlmMessage from real pwsh against LoopbackServer.psm1, a local OpenAI / Azure OpenAI server: the behaviours
# tests/LlmTools.Tests/Cmdlets/SendLlmMessage*.cs and ResponseCacheTests.cs check in hosted PowerShell.

BeforeAll {
    Import-Module ([System.IO.Path]::Combine($PSScriptRoot, '..', '..', 'out', 'LlmTools', 'LlmTools.psd1')) -Force
    Import-Module ([System.IO.Path]::Combine($PSScriptRoot, 'LoopbackServer.psm1')) -Force
    $Key = 'fake-test-0123456789abcdefSECRET'
}

Describe 'Send-LlmMessage against a loopback server' {
    BeforeAll {
        $server = Start-LoopbackServer

        $savedEnvironment = Enter-LlmTestEnvironment -TestDrive $TestDrive

        # ./config.ini of the folder the tests run in: this server, no waiting between retries, a cache folder per test
        $workFolder = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'work') -Force
        Push-Location -LiteralPath $workFolder.FullName

        function Write-TestConfig {
            param([string[]] $Extra = @())
            $script:cacheDir = Join-Path $TestDrive "cache-$([guid]::NewGuid().ToString('N'))"
            @(
                '[OpenAI]', 'WAITING_TIME=0', 'MAX_ATTEMPTS=5', 'MODEL=gpt-4o-mini'
                '[LlmTools]', "ENDPOINT=$($server.OpenAIEndpoint)", "CACHE_DIR=$script:cacheDir"
                $Extra
            ) | Set-Content -LiteralPath (Join-Path $workFolder.FullName 'config.ini')
        }

        function Get-CacheFile {
            if (Test-Path -LiteralPath $script:cacheDir) { Get-ChildItem -LiteralPath $script:cacheDir -Filter *.json -Recurse -File }
        }

        # Everything a person could see: output, verbose lines, errors with their exceptions and details.
        function Get-AllText {
            param([object[]] $Output, [object[]] $Errors)
            (@($Output | Out-String) + @($Errors | ForEach-Object { $_.ToString(); $_.Exception.ToString(); "$($_.ErrorDetails)" }) + @($Errors | Out-String)) -join "`n"
        }
    }

    AfterAll {
        Pop-Location
        Stop-LoopbackServer $server
        Exit-LlmTestEnvironment -Saved $savedEnvironment
    }

    AfterEach {
        $server.State.Errors | Should -BeNullOrEmpty -Because 'the loopback server itself must not fail'
    }

    BeforeEach {
        Clear-LoopbackServer $server
        Write-TestConfig
    }

    Context 'answers' {
        It 'answers a prompt with an LlmResponse over the OpenAI wire format' {
            $response = Send-LlmMessage 'What is the capital of France?' -ApiKey $Key -SystemPrompt 'Be brief.'

            $response | Should -BeOfType 'LlmTools.Output.LlmResponse'
            $response.ToString() | Should -Be 'Echo: What is the capital of France?'
            $response.Content | Should -Be 'Echo: What is the capital of France?'
            $response.Model | Should -Be 'gpt-4o-mini'
            $response.Provider | Should -Be 'OpenAI'
            $response.FinishReason | Should -Be 'stop'
            $response.Cached | Should -BeFalse
            $response.TotalTokens | Should -BeGreaterThan 0
            $response.Messages.Count | Should -Be 3

            $request = @(Get-LoopbackRequest $server)
            $request.Count | Should -Be 1
            $request[0].Path | Should -Be '/v1/chat/completions'
            $request[0].Headers['Authorization'] | Should -Be "Bearer $Key"
            $request[0].Json.messages[0].role | Should -Be 'system'
        }

        It 'gives each piped string one response, in input order' {
            $responses = 'one', 'two', 'three' | Send-LlmMessage -ApiKey $Key

            $responses.Content | Should -Be @('Echo: one', 'Echo: two', 'Echo: three')
            $responses.InputObject | Should -Be @('one', 'two', 'three')
            @(Get-LoopbackRequest $server -Route Chat).Count | Should -Be 3
        }

        It 'sends -ThrottleLimit requests at once and still writes them in input order' {
            # The server holds chat requests until four wait together, then answers them last first: the command
            # only finishes quickly if four are really in flight at once, and must reorder what comes back.
            $server.State.Gate = @{ Size = 4; TimeoutSec = 10; Groups = 0 }

            $responses = 1..8 | ForEach-Object { "p$_" } | Send-LlmMessage -ApiKey $Key -ThrottleLimit 4

            $server.State.Gate.Groups | Should -Be 2
            $responses.Content | Should -Be (1..8 | ForEach-Object { "Echo: p$_" })
        }

        It 'fills a template from Import-Csv rows and -Variables' {
            @(
                [pscustomobject]@{ Id = 1; Title = 'Printer broken' }
                [pscustomobject]@{ Id = 2; Title = 'VPN down' }
            ) | Export-Csv -LiteralPath (Join-Path $TestDrive 'tickets.csv')

            $responses = Import-Csv -LiteralPath (Join-Path $TestDrive 'tickets.csv') |
                Send-LlmMessage -Template 'Classify ticket {{Id}} for {{Team}}: {{Title}}' -Variables @{ Team = 'ops' } -ApiKey $Key

            $responses.Content | Should -Be @('Echo: Classify ticket 1 for ops: Printer broken', 'Echo: Classify ticket 2 for ops: VPN down')
            $responses[1].InputObject.Id | Should -Be '2'
        }

        It 'fails only the item whose placeholder is missing' {
            $responses = @(
                [pscustomobject]@{ Id = 1; Title = 'Printer broken' }
                [pscustomobject]@{ Id = 2 }
                [pscustomobject]@{ Id = 3; Title = 'VPN down' }
            ) | Send-LlmMessage -Template 'Classify ticket {{Id}}: {{Title}}' -ApiKey $Key -ErrorVariable problems -ErrorAction SilentlyContinue

            $responses.Content | Should -Be @('Echo: Classify ticket 1: Printer broken', 'Echo: Classify ticket 3: VPN down')
            $problems.Count | Should -Be 1
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'TemplateVariableMissing,*'
            $problems[0].Exception.Message | Should -BeLike '*{{Title}}*'
            $problems[0].TargetObject.Id | Should -Be 2
            @(Get-LoopbackRequest $server -Route Chat).Count | Should -Be 2
        }

        It 'continues the conversation of a piped response' {
            $first = Send-LlmMessage 'hi' -ApiKey $Key
            $second = $first | Send-LlmMessage 'and more' -ApiKey $Key

            $second.Content | Should -Be 'Echo: and more'
            $messages = (Get-LoopbackRequest $server)[1].Json.messages
            $messages.role | Should -Be @('user', 'assistant', 'user')
            $messages[1].content | Should -Be 'Echo: hi'
        }

        It 'takes -Messages as hashtables and objects' {
            $response = Send-LlmMessage -ApiKey $Key -Messages @(
                @{ role = 'system'; content = 'You are terse.' }
                [pscustomobject]@{ Role = 'user'; Content = 'Name a colour' })

            $response.Content | Should -Be 'Echo: Name a colour'
            (Get-LoopbackRequest $server)[0].Json.messages.Count | Should -Be 2
        }

        It 'asks for structured output with -JsonSchema and parses the reply into .Data' {
            $schema = @{
                type                 = 'object'
                properties           = @{ name = @{ type = 'string' }; born = @{ type = 'integer' } }
                required             = @('name', 'born')
                additionalProperties = $false
            }

            $response = Send-LlmMessage 'Who is Ada?' -ApiKey $Key -JsonSchema $schema

            $response.Data.name | Should -Be 'text'
            $response.Data.born | Should -Be 42
            $format = (Get-LoopbackRequest $server)[0].Json.response_format
            $format.type | Should -Be 'json_schema'
            $format.json_schema.schema.type | Should -Be 'object'
        }

        It 'asks for a JSON object with -Json' {
            (Send-LlmMessage 'Reply in JSON' -ApiKey $Key -Json).Data.answer | Should -Be 'Echo: Reply in JSON'
            (Get-LoopbackRequest $server)[0].Json.response_format.type | Should -Be 'json_object'
        }

        It 'puts generation parameters on the wire, with max_completion_tokens for reasoning models' {
            $null = Send-LlmMessage 'a' -ApiKey $Key -MaxTokens 50 -Temperature 0.5 -TopP 0.9 -Seed 7 -Stop 'END'
            $null = Send-LlmMessage 'b' -ApiKey $Key -Model o3-mini -MaxTokens 60

            $classic, $reasoning = (Get-LoopbackRequest $server).Json
            $classic.max_tokens | Should -Be 50
            $classic.ContainsKey('max_completion_tokens') | Should -BeFalse
            $classic.temperature | Should -Be 0.5
            $classic.top_p | Should -Be 0.9
            $classic.seed | Should -Be 7
            $classic.stop | Should -Be @('END')
            $reasoning.max_completion_tokens | Should -Be 60
            $reasoning.ContainsKey('max_tokens') | Should -BeFalse
        }

        It 'sends config.ini defaults, and parameters override them' {
            Write-TestConfig -Extra '[OpenAI]', 'TEMPERATURE=0.2', 'MAX_TOKENS=123'

            $null = Send-LlmMessage 'a' -ApiKey $Key
            $null = Send-LlmMessage 'b' -ApiKey $Key -Temperature 1.5

            $first, $second = (Get-LoopbackRequest $server).Json
            $first.temperature | Should -Be 0.2
            $first.max_tokens | Should -Be 123
            $second.temperature | Should -Be 1.5
        }

        It 'needs no key for a compatible server, and sends no Authorization header then' {
            $response = Send-LlmMessage 'hi' -ErrorVariable problems

            $problems | Should -BeNullOrEmpty
            $response.Content | Should -Be 'Echo: hi'
            (Get-LoopbackRequest $server)[0].Headers['Authorization'] | Should -BeNullOrEmpty
        }

        It 'writes -Stream text as information records as it arrives, then one response' {
            $server.State.Reply = 'The capital of France is Paris.'

            $everything = Send-LlmMessage 'capital?' -ApiKey $Key -Stream 6>&1

            $pieces = @($everything | Where-Object { $_ -is [System.Management.Automation.InformationRecord] -and $_.Tags -contains 'PSHOST' } |
                    ForEach-Object { $_.MessageData.Message })
            $pieces.Count | Should -BeGreaterThan 3
            -join $pieces | Should -Be 'The capital of France is Paris.'
            $response = $everything | Where-Object { $_ -is [LlmTools.Output.LlmResponse] }
            $response.Content | Should -Be 'The capital of France is Paris.'
            $response.FinishReason | Should -Be 'stop'
            $response.TotalTokens | Should -BeGreaterThan 0
            (Get-LoopbackRequest $server)[0].Json.stream | Should -BeTrue
        }
    }

    Context 'retries and errors' {
        It 'retries three 429s and answers: four requests, three verbose retry lines' {
            Add-LoopbackFault $server -StatusCode 429 -RetryAfter 0 -Count 3

            $everything = Send-LlmMessage 'hi' -ApiKey $Key -Verbose -ErrorVariable problems 4>&1

            $problems | Should -BeNullOrEmpty
            ($everything | Where-Object { $_ -is [LlmTools.Output.LlmResponse] }).Content | Should -Be 'Echo: hi'
            @(Get-LoopbackRequest $server -Route Chat).Count | Should -Be 4
            $retries = @($everything | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like '*Retrying in*' })
            $retries.Count | Should -Be 3
            $retries[0].Message | Should -BeLike '*Attempt 1 of 5 failed: Rate limited*'
        }

        It 'retries HTTP <Status>' -ForEach @(
            @{ Status = 500 }, @{ Status = 502 }, @{ Status = 503 }, @{ Status = 504 }, @{ Status = 408 }
        ) {
            Add-LoopbackFault $server -StatusCode $Status -Message 'temporary trouble'

            $response = Send-LlmMessage 'hi' -ApiKey $Key -ErrorVariable problems

            $problems | Should -BeNullOrEmpty
            $response.Content | Should -Be 'Echo: hi'
            @(Get-LoopbackRequest $server -Route Chat).Count | Should -Be 2
        }

        It 'does not retry HTTP <Status> and reports <ErrorId> with the server''s message' -ForEach @(
            @{ Status = 400; ErrorId = 'BadRequest' }
            @{ Status = 401; ErrorId = 'AuthenticationFailed' }
            @{ Status = 403; ErrorId = 'PermissionDenied' }
            @{ Status = 404; ErrorId = 'ModelNotFound' }
        ) {
            Add-LoopbackFault $server -StatusCode $Status -Message "the server explains $Status"

            $response = Send-LlmMessage 'hi' -ApiKey $Key -ErrorVariable problems -ErrorAction SilentlyContinue

            $response | Should -BeNullOrEmpty
            $problems.Count | Should -Be 1
            $problems[0].FullyQualifiedErrorId | Should -Be "$ErrorId,LlmTools.Commands.SendLlmMessageCommand"
            $problems[0].Exception.Message | Should -BeLike "*the server explains $Status*"
            $problems[0].TargetObject | Should -Be 'hi'
            @(Get-LoopbackRequest $server -Route Chat).Count | Should -Be 1
        }

        It 'does not retry an exhausted quota' {
            Add-LoopbackFault $server -StatusCode 429 -ErrorCode insufficient_quota -ErrorType insufficient_quota -Message 'You exceeded your current quota.'

            $null = Send-LlmMessage 'hi' -ApiKey $Key -ErrorVariable problems -ErrorAction SilentlyContinue

            $problems[0].FullyQualifiedErrorId | Should -BeLike 'QuotaExceeded,*'
            @(Get-LoopbackRequest $server -Route Chat).Count | Should -Be 1
        }

        It 'stops after -MaxAttempts and reports the last error' {
            Add-LoopbackFault $server -StatusCode 503 -Count 3

            $null = Send-LlmMessage 'hi' -ApiKey $Key -MaxAttempts 2 -ErrorVariable problems -ErrorAction SilentlyContinue

            $problems.Count | Should -Be 1
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'ServerError,*'
            @(Get-LoopbackRequest $server -Route Chat).Count | Should -Be 2
        }

        It 'honours retry-after-ms and caps Retry-After at MAX_RETRY_DELAY' {
            Write-TestConfig -Extra 'MAX_RETRY_DELAY=0.2'
            Add-LoopbackFault $server -StatusCode 429 -RetryAfterMs 50
            Add-LoopbackFault $server -StatusCode 429 -RetryAfter 3600

            $everything = Send-LlmMessage 'hi' -ApiKey $Key -Verbose 4>&1

            ($everything | Where-Object { $_ -is [LlmTools.Output.LlmResponse] }).Content | Should -Be 'Echo: hi'
            $retries = @($everything | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like '*Retrying in*' })
            $retries[0].Message | Should -BeLike '*Retrying in 0.05 s (server asked for 0.05 s)*'
            $retries[1].Message | Should -BeLike '*Retrying in 0.2 s (server asked for 3600 s)*'
        }

        It 'retries a -Stream request that fails before its first chunk' {
            Add-LoopbackFault $server -StatusCode 429 -RetryAfter 0

            $response = Send-LlmMessage 'hi' -ApiKey $Key -Stream -ErrorVariable problems 6>$null

            $problems | Should -BeNullOrEmpty
            $response.Content | Should -Be 'Echo: hi'
            @(Get-LoopbackRequest $server -Route Chat).Count | Should -Be 2
        }

        It 'retries a dropped connection' {
            Add-LoopbackFault $server -Drop

            $response = Send-LlmMessage 'hi' -ApiKey $Key -ErrorVariable problems

            $problems | Should -BeNullOrEmpty
            $response.Content | Should -Be 'Echo: hi'
            @(Get-LoopbackRequest $server -Route Chat).Count | Should -Be 2
        }

        It 'reports an unreachable endpoint as an error per item' {
            $responses = 'a', 'b' | Send-LlmMessage -Endpoint 'http://127.0.0.1:9/v1' -MaxAttempts 2 -ErrorVariable problems -ErrorAction SilentlyContinue

            $responses | Should -BeNullOrEmpty
            $problems.Count | Should -Be 2
            $problems | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'EndpointUnreachable,*' }
            $problems[0].Exception.Message | Should -BeLike '*127.0.0.1:9*'
        }

        It 'goes on with the other items when one fails' {
            $server.State.Reply = 'ok'
            Add-LoopbackFault $server -StatusCode 400 -Message 'bad one'

            $responses = 'first', 'second', 'third' | Send-LlmMessage -ApiKey $Key -MaxAttempts 1 -ErrorVariable problems -ErrorAction SilentlyContinue

            $responses.InputObject | Should -Be @('second', 'third')
            $problems.Count | Should -Be 1
            $problems[0].TargetObject | Should -Be 'first'
        }

        It 'never shows a rejected key in errors, verbose lines or output' {
            $server.State.RequiredKey = 'fake-right-key-000000000000'

            $everything = Send-LlmMessage 'hi' -ApiKey $Key -Verbose -ErrorVariable problems -ErrorAction SilentlyContinue 4>&1

            $problems[0].FullyQualifiedErrorId | Should -BeLike 'AuthenticationFailed,*'
            $text = Get-AllText -Output $everything -Errors $problems
            $text | Should -Not -BeLike "*$Key*"
            $text | Should -BeLike '*401*'
        }

        It 'uses a key given as a SecureString and never shows it' {
            $secure = [System.Net.NetworkCredential]::new('', $Key).SecurePassword

            $everything = Send-LlmMessage 'hi' -ApiKey $secure -Verbose -ErrorVariable problems 4>&1

            $problems | Should -BeNullOrEmpty
            (Get-LoopbackRequest $server)[0].Headers['Authorization'] | Should -Be "Bearer $Key"
            Get-AllText -Output $everything -Errors $problems | Should -Not -BeLike "*$Key*"
            $everything | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like '*key from parameter -ApiKey*' } |
                Should -Not -BeNullOrEmpty
        }

        It 'stops before any request on a bad config value, naming the key' {
            Write-TestConfig -Extra '[OpenAI]', 'TEMPERATURE=hot'

            { 'a', 'b' | Send-LlmMessage -ApiKey $Key -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidConfiguration*' -ExpectedMessage '*TEMPERATURE*'
            Get-LoopbackRequest $server | Should -BeNullOrEmpty
        }
    }

    Context 'response cache' {
        It 'answers a -Cache hit from the cache, marked Cached, without a request' {
            $first = Send-LlmMessage 'hi' -ApiKey $Key -Cache
            $second = Send-LlmMessage 'hi' -ApiKey $Key -Cache

            @($first.Cached, $second.Cached) | Should -Be @($false, $true)
            $second.Content | Should -Be $first.Content
            $second.TotalTokens | Should -Be $first.TotalTokens
            @(Get-LoopbackRequest $server -Route Chat).Count | Should -Be 1
            @(Get-CacheFile).Count | Should -Be 1
        }

        It 'caches with CACHE_API_CALLS=True, and -NoCache bypasses the cache' {
            Write-TestConfig -Extra '[OpenAI]', 'CACHE_API_CALLS=True'

            $responses = @(
                Send-LlmMessage 'hi' -ApiKey $Key
                Send-LlmMessage 'hi' -ApiKey $Key
                Send-LlmMessage 'hi' -ApiKey $Key -NoCache
            )

            $responses.Cached | Should -Be @($false, $true, $false)
            @(Get-LoopbackRequest $server -Route Chat).Count | Should -Be 2
        }

        It 'keys on the request, never on the API key or timeout, and keeps keys out of the cache files' {
            $responses = @(
                Send-LlmMessage 'hi' -ApiKey $Key -Cache -TimeoutSec 30
                Send-LlmMessage 'hi' -ApiKey 'fake-another-key-9999999999' -Cache -TimeoutSec 99 -MaxAttempts 1
                Send-LlmMessage 'hi' -ApiKey $Key -Cache -Temperature 0.3
            )

            $responses.Cached | Should -Be @($false, $true, $false)
            @(Get-LoopbackRequest $server -Route Chat).Count | Should -Be 2
            foreach ($file in Get-CacheFile) {
                $content = Get-Content -LiteralPath $file.FullName -Raw
                $content | Should -Not -BeLike "*$Key*"
                $content | Should -Not -BeLike '*fake-another-key*'
            }
        }

        It 'caches a stream once it is complete' {
            $responses = @(
                Send-LlmMessage 'hi' -ApiKey $Key -Cache -Stream 6>$null
                Send-LlmMessage 'hi' -ApiKey $Key -Cache
                Send-LlmMessage 'hi' -ApiKey $Key -Cache -Stream 6>$null
            )

            $responses.Cached | Should -Be @($false, $true, $true)
            @(Get-LoopbackRequest $server -Route Chat).Count | Should -Be 1
        }

        It 'warns about an unreadable entry, treats it as a miss and replaces it' {
            $null = Send-LlmMessage 'hi' -ApiKey $Key -Cache
            $file = @(Get-CacheFile)[0].FullName
            Set-Content -LiteralPath $file -Value '{"format":1,"key":"tor' -NoNewline

            $responses = @(
                Send-LlmMessage 'hi' -ApiKey $Key -Cache -WarningVariable warnings -WarningAction SilentlyContinue
                Send-LlmMessage 'hi' -ApiKey $Key -Cache
            )

            $warnings.Count | Should -Be 1
            $warnings[0].Message | Should -BeLike "*$file*"
            $responses.Cached | Should -Be @($false, $true)
            @(Get-LoopbackRequest $server -Route Chat).Count | Should -Be 2
        }

        It 'treats an entry older than CACHE_TTL as a miss' {
            Write-TestConfig -Extra 'CACHE_TTL=3600'
            $null = Send-LlmMessage 'hi' -ApiKey $Key -Cache
            $file = @(Get-CacheFile)[0].FullName
            (Get-Content -LiteralPath $file -Raw) -replace '"created":"[^"]+"', '"created":"2020-01-01T00:00:00+00:00"' |
                Set-Content -LiteralPath $file -NoNewline

            (Send-LlmMessage 'hi' -ApiKey $Key -Cache).Cached | Should -BeFalse
            @(Get-LoopbackRequest $server -Route Chat).Count | Should -Be 2
        }

        It 'reads but never writes with -CacheMode ReadOnly' {
            $responses = @(
                Send-LlmMessage 'new' -ApiKey $Key -Cache -CacheMode ReadOnly
                Send-LlmMessage 'new' -ApiKey $Key -Cache -CacheMode ReadOnly
            )

            $responses.Cached | Should -Be @($false, $false)
            Get-CacheFile | Should -BeNullOrEmpty
        }

        It 'replays from the cache without the network, and a miss is an error for that item' {
            $null = Send-LlmMessage 'recorded' -ApiKey $Key -Cache
            Clear-LoopbackServer $server

            # no key this time: replay needs none
            $responses = 'recorded', 'never seen' | Send-LlmMessage -CacheMode Replay -ErrorVariable problems -ErrorAction SilentlyContinue

            Get-LoopbackRequest $server | Should -BeNullOrEmpty
            $responses.Cached | Should -Be @($true)
            $problems.Count | Should -Be 1
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'CacheReplayMiss,*'
            $problems[0].TargetObject | Should -Be 'never seen'
        }
    }

    Context 'Azure OpenAI' {
        It 'addresses the deployment with api-version and the api-key header' {
            $first = Send-LlmMessage 'hi' -Provider Azure -Endpoint $server.AzureEndpoint -Model my-gpt4o -ApiKey $Key
            $null = Send-LlmMessage 'hi again' -Provider Azure -Endpoint $server.AzureEndpoint -Model my-gpt4o -ApiKey $Key -ApiVersion 2023-05-15

            $first.Provider | Should -Be 'Azure'
            $first.Model | Should -Be 'my-gpt4o'
            $first.Content | Should -Be 'Echo: hi'
            $requests = @(Get-LoopbackRequest $server)
            $requests[0].Path | Should -Be '/openai/deployments/my-gpt4o/chat/completions'
            $requests[0].Query['api-version'] | Should -Be '2024-10-21'
            $requests[1].Query['api-version'] | Should -Be '2023-05-15'
            $requests[0].Headers['api-key'] | Should -Be $Key
            $requests[0].Headers['Authorization'] | Should -BeNullOrEmpty
        }

        It 'streams from a deployment' {
            $response = Send-LlmMessage 'hi there' -Provider Azure -Endpoint $server.AzureEndpoint -Model dep1 -ApiKey $Key -Stream 6>$null

            $response.Content | Should -Be 'Echo: hi there'
            (Get-LoopbackRequest $server)[0].Path | Should -Be '/openai/deployments/dep1/chat/completions'
        }
    }
}
