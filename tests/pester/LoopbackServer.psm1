# A loopback OpenAI / Azure OpenAI server in plain PowerShell, for the Pester tests: System.Net.HttpListener on
# 127.0.0.1 and a free port, served from a background runspace, with a request log and scripted faults.
# tests/LlmTools.TestServer (Kestrel, for the xunit tests) is the reference for the wire shapes written here.
#
#   $server = Start-LoopbackServer
#   Send-LlmMessage 'hi' -Endpoint $server.OpenAIEndpoint        # -> 'Echo: hi'
#   Add-LoopbackFault $server -StatusCode 429 -RetryAfter 0 -Count 3
#   Get-LoopbackRequest $server -Route Chat
#   Stop-LoopbackServer $server
#
# $server.State is a synchronized hashtable shared with the server's runspace. Besides the request log and the
# fault queue it holds what a test may set:
#   Reply        string: replaces the default reply ("Echo: <last user message>", or JSON for response_format)
#   RequiredKey  string: requests must present it (Authorization: Bearer, or api-key on Azure routes), else 401
#   Gate         @{ Size = N; TimeoutSec = 10 }: chat requests are held until N are waiting at once, then answered
#                last first (proves N requests in flight together); Gate.Groups counts the groups released
#   Errors       what went wrong inside the server itself (a test can show them when something looks odd)

$script:ModulePath = $PSCommandPath

#region Public functions

function Enter-LlmTestEnvironment {
    <#
    .SYNOPSIS
        Parks the environment variables that would steer LlmTools away from the test server; returns what to restore.
    #>
    param([Parameter(Mandatory)] [string] $TestDrive)

    # why: environment variables win over ./config.ini, a real key must never reach a test server, and a user
    # config file of whoever runs the tests must not leak in; park them all and point LLMTOOLS_CONFIG at a file
    # that does not exist
    $saved = @{}
    $parked = 'OPENAI_API_KEY', 'OPENAI_BASE_URL', 'AZURE_OPENAI_ENDPOINT', 'AZURE_OPENAI_API_KEY', 'AZURE_OPENAI_KEY',
        'LLMTOOLS_CONFIG', 'LLMTOOLS_CACHE_DIR', 'LLMTOOLS_CACHE_MODE', 'LLMTOOLS_API_TYPE', 'LLMTOOLS_MODEL'
    foreach ($name in $parked) {
        $saved[$name] = [System.Environment]::GetEnvironmentVariable($name)
        [System.Environment]::SetEnvironmentVariable($name, $null)
    }
    [System.Environment]::SetEnvironmentVariable('LLMTOOLS_CONFIG', [System.IO.Path]::Combine($TestDrive, 'no-user-config.ini'))
    $saved
}

function Exit-LlmTestEnvironment {
    <#
    .SYNOPSIS
        Restores what Enter-LlmTestEnvironment parked.
    #>
    param([Parameter(Mandatory)] [hashtable] $Saved)

    foreach ($name in $Saved.Keys) {
        [System.Environment]::SetEnvironmentVariable($name, $Saved[$name])
    }
}

function Start-LoopbackServer {
    <#
    .SYNOPSIS
    Starts the loopback server on http://127.0.0.1:<free port>/ and returns an object with Uri, OpenAIEndpoint
    (Uri + 'v1/'), AzureEndpoint (Uri itself: the Azure client appends /openai/... on its own) and State.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param()

    $listener = $null
    # why a loop: the port a TcpListener on port 0 was given is free again when it stops, but another process may
    # take it before HttpListener binds; a few tries settle that race
    for ($try = 1; -not $listener; $try++) {
        $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $probe.Start()
        $port = ([System.Net.IPEndPoint]$probe.LocalEndpoint).Port
        $probe.Stop()
        $candidate = [System.Net.HttpListener]::new()
        $candidate.Prefixes.Add("http://127.0.0.1:$port/")
        try {
            $candidate.Start()
            $listener = $candidate
        }
        catch [System.Net.HttpListenerException] {
            $candidate.Close()
            if ($try -ge 5) { throw }
        }
    }

    $state = [hashtable]::Synchronized(@{
            Requests    = [System.Collections.ArrayList]::Synchronized([System.Collections.ArrayList]::new())
            Faults      = [System.Collections.ArrayList]::Synchronized([System.Collections.ArrayList]::new())
            Errors      = [System.Collections.ArrayList]::Synchronized([System.Collections.ArrayList]::new())
            Reply       = $null
            RequiredKey = $null
            Gate        = $null
            Stopping    = $false
        })

    # why a runspace of its own: the test's runspace is busy running the cmdlet under test while the server
    # answers; [powershell]::Create() gets a fresh runspace, and BeginInvoke runs it on another thread
    $shell = [powershell]::Create()
    $null = $shell.AddScript({
            param($ModulePath, $Listener, $State)
            $module = Import-Module $ModulePath -PassThru -Force
            & $module { param($l, $s) Invoke-LoopbackLoop -Listener $l -State $s } $Listener $State
        }).AddArgument($script:ModulePath).AddArgument($listener).AddArgument($state)
    $handle = $shell.BeginInvoke()

    $uri = [uri]"http://127.0.0.1:$port/"
    [pscustomobject]@{
        PSTypeName     = 'LlmTools.Tests.LoopbackServer'
        Uri            = $uri
        OpenAIEndpoint = [uri]"${uri}v1/"
        AzureEndpoint  = $uri
        State          = $state
        Listener       = $listener
        Shell          = $shell
        Handle         = $handle
    }
}

