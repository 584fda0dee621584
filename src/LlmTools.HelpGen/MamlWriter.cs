using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace LlmTools.HelpGen;

/// <summary>
/// Writes the MAML file Get-Help reads for a binary module (en-US/&lt;Assembly&gt;.dll-Help.xml): the words from the
/// markdown, the syntax and parameter facts from the cmdlet.
/// </summary>
public static class MamlWriter
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    public static string Write(IEnumerable<(CmdletMetadata Cmdlet, CommandHelp Help)> commands)
    {
        var document = new XDocument(
            new XDeclaration("1.0", "utf-8", null),
            new XElement(Msh + "helpItems", new XAttribute("schema", "maml"), commands.Select(c => CommandElement(c.Cmdlet, c.Help))));

        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), NewLineChars = "\n" };
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, settings))
        {
            document.Save(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static XElement CommandElement(CmdletMetadata cmdlet, CommandHelp help)
    {
        var described = help.Parameters.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        var byName = cmdlet.Parameters.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        return new XElement(
            Command + "command",
            new XAttribute(XNamespace.Xmlns + "maml", Maml),
            new XAttribute(XNamespace.Xmlns + "command", Command),
            new XAttribute(XNamespace.Xmlns + "dev", Dev),
            new XElement(
                Command + "details",
                new XElement(Command + "name", cmdlet.Name),
                new XElement(Command + "verb", cmdlet.Verb),
                new XElement(Command + "noun", cmdlet.Noun),
                Description([help.Synopsis])),
            Description(help.Description),
            new XElement(
                Command + "syntax",
                cmdlet.ParameterSets.Select(set => new XElement(
                    Command + "syntaxItem",
                    new XElement(Maml + "name", cmdlet.Name),
                    SyntaxOrder(cmdlet, set).Select(p => ParameterElement(p, described[p.Name], [p.In(set)!], inSyntax: true))))),
            new XElement(
                Command + "parameters",
                help.Parameters.Select(h => ParameterElement(byName[h.Name], h, byName[h.Name].Bindings, inSyntax: false))),
            new XElement(Command + "inputTypes", help.Inputs.Select(t => TypeElement("inputType", t))),
            new XElement(Command + "returnValues", help.Outputs.Select(t => TypeElement("returnValue", t))),
            new XElement(Maml + "alertSet", help.Notes.Count == 0 ? null : new XElement(Maml + "alert", Paragraphs(help.Notes))),
            new XElement(Command + "examples", help.Examples.Select(ExampleElement)),
            new XElement(
                Command + "relatedLinks",
                cmdlet.HelpUri is null ? null : Link("Online Version:", cmdlet.HelpUri),
                help.Links.Select(l => Link(l.Text, l.Uri))));
    }

    /// <summary>Positional parameters by position, then the mandatory ones, then the rest as declared.</summary>
    private static IEnumerable<CmdletParameter> SyntaxOrder(CmdletMetadata cmdlet, string set) => cmdlet.Parameters
        .Where(p => p.In(set) is not null)
        .Select((p, index) => (Parameter: p, Binding: p.In(set)!, Index: index))
        .OrderBy(x => x.Binding.Position ?? int.MaxValue)
        .ThenBy(x => x.Binding.Mandatory ? 0 : 1)
        .ThenBy(x => x.Index)
        .Select(x => x.Parameter);

    /// <summary>
    /// One parameter; in a syntax item for its binding in that set, in the parameters list for all its sets together
    /// (required in any set, the first position, pipeline input of any set).
    /// </summary>
    private static XElement ParameterElement(CmdletParameter parameter, HelpParameter help, IReadOnlyList<ParameterBinding> bindings, bool inSyntax)
    {
        var byValue = bindings.Any(b => b.ByValue);
        var byPropertyName = bindings.Any(b => b.ByPropertyName);
        var pipeline = (byValue, byPropertyName) switch
        {
            (true, true) => "True (ByPropertyName, ByValue)",
            (true, false) => "True (ByValue)",
            (false, true) => "True (ByPropertyName)",
            _ => "False",
        };
        var position = bindings.Select(b => b.Position).FirstOrDefault(p => p is not null);

        return new XElement(
            Command + "parameter",
            new XAttribute("required", bindings.Any(b => b.Mandatory) ? "true" : "false"),
            new XAttribute("variableLength", "true"),
            new XAttribute("globbing", parameter.Globbing ? "true" : "false"),
            new XAttribute("pipelineInput", pipeline),
            new XAttribute("position", position?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "named"),
            new XAttribute("aliases", parameter.Aliases.Count == 0 ? "none" : string.Join(", ", parameter.Aliases)),
            new XElement(Maml + "name", parameter.Name),
            Description(help.Description),
            parameter.ValidValues.Count == 0
                ? null
                : new XElement(
                    Command + "parameterValueGroup",
                    parameter.ValidValues.Select(v => new XElement(
                        Command + "parameterValue",
                        new XAttribute("required", "false"),
                        new XAttribute(Command + "variableLength", "false"),
                        v))),
            // why: a switch takes no value; the syntax shows just [-Name], the parameter list [-Name <SwitchParameter>]
            parameter.IsSwitch && inSyntax
                ? null
                : new XElement(
                    Command + "parameterValue",
                    new XAttribute("required", parameter.IsSwitch ? "false" : "true"),
                    new XAttribute("variableLength", parameter.IsArray ? "true" : "false"),
                    parameter.TypeName),
            new XElement(Dev + "type", new XElement(Maml + "name", parameter.TypeName), new XElement(Maml + "uri")),
            new XElement(Dev + "defaultValue", help.DefaultValue ?? (parameter.IsSwitch ? "False" : "None")));
    }

    private static XElement TypeElement(string name, HelpType type) => new(
        Command + name,
        new XElement(Dev + "type", new XElement(Maml + "name", type.TypeName)),
        Description(type.Description));

    private static XElement ExampleElement(HelpExample example) => new(
        Command + "example",
        new XElement(Maml + "title", $"-------------------------- {example.Title} --------------------------"),
        new XElement(Dev + "code", example.Code),
        new XElement(Dev + "remarks", Paragraphs(example.Remarks)));

    private static XElement Link(string text, string uri) =>
        new(Maml + "navigationLink", new XElement(Maml + "linkText", text), new XElement(Maml + "uri", uri));

    private static XElement Description(IEnumerable<string> paragraphs) => new(Maml + "description", Paragraphs(paragraphs));

    private static IEnumerable<XElement> Paragraphs(IEnumerable<string> paragraphs) => paragraphs.Select(p => new XElement(Maml + "para", p));
}
