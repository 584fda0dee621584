using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace LlmTools.Tests.Hosting;

/// <summary>
/// A host that answers prompts from a script, as a person at the console would: each PromptForChoice (the -Confirm
/// and ShouldContinue questions) takes the next answer by its label ("Yes", "No", "Yes to All") and is recorded;
/// the answer "crash" throws, as pwsh's console host does when its stdin is not a terminal.
/// </summary>
public sealed class ScriptedHost(params string[] answers) : PSHost
{
    private readonly ScriptedHostUI _ui = new(new Queue<string>(answers));

    /// <summary>The prompts asked so far: caption, then message.</summary>
    public IReadOnlyList<string> Prompts => _ui.Prompts;

    public override string Name => "ScriptedHost";

    public override Version Version => new(1, 0);

    public override Guid InstanceId { get; } = Guid.NewGuid();

    public override PSHostUserInterface UI => _ui;

    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;

    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;

    public override void SetShouldExit(int exitCode)
    {
    }

    public override void EnterNestedPrompt() => throw new NotSupportedException();

    public override void ExitNestedPrompt() => throw new NotSupportedException();

    public override void NotifyBeginApplication()
    {
    }

    public override void NotifyEndApplication()
    {
    }

    private sealed class ScriptedHostUI(Queue<string> answers) : PSHostUserInterface
    {
        public List<string> Prompts { get; } = [];

        public override PSHostRawUserInterface? RawUI => null;

        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
            Prompts.Add(caption + ": " + message);
            var answer = answers.Count > 0 ? answers.Dequeue() : throw new InvalidOperationException($"Unexpected prompt: {caption}: {message}");
            if (answer == "crash")
            {
                throw new NullReferenceException("as pwsh's console host does when its stdin is not a terminal");
            }

            var index = choices.ToList().FindIndex(c => c.Label.Replace("&", string.Empty).Equals(answer, StringComparison.OrdinalIgnoreCase));
            return index >= 0 ? index : throw new InvalidOperationException($"No choice '{answer}' in {string.Join(", ", choices.Select(c => c.Label))}");
        }

        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) => throw new NotSupportedException();

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw new NotSupportedException();

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw new NotSupportedException();

        public override string ReadLine() => throw new NotSupportedException();

        public override SecureString ReadLineAsSecureString() => throw new NotSupportedException();

        public override void Write(string value)
        {
        }

        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value)
        {
        }

        public override void WriteLine(string value)
        {
        }

        public override void WriteDebugLine(string message)
        {
        }

        public override void WriteErrorLine(string value)
        {
        }

        public override void WriteProgress(long sourceId, ProgressRecord record)
        {
        }

        public override void WriteVerboseLine(string message)
        {
        }

        public override void WriteWarningLine(string message)
        {
        }
    }
}