function Stop-LoopbackServer {
    <#
    .SYNOPSIS
    Stops the server, aborts requests it still holds and frees its runspace and port.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory, Position = 0, ValueFromPipeline)] [pscustomobject] $Server)

    process {
        $Server.State.Stopping = $true
        $Server.Listener.Stop()
        if (-not $Server.Handle.AsyncWaitHandle.WaitOne([timespan]::FromSeconds(10))) {
            $Server.Shell.Stop()
        }

        try { $null = $Server.Shell.EndInvoke($Server.Handle) } catch { Write-Verbose "Loopback server loop ended with: $_" }
        $Server.Shell.Dispose()
        $Server.Listener.Close()
    }
}

function Clear-LoopbackServer {
    <#
    .SYNOPSIS
    Forgets requests, faults and errors and resets Reply, RequiredKey and Gate: a clean server for the next test.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory, Position = 0)] [pscustomobject] $Server)

    $Server.State.Requests.Clear()
    $Server.State.Faults.Clear()
    $Server.State.Errors.Clear()
    $Server.State.Reply = $null
    $Server.State.RequiredKey = $null
    $Server.State.Gate = $null
}

function Add-LoopbackFault {
    <#
    .SYNOPSIS
    Queues a fault: the next request on a matching route gets this error response (or a dropped connection)
    instead of an answer. Faults are taken in the order they were added.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, Position = 0)] [pscustomobject] $Server,
        # HTTP status of the error response.
        [Parameter(Position = 1)] [int] $StatusCode = 500,
        # The error body's "code"; 429 defaults to rate_limit_exceeded.
        [string] $ErrorCode,
        # The error body's "type"; defaults to server_error for 5xx, requests for 429, else invalid_request_error.
        [string] $ErrorType,
        # The error body's "message".
        [string] $Message,
        # Value of the Retry-After header in seconds; not sent when absent.
        [string] $RetryAfter,
        # Value of the retry-after-ms header; not sent when absent.
        [string] $RetryAfterMs,
        # Only requests on this route take the fault; by default chat and embeddings alike.
        [ValidateSet('Chat', 'Embeddings')] [string] $Route,
        # Abort the connection without any response.
        [switch] $Drop,
        # Queue the same fault this many times.
        [ValidateRange(1, 1000)] [int] $Count = 1
    )

    if ($StatusCode -eq 429) {
        if (-not $ErrorCode) { $ErrorCode = 'rate_limit_exceeded' }
        if (-not $ErrorType) { $ErrorType = 'requests' }
        if (-not $Message) { $Message = 'Rate limit reached for requests. Please try again later.' }
    }

    for ($i = 0; $i -lt $Count; $i++) {
        $null = $Server.State.Faults.Add(@{
                Kind         = if ($Drop) { 'Drop' } else { 'Error' }
                StatusCode   = $StatusCode
                ErrorCode    = if ($ErrorCode) { $ErrorCode } else { $null }
                ErrorType    = if ($ErrorType) { $ErrorType } elseif ($StatusCode -ge 500) { 'server_error' } else { 'invalid_request_error' }
                Message      = if ($Message) { $Message } else { "Injected fault (HTTP $StatusCode)." }
                RetryAfter   = if ($PSBoundParameters.ContainsKey('RetryAfter')) { $RetryAfter } else { $null }
                RetryAfterMs = if ($PSBoundParameters.ContainsKey('RetryAfterMs')) { $RetryAfterMs } else { $null }
                Route        = if ($Route) { $Route } else { $null }
            })
    }
}

