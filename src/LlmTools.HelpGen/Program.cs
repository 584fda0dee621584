using LlmTools.HelpGen;

// usage: LlmTools.HelpGen <cmdlet assembly> <file listing its references, one path a line> <help dir> <output dir>
if (args.Length != 4)
{
    Console.Error.WriteLine("usage: LlmTools.HelpGen <cmdlet-assembly.dll> <references.txt> <help-directory> <output-directory>");
    return 2;
}

var (assembly, referencesFile, helpDirectory, outputDirectory) = (args[0], args[1], args[2], args[3]);
var references = File.ReadAllLines(referencesFile).Select(l => l.Trim()).Where(l => l.Length > 0);
var output = HelpGenerator.Generate(assembly, references, helpDirectory);
foreach (var error in output.Errors)
{
    Console.WriteLine(error);
}

if (output.Errors.Count > 0)
{
    return 1;
}

output.WriteTo(outputDirectory, Path.GetFileName(assembly) + "-Help.xml");
Console.WriteLine($"LlmTools.HelpGen: {Path.GetFileName(assembly)}-Help.xml and {output.AboutTopics.Count} about topic(s) -> {outputDirectory}");
return 0;
