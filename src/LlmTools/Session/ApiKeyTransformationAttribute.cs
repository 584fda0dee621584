using System.Management.Automation;
using System.Security;

namespace LlmTools.Session;

/// <summary>Lets -ApiKey take a SecureString (Read-Host -AsSecureString, SecretManagement) or a plain string.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ApiKeyTransformationAttribute : ArgumentTransformationAttribute
{
    /// <inheritdoc/>
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject pso ? pso.BaseObject : inputData;
        switch (value)
        {
            case null or SecureString:
                return value;
            case PSCredential credential:
                return credential.Password;
            case string text:
                var secure = new SecureString();
                foreach (var c in text)
                {
                    secure.AppendChar(c);
                }

                secure.MakeReadOnly();
                return secure;
            default:
                throw new ArgumentTransformationMetadataException("-ApiKey takes a string, a SecureString or a PSCredential.");
        }
    }
}