function Get-LoopbackRequest {
    <#
    .SYNOPSIS
    The requests the server received, oldest first: Method, Path, Query, Headers (case-insensitive hashtables),
    Body (text), Json (the body as hashtables), Route (Chat, Embeddings or Other) and Deployment (Azure).
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory, Position = 0)] [pscustomobject] $Server,
        [ValidateSet('Chat', 'Embeddings', 'Other')] [string] $Route
    )

    foreach ($request in $Server.State.Requests.ToArray()) {
        if (-not $Route -or $request.Route -eq $Route) { $request }
    }
}

function Get-LoopbackEmbedding {
    <#
    .SYNOPSIS
    The unit-length vector the server returns for a text: a pure function of (text, dimensions), from SHA-256.
    #>
    [CmdletBinding()]
    [OutputType([float[]])]
    param([Parameter(Mandatory, Position = 0)] [AllowEmptyString()] [string] $Text, [int] $Dimensions = 8)

    $bytes = [System.Collections.Generic.List[byte]]::new()
    for ($block = 0; $bytes.Count -lt $Dimensions; $block++) {
        $bytes.AddRange([System.Security.Cryptography.SHA256]::HashData([System.Text.Encoding]::UTF8.GetBytes("$block`n$Text")))
    }

    $values = [double[]]::new($Dimensions)
    $sum = 0.0
    for ($i = 0; $i -lt $Dimensions; $i++) {
        $values[$i] = $bytes[$i] / 127.5 - 1.0
        $sum += $values[$i] * $values[$i]
    }

    $norm = [Math]::Sqrt($sum)
    $vector = [float[]]::new($Dimensions)
    for ($i = 0; $i -lt $Dimensions; $i++) {
        $vector[$i] = [float]($values[$i] / $norm)
    }

    , $vector
}

#endregion

#region The server loop (runs in the server's runspace)

function Invoke-LoopbackLoop {
    param([System.Net.HttpListener] $Listener, [hashtable] $State)

    $held = [System.Collections.Generic.List[object]]::new()
    $next = $Listener.GetContextAsync()
    while (-not $State.Stopping) {
        try {
            # why a short wait instead of blocking: held requests must be released when their gate times out
            $arrived = $next.Wait(50)
        }
        catch {
            break # the listener was stopped
        }

        if ($arrived) {
            $context = $next.Result
            $next = $Listener.GetContextAsync()
            try {
                Invoke-LoopbackRequest -Context $context -State $State -Held $held
            }
            catch {
                $null = $State.Errors.Add("$($context.Request.HttpMethod) $($context.Request.Url.AbsolutePath): $_")
                try { $context.Response.Abort() } catch { $null = $_ }
            }
        }

        $gate = $State.Gate
        $timeout = if ($gate -and $gate.TimeoutSec) { [double]$gate.TimeoutSec } else { 10.0 }
        if ($held.Count -gt 0 -and $held[0].Since.Elapsed.TotalSeconds -ge $timeout) {
            Complete-LoopbackHeld -State $State -Held $held
        }
    }

    foreach ($waiting in $held) {
        try { $waiting.Context.Response.Abort() } catch { $null = $_ }
    }
}

