# README command 1: what a newcomer runs first. An offline token count of the README, then, when a key or a
# compatible server is configured, one question to the model. A file rather than an inline script, so the same
# command works in bash, pwsh and cmd, whose quoting rules for $ differ.
Measure-LlmTokens -Path ./README.md -Model gpt-4o

# why Get-LlmConfig: an endpoint or key may come from any layer (environment, config.ini, a vault secret)
$endpoint = Get-LlmConfig ENDPOINT
$key = (Get-LlmConfig API_KEY).Value
if ($endpoint.Source -ne 'default' -or $key -ne 'none') {
    "Asking $((Get-LlmConfig MODEL).Value) at $($endpoint.Value) (key: $key) ..."
    'What is the capital of France? One word.' | Send-LlmMessage
}
else {
    'No model is configured, so no question was sent. To ask one, set a key or a local server, then run this again:'
    '  bash: export OPENAI_API_KEY=sk-...        or  export OPENAI_BASE_URL=http://localhost:11434/v1'
    "  pwsh: `$env:OPENAI_API_KEY = 'sk-...'     or  `$env:OPENAI_BASE_URL = 'http://localhost:11434/v1'"
}
