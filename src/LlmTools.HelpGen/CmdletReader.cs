using System.Collections.ObjectModel;
using System.Reflection;

namespace LlmTools.HelpGen;

/// <summary>How a parameter takes part in one parameter set, from one [Parameter] attribute.</summary>
public sealed record ParameterBinding(string SetName, bool Mandatory, int? Position, bool ByValue, bool ByPropertyName);

/// <summary>A parameter as PowerShell sees it: the facts Get-Help shows besides the description.</summary>
public sealed record CmdletParameter(
    string Name,
    string TypeName,
    bool IsSwitch,
    bool IsArray,
    IReadOnlyList<string> Aliases,
    IReadOnlyList<string> ValidValues,
    bool Globbing,
    IReadOnlyList<ParameterBinding> Bindings)
{
    public const string AllSets = "__AllParameterSets";

    /// <summary>Its binding in a set, or null when the parameter is not in that set.</summary>
    public ParameterBinding? In(string set) =>
        Bindings.FirstOrDefault(b => b.SetName == set) ?? Bindings.FirstOrDefault(b => b.SetName == AllSets);
}

/// <summary>A cmdlet of the built assembly: its name, HelpUri, parameter sets and visible parameters.</summary>
public sealed record CmdletMetadata(string Name, string Verb, string Noun, string TypeName, string? HelpUri, IReadOnlyList<string> ParameterSets, IReadOnlyList<CmdletParameter> Parameters);

/// <summary>
/// Reads the cmdlets of the built module assembly through a MetadataLoadContext: attributes as data, nothing
/// loaded into this process or run, so the assembly needs neither PowerShell nor its dependencies to be loadable.
/// </summary>
public static class CmdletReader
{
    private const string Sma = "System.Management.Automation.";

    /// <param name="assemblyPath">The cmdlet assembly (LlmTools.dll).</param>
    /// <param name="references">Paths of the assemblies it references: the framework, System.Management.Automation, ...</param>
    public static IReadOnlyList<CmdletMetadata> Read(string assemblyPath, IEnumerable<string> references)
    {
        var paths = references.Where(File.Exists).Append(assemblyPath).Distinct(StringComparer.Ordinal);
        using var context = new MetadataLoadContext(new PathAssemblyResolver(paths));
        var assembly = context.LoadFromAssemblyPath(assemblyPath);
        var cmdlets = new List<CmdletMetadata>();
        foreach (var type in assembly.GetExportedTypes().Where(t => t.IsClass && !t.IsAbstract))
        {
            if (Attribute(type.GetCustomAttributesData(), "CmdletAttribute") is { } cmdlet)
            {
                cmdlets.Add(Cmdlet(type, cmdlet));
            }
        }

        return cmdlets.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ToList();
    }

    private static CmdletMetadata Cmdlet(Type type, CustomAttributeData attribute)
    {
        var verb = (string)attribute.ConstructorArguments[0].Value!;
        var noun = (string)attribute.ConstructorArguments[1].Value!;
        var defaultSet = Named<string>(attribute, "DefaultParameterSetName");

        var parameters = new List<CmdletParameter>();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            // why: a property hidden with 'new' in a derived class shows up twice; the derived one (first) counts
            if (parameters.Any(p => p.Name == property.Name) || Parameter(property) is not { } parameter)
            {
                continue;
            }

            parameters.Add(parameter);
        }

        if (Named<bool>(attribute, "SupportsShouldProcess"))
        {
            parameters.Add(Switch("WhatIf", "wi"));
            parameters.Add(Switch("Confirm", "cf"));
        }

        // why: the default set first, then the others as their parameters declare them, as Get-Command lists them
        var sets = parameters.SelectMany(p => p.Bindings).Select(b => b.SetName).Where(s => s != CmdletParameter.AllSets).Distinct().ToList();
        if (defaultSet is not null && sets.Remove(defaultSet))
        {
            sets.Insert(0, defaultSet);
        }

        return new CmdletMetadata($"{verb}-{noun}", verb, noun, type.FullName!, Named<string>(attribute, "HelpUri"), sets.Count == 0 ? [CmdletParameter.AllSets] : sets, parameters);
    }

    private static CmdletParameter? Parameter(PropertyInfo property)
    {
        var attributes = property.GetCustomAttributesData();
        var parameterAttributes = attributes.Where(a => a.AttributeType.FullName == Sma + "ParameterAttribute").ToList();

        // why: a parameter hidden in every set (DontShow) is not for users and has no help
        if (parameterAttributes.Count == 0 || parameterAttributes.All(a => Named<bool>(a, "DontShow")))
        {
            return null;
        }

        var bindings = parameterAttributes.Select(a => new ParameterBinding(
            Named<string>(a, "ParameterSetName") ?? CmdletParameter.AllSets,
            Named<bool>(a, "Mandatory"),
            Named<int?>(a, "Position") is { } position && position != int.MinValue ? position : null,
            Named<bool>(a, "ValueFromPipeline"),
            Named<bool>(a, "ValueFromPipelineByPropertyName"))).ToList();

        var type = Nullable(property.PropertyType);
        var validValues = Strings(Attribute(attributes, "ValidateSetAttribute"));
        if (validValues.Count == 0 && type.IsEnum)
        {
            validValues = type.GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => f.Name).ToList();
        }

        return new CmdletParameter(
            property.Name,
            TypeName(type),
            type.FullName == Sma + "SwitchParameter",
            type.IsArray,
            Strings(Attribute(attributes, "AliasAttribute")),
            validValues,
            Attribute(attributes, "SupportsWildcardsAttribute") is not null,
            bindings);
    }

    private static CmdletParameter Switch(string name, string alias) =>
        new(name, "SwitchParameter", IsSwitch: true, IsArray: false, [alias], [], Globbing: false, [new ParameterBinding(CmdletParameter.AllSets, false, null, false, false)]);

    private static CustomAttributeData? Attribute(IEnumerable<CustomAttributeData> attributes, string name) =>
        attributes.FirstOrDefault(a => a.AttributeType.FullName == Sma + name);

    private static T? Named<T>(CustomAttributeData attribute, string name) =>
        attribute.NamedArguments.Where(a => a.MemberName == name).Select(a => (T?)a.TypedValue.Value).FirstOrDefault();

    /// <summary>The strings of a params string[] constructor argument, as in [Alias('a', 'b')] or [ValidateSet(...)].</summary>
    private static List<string> Strings(CustomAttributeData? attribute) =>
        attribute?.ConstructorArguments.FirstOrDefault().Value is ReadOnlyCollection<CustomAttributeTypedArgument> values
            ? values.Select(v => (string)v.Value!).ToList()
            : [];

    private static Type Nullable(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition().FullName == "System.Nullable`1" ? type.GetGenericArguments()[0] : type;

    /// <summary>The short name Get-Help shows: String, Int32, String[], LlmResponse.</summary>
    private static string TypeName(Type type)
    {
        if (type.IsArray)
        {
            return TypeName(type.GetElementType()!) + "[]";
        }

        if (!type.IsGenericType)
        {
            return type.Name;
        }

        var name = type.Name[..type.Name.IndexOf('`')];
        return $"{name}[{string.Join(", ", type.GetGenericArguments().Select(TypeName))}]";
    }
}