function Invoke-LoopbackRequest {
    param([System.Net.HttpListenerContext] $Context, [hashtable] $State, [System.Collections.Generic.List[object]] $Held)

    $request = Read-LoopbackRequest -Context $Context
    $null = $State.Requests.Add($request)
    $response = $Context.Response
    if ($request.Route -eq 'Other') {
        Write-LoopbackError -Response $response -StatusCode 404 -Message "Invalid URL ($($request.Method) $($request.Path))" -Type 'invalid_request_error'
        return
    }

    $fault = Get-LoopbackFault -State $State -Route $request.Route
    if ($fault) {
        if ($fault.Kind -eq 'Drop') {
            Stop-LoopbackConnection -Response $response
            return
        }

        if ($null -ne $fault.RetryAfter) { $response.AddHeader('Retry-After', $fault.RetryAfter) }
        if ($null -ne $fault.RetryAfterMs) { $response.AddHeader('retry-after-ms', $fault.RetryAfterMs) }
        Write-LoopbackError -Response $response -StatusCode $fault.StatusCode -Message $fault.Message -Type $fault.ErrorType -Code $fault.ErrorCode
        return
    }

    $authError = Test-LoopbackKey -Request $request -RequiredKey $State.RequiredKey
    if ($authError) {
        Write-LoopbackError -Response $response -StatusCode 401 -Message $authError.Message -Type 'invalid_request_error' -Code $authError.Code
        return
    }

    if ($request.Json -isnot [System.Collections.IDictionary]) {
        Write-LoopbackError -Response $response -StatusCode 400 -Message 'We could not parse the JSON body of your request.' -Type 'invalid_request_error'
        return
    }

    $model = if ($request.Deployment) { $request.Deployment } elseif ($request.Json['model']) { [string]$request.Json['model'] } else { 'loopback-model' }
    if ($request.Route -eq 'Embeddings') {
        Write-LoopbackEmbeddings -Response $response -Body $request.Json -Model $model
        return
    }

    $answer = @{ Context = $Context; Body = $request.Json; Model = $model; Reply = Get-LoopbackReply -State $State -Body $request.Json }
    $gate = $State.Gate
    if ($gate) {
        $answer.Since = [System.Diagnostics.Stopwatch]::StartNew()
        $Held.Add($answer)
        if ($Held.Count -ge $gate.Size) {
            $gate.Groups = [int]$gate.Groups + 1
            Complete-LoopbackHeld -State $State -Held $Held
        }

        return
    }

    Write-LoopbackChat @answer
}

# Answers held chat requests, the last to arrive first, so a client that keeps input order has to reorder.
function Complete-LoopbackHeld {
    param([hashtable] $State, [System.Collections.Generic.List[object]] $Held)

    for ($i = $Held.Count - 1; $i -ge 0; $i--) {
        $answer = $Held[$i]
        try {
            Write-LoopbackChat -Context $answer.Context -Body $answer.Body -Model $answer.Model -Reply $answer.Reply
        }
        catch {
            $null = $State.Errors.Add("held chat request: $_")
        }
    }

    $Held.Clear()
}

function Read-LoopbackRequest {
    param([System.Net.HttpListenerContext] $Context)

    $request = $Context.Request
    $body = ''
    if ($request.HasEntityBody) {
        $reader = [System.IO.StreamReader]::new($request.InputStream, [System.Text.Encoding]::UTF8)
        try { $body = $reader.ReadToEnd() } finally { $reader.Dispose() }
    }

    $headers = [hashtable]::new([System.StringComparer]::OrdinalIgnoreCase)
    foreach ($name in $request.Headers.AllKeys) { $headers[$name] = $request.Headers[$name] }
    $query = [hashtable]::new([System.StringComparer]::OrdinalIgnoreCase)
    foreach ($name in $request.QueryString.AllKeys) { if ($name) { $query[$name] = $request.QueryString[$name] } }

    $json = $null
    if ($body) {
        try { $json = ConvertFrom-Json -InputObject $body -AsHashtable -Depth 64 -ErrorAction Stop } catch { $json = $null }
    }

    $path = $request.Url.AbsolutePath
    $route = 'Other'
    $flavor = 'OpenAI'
    $deployment = $null
    if ($request.HttpMethod -eq 'POST') {
        if ($path -match '^/(openai/)?v1/(chat/completions|embeddings)$') {
            $route = if ($Matches[2] -eq 'embeddings') { 'Embeddings' } else { 'Chat' }
            $flavor = if ($Matches[1]) { 'AzureV1' } else { 'OpenAI' }
        }
        elseif ($path -match '^/openai/deployments/([^/]+)/(chat/completions|embeddings)$') {
            $deployment = [uri]::UnescapeDataString($Matches[1])
            $route = if ($Matches[2] -eq 'embeddings') { 'Embeddings' } else { 'Chat' }
            $flavor = 'AzureDeployment'
        }
    }

    [pscustomobject]@{
        PSTypeName = 'LlmTools.Tests.LoopbackRequest'
        Method     = $request.HttpMethod
        Path       = $path
        Query      = $query
        Headers    = $headers
        Body       = $body
        Json       = $json
        Route      = $route
        Flavor     = $flavor
        Deployment = $deployment
    }
}

