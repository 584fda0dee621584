namespace LlmTools.HelpGen;

/// <summary>The generated help, or the errors that stop it.</summary>
public sealed record HelpOutput(IReadOnlyList<HelpError> Errors, string? Maml, IReadOnlyDictionary<string, string> AboutTopics)
{
    /// <summary>Writes &lt;assembly&gt;-Help.xml and the about_*.help.txt files into a culture folder (en-US).</summary>
    public void WriteTo(string directory, string mamlFileName)
    {
        if (Errors.Count > 0 || Maml is null)
        {
            throw new InvalidOperationException("The help has errors; nothing to write.");
        }

        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, mamlFileName), Maml);
        foreach (var (name, text) in AboutTopics)
        {
            File.WriteAllText(Path.Combine(directory, name + ".help.txt"), text);
        }
    }
}

/// <summary>
/// Builds the module's help from help/*.md and the built cmdlet assembly, and checks they agree: every cmdlet has
/// a file, every file a cmdlet, and each file documents exactly the cmdlet's parameters.
/// </summary>
public static class HelpGenerator
{
    public static HelpOutput Generate(string cmdletAssembly, IEnumerable<string> references, string helpDirectory)
    {
        var errors = new List<HelpError>();
        var cmdlets = CmdletReader.Read(cmdletAssembly, references);
        var docs = new Dictionary<string, CommandHelp>(StringComparer.OrdinalIgnoreCase);
        var about = new SortedDictionary<string, string>(StringComparer.Ordinal);

        foreach (var file in Directory.GetFiles(helpDirectory, "*.md").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            if (name.StartsWith("about_", StringComparison.OrdinalIgnoreCase))
            {
                about[name] = AboutTopic.Convert(file, File.ReadAllLines(file), errors);
            }
            else if (!name.Equals("README", StringComparison.OrdinalIgnoreCase))
            {
                var help = CommandHelp.Read(file, errors);
                if (!help.Name.Equals(name, StringComparison.Ordinal))
                {
                    errors.Add(new HelpError(file, 1, $"the title '# {help.Name}' should be the file's name, '# {name}'"));
                }

                docs[name] = help;
            }
        }

        var pairs = new List<(CmdletMetadata, CommandHelp)>();
        foreach (var cmdlet in cmdlets)
        {
            if (!docs.Remove(cmdlet.Name, out var help))
            {
                errors.Add(new HelpError(Path.Combine(helpDirectory, cmdlet.Name + ".md"), 0, $"cmdlet {cmdlet.Name} ({cmdlet.TypeName}) has no help file; add it"));
                continue;
            }

            Check(cmdlet, help, errors);
            pairs.Add((cmdlet, help));
        }

        foreach (var orphan in docs.Values)
        {
            errors.Add(new HelpError(orphan.File, 1, $"no cmdlet {Path.GetFileNameWithoutExtension(orphan.File)} in {Path.GetFileName(cmdletAssembly)}; rename or remove this file"));
        }

        return errors.Count > 0
            ? new HelpOutput(errors, null, about)
            : new HelpOutput(errors, MamlWriter.Write(pairs), about);
    }

    /// <summary>The help must describe exactly the parameters a user can pass, and say where it lives online.</summary>
    private static void Check(CmdletMetadata cmdlet, CommandHelp help, List<HelpError> errors)
    {
        foreach (var parameter in help.Parameters)
        {
            var actual = cmdlet.Parameters.FirstOrDefault(p => p.Name.Equals(parameter.Name, StringComparison.OrdinalIgnoreCase));
            if (actual is null)
            {
                errors.Add(new HelpError(help.File, parameter.Line, $"-{parameter.Name} is not a parameter of {cmdlet.Name}; remove it or fix its name"));
            }
            else if (actual.Name != parameter.Name)
            {
                errors.Add(new HelpError(help.File, parameter.Line, $"-{parameter.Name} is spelt -{actual.Name} in {cmdlet.Name}"));
            }
        }

        foreach (var parameter in cmdlet.Parameters)
        {
            if (!help.Parameters.Any(p => p.Name.Equals(parameter.Name, StringComparison.OrdinalIgnoreCase)))
            {
                errors.Add(new HelpError(help.File, 0, $"parameter -{parameter.Name} of {cmdlet.Name} is not documented; add '### -{parameter.Name}' under '## PARAMETERS'"));
            }
        }

        var expectedEnd = "/" + Path.GetFileName(help.File);
        if (cmdlet.HelpUri is null || !cmdlet.HelpUri.EndsWith(expectedEnd, StringComparison.Ordinal))
        {
            errors.Add(new HelpError(help.File, 0, $"{cmdlet.TypeName}: its [Cmdlet] attribute needs HelpUri = \"...{expectedEnd}\", the online copy of this file ({(cmdlet.HelpUri is null ? "it has none" : $"not '{cmdlet.HelpUri}'")})"));
        }
    }
}