# Cuts the connection mid-response. why not just Abort(): on Linux and macOS HttpListener answers an aborted request
# with an empty 200 first; a response that promises more bytes than it sends is a dropped connection to any client.
function Stop-LoopbackConnection {
    param([System.Net.HttpListenerResponse] $Response)

    $Response.StatusCode = 200
    $Response.ContentType = 'application/json'
    $Response.ContentLength64 = 1000
    $bytes = [System.Text.Encoding]::UTF8.GetBytes('{"id":"chatcmpl-')
    $Response.OutputStream.Write($bytes, 0, $bytes.Length)
    $Response.OutputStream.Flush()
    $Response.Abort()
}

# Takes the first queued fault for this route (or for any route); $null when there is none.
function Get-LoopbackFault {
    param([hashtable] $State, [string] $Route)

    $faults = $State.Faults
    [System.Threading.Monitor]::Enter($faults.SyncRoot)
    try {
        for ($i = 0; $i -lt $faults.Count; $i++) {
            if ($null -eq $faults[$i].Route -or $faults[$i].Route -eq $Route) {
                $fault = $faults[$i]
                $faults.RemoveAt($i)
                return $fault
            }
        }
    }
    finally {
        [System.Threading.Monitor]::Exit($faults.SyncRoot)
    }

    $null
}

# The OpenAI service's answers to a missing or wrong key; $null when the request may go on.
function Test-LoopbackKey {
    param([pscustomobject] $Request, [string] $RequiredKey)

    if (-not $RequiredKey) { return $null }
    $presented = if ($Request.Flavor -ne 'OpenAI') { $Request.Headers['api-key'] } else { $null }
    if (-not $presented -and $Request.Headers['Authorization'] -match '^Bearer\s+(.+)$') { $presented = $Matches[1].Trim() }
    if (-not $presented) {
        return @{ Code = $null; Message = "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)." }
    }

    if ($presented -ceq $RequiredKey) { return $null }
    # like the real service: the first 3 and last 4 characters, stars between
    $masked = if ($presented.Length -le 8) { '*' * $presented.Length } else { $presented.Substring(0, 3) + ('*' * ($presented.Length - 7)) + $presented.Substring($presented.Length - 4) }
    @{ Code = 'invalid_api_key'; Message = "Incorrect API key provided: $masked." }
}

#endregion

#region Wire formats

function Write-LoopbackJson {
    param([System.Net.HttpListenerResponse] $Response, [int] $StatusCode, [object] $Object)

    $bytes = [System.Text.Encoding]::UTF8.GetBytes((ConvertTo-Json -InputObject $Object -Depth 64 -Compress))
    $Response.StatusCode = $StatusCode
    $Response.ContentType = 'application/json'
    $Response.ContentLength64 = $bytes.Length
    $Response.OutputStream.Write($bytes, 0, $bytes.Length)
    $Response.Close()
}

# {"error":{"message","type","param","code"}} like the OpenAI service.
function Write-LoopbackError {
    param([System.Net.HttpListenerResponse] $Response, [int] $StatusCode, [string] $Message, [string] $Type, [string] $Code)

    Write-LoopbackJson -Response $Response -StatusCode $StatusCode -Object ([ordered]@{
            error = [ordered]@{ message = $Message; type = $Type; param = $null; code = if ($Code) { $Code } else { $null } }
        })
}

function Get-LoopbackWordCount {
    param([string] $Text)
    [regex]::Matches($Text, '\S+').Count
}

# Content is a string or a list of parts, of which only the text parts count.
function Get-LoopbackContentText {
    param([object] $Content)

    if ($null -eq $Content) { return '' }
    if ($Content -is [string]) { return $Content }
    -join @(foreach ($part in $Content) {
            if ($part -is [System.Collections.IDictionary] -and $part['type'] -eq 'text') { [string]$part['text'] }
        })
}

# The default reply: "Echo: <last user message>", shaped by response_format.
function Get-LoopbackReply {
    param([hashtable] $State, [System.Collections.IDictionary] $Body)

    if ($null -ne $State.Reply) { return [string]$State.Reply }
    $lastUser = ''
    foreach ($message in @($Body['messages'])) {
        if ($message -is [System.Collections.IDictionary] -and $message['role'] -eq 'user') { $lastUser = Get-LoopbackContentText $message['content'] }
    }

    $echo = "Echo: $lastUser"
    $format = $Body['response_format']
    $type = if ($format -is [System.Collections.IDictionary]) { $format['type'] } else { $null }
    switch ($type) {
        'json_object' { return ConvertTo-Json -InputObject ([ordered]@{ answer = $echo }) -Compress }
        'json_schema' {
            $schema = if ($format['json_schema'] -is [System.Collections.IDictionary]) { $format['json_schema']['schema'] } else { $null }
            return ConvertTo-Json -InputObject (New-LoopbackSample -Schema $schema) -Depth 64 -Compress
        }
        default { return $echo }
    }
}

# One value per property of a JSON schema: string "text", number 42, boolean true, array [], object recursed.
function New-LoopbackSample {
    param([object] $Schema)

    $result = [ordered]@{}
    $properties = if ($Schema -is [System.Collections.IDictionary]) { $Schema['properties'] } else { $null }
    if ($properties -is [System.Collections.IDictionary]) {
        foreach ($name in @($properties.Keys)) {
            $property = $properties[$name]
            $result[$name] = New-LoopbackSampleValue -Property $property
        }
    }

    $result
}

function New-LoopbackSampleValue {
    param([object] $Property)

    if ($Property -isnot [System.Collections.IDictionary]) { return 'text' }
    if ($Property['enum'] -and @($Property['enum']).Count -gt 0) { return @($Property['enum'])[0] }
    $type = $Property['type']
    if ($type -is [System.Collections.IList]) {
        $type = @($type | Where-Object { $_ -and $_ -ne 'null' })[0]
        if (-not $type) { $type = 'null' }
    }

    switch ($type) {
        { $_ -in 'number', 'integer' } { return 42 }
        'boolean' { return $true }
        'array' { return , @() }
        'object' { return New-LoopbackSample -Schema $Property }
        'null' { return $null }
        default { return 'text' }
    }
}

# A chat.completion object, or a chat.completion.chunk event stream when "stream": true.
function Write-LoopbackChat {
    param([System.Net.HttpListenerContext] $Context, [System.Collections.IDictionary] $Body, [string] $Model, [string] $Reply)

    $promptTokens = 0
    foreach ($message in @($Body['messages'])) {
        if ($message -is [System.Collections.IDictionary]) { $promptTokens += Get-LoopbackWordCount (Get-LoopbackContentText $message['content']) }
    }

    $completionTokens = Get-LoopbackWordCount $Reply
    $usage = [ordered]@{ prompt_tokens = $promptTokens; completion_tokens = $completionTokens; total_tokens = $promptTokens + $completionTokens }
    $head = [ordered]@{
        id                 = 'chatcmpl-' + [guid]::NewGuid().ToString('N').Substring(0, 24)
        created            = [DateTimeOffset]::UtcNow.ToUnixTimeSeconds()
        model              = $Model
        system_fingerprint = 'fp_loopback'
    }

    if ($Body['stream'] -eq $true) {
        $includeUsage = $Body['stream_options'] -is [System.Collections.IDictionary] -and $Body['stream_options']['include_usage'] -eq $true
        Write-LoopbackChatStream -Response $Context.Response -Head $head -Reply $Reply -Usage $(if ($includeUsage) { $usage } else { $null })
        return
    }

    $completion = [ordered]@{ id = $head.id; object = 'chat.completion'; created = $head.created; model = $Model; system_fingerprint = $head.system_fingerprint }
    $completion.choices = @(
        [ordered]@{
            index         = 0
            message       = [ordered]@{ role = 'assistant'; content = $Reply; refusal = $null }
            logprobs      = $null
            finish_reason = 'stop'
        })
    $completion.usage = $usage
    Write-LoopbackJson -Response $Context.Response -StatusCode 200 -Object $completion
}

function Write-LoopbackChatStream {
    param([System.Net.HttpListenerResponse] $Response, [System.Collections.IDictionary] $Head, [string] $Reply, [System.Collections.IDictionary] $Usage)

    $Response.StatusCode = 200
    $Response.ContentType = 'text/event-stream'
    $Response.SendChunked = $true
    $Response.AddHeader('Cache-Control', 'no-cache')
    $stream = $Response.OutputStream

    $send = {
        param([string] $Data)
        $bytes = [System.Text.Encoding]::UTF8.GetBytes("data: $Data`n`n")
        $stream.Write($bytes, 0, $bytes.Length)
        $stream.Flush()
    }
    $chunk = {
        param([System.Collections.IDictionary] $Delta, [object] $FinishReason)
        $value = [ordered]@{ id = $Head.id; object = 'chat.completion.chunk'; created = $Head.created; model = $Head.model; system_fingerprint = $Head.system_fingerprint }
        $value.choices = @([ordered]@{ index = 0; delta = $Delta; logprobs = $null; finish_reason = $FinishReason })
        # as the service does when include_usage is on: every chunk but the last carries "usage": null
        if ($Usage) { $value.usage = $null }
        ConvertTo-Json -InputObject $value -Depth 64 -Compress
    }

    & $send (& $chunk ([ordered]@{ role = 'assistant'; content = ''; refusal = $null }) $null)
    foreach ($piece in [regex]::Matches($Reply, '\S+\s*|\s+')) {
        & $send (& $chunk ([ordered]@{ content = $piece.Value }) $null)
    }

    & $send (& $chunk ([ordered]@{}) 'stop')
    if ($Usage) {
        $last = [ordered]@{ id = $Head.id; object = 'chat.completion.chunk'; created = $Head.created; model = $Head.model; system_fingerprint = $Head.system_fingerprint }
        $last.choices = @()
        $last.usage = $Usage
        & $send (ConvertTo-Json -InputObject $last -Depth 64 -Compress)
    }

    & $send '[DONE]'
    $Response.Close()
}

# An embeddings list. The OpenAI .NET SDK asks for encoding_format "base64" (little-endian float32) by default.
function Write-LoopbackEmbeddings {
    param([System.Net.HttpListenerResponse] $Response, [System.Collections.IDictionary] $Body, [string] $Model)

    $inputs = @(if ($Body['input'] -is [string]) { $Body['input'] } else { foreach ($text in @($Body['input'])) { [string]$text } })
    if ($inputs.Count -eq 0) {
        Write-LoopbackError -Response $Response -StatusCode 400 -Message "'input' is a required property" -Type 'invalid_request_error'
        return
    }

    $dimensions = if ($null -ne $Body['dimensions']) { [int]$Body['dimensions'] } else { 8 }
    if ($dimensions -lt 1) {
        Write-LoopbackError -Response $Response -StatusCode 400 -Message "Invalid value for 'dimensions': $dimensions." -Type 'invalid_request_error'
        return
    }

    $base64 = $Body['encoding_format'] -eq 'base64'
    $tokens = 0
    $data = [System.Collections.Generic.List[object]]::new()
    for ($i = 0; $i -lt $inputs.Count; $i++) {
        $vector = Get-LoopbackEmbedding -Text $inputs[$i] -Dimensions $dimensions
        $tokens += Get-LoopbackWordCount $inputs[$i]
        $embedding = if ($base64) { ConvertTo-LoopbackBase64 -Vector $vector } else { , $vector }
        $data.Add([ordered]@{ object = 'embedding'; index = $i; embedding = $embedding })
    }

    Write-LoopbackJson -Response $Response -StatusCode 200 -Object ([ordered]@{
            object = 'list'
            data   = $data.ToArray()
            model  = $Model
            usage  = [ordered]@{ prompt_tokens = $tokens; total_tokens = $tokens }
        })
}

function ConvertTo-LoopbackBase64 {
    param([float[]] $Vector)

    $bytes = [byte[]]::new($Vector.Length * 4)
    for ($i = 0; $i -lt $Vector.Length; $i++) {
        $single = [System.BitConverter]::GetBytes($Vector[$i])
        if (-not [System.BitConverter]::IsLittleEndian) { [array]::Reverse($single) }
        [array]::Copy($single, 0, $bytes, $i * 4, 4)
    }

    [System.Convert]::ToBase64String($bytes)
}

#endregion

Export-ModuleMember -Function Enter-LlmTestEnvironment, Exit-LlmTestEnvironment, Start-LoopbackServer, Stop-LoopbackServer, Clear-LoopbackServer, Add-LoopbackFault, Get-LoopbackRequest, Get-LoopbackEmbedding
