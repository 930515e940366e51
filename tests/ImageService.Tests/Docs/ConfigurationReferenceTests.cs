using System.Collections;
using System.Reflection;
using System.Runtime.CompilerServices;
using ImageService.Api.Data;

namespace ImageService.Tests.Docs;

// docs/configuration.md is the one reference of the service's settings. Every options class of the
// service (a class named …Options with a Section constant) binds its public settable properties,
// so each of them is a key an operator can set, and each must have its row there, spelled as the
// configuration binder reads it.
public sealed class ConfigurationReferenceTests
{
    // Properties that have a setter but are filled from another key than their own.
    private static readonly Dictionary<string, string> BoundElsewhere = new()
    {
        [$"{DatabaseOptions.Section}:{nameof(DatabaseOptions.PostgresConnectionString)}"] = $"ConnectionStrings:{DatabaseOptions.ConnectionStringName}",
    };

    public static TheoryData<string> Keys() => [.. OptionKeys().Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Keys))]
    public void ConfigurationReference_EveryOptionsProperty_HasItsRow(string key)
    {
        var reference = File.ReadAllText(ReferencePath());

        Assert.True(reference.Contains($"| `{key}` |", StringComparison.Ordinal),
            $"docs/configuration.md has no row for `{key}`: add one (key, default, environment variable, meaning).");
        Assert.True(reference.Contains($"`{EnvironmentSpelling(key)}`", StringComparison.Ordinal),
            $"docs/configuration.md does not give the environment spelling of `{key}`: `{EnvironmentSpelling(key)}`.");
    }

    [Fact]
    public void ConfigurationReference_FindsTheServicesOptions()
    {
        var keys = OptionKeys().ToList();

        Assert.Contains("Import:AllowedSources:N", keys);
        Assert.Contains("Storage:S3:Bucket", keys);
        Assert.Contains("Versioning:Versions:N:NotBefore", keys);
        Assert.Contains("ConnectionStrings:Images", keys);
    }

    private static IEnumerable<string> OptionKeys()
    {
        var optionTypes = typeof(DatabaseOptions).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && t.Name.EndsWith("Options", StringComparison.Ordinal))
            .Select(t => (Type: t, Section: t.GetField("Section", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string))
            .Where(t => t.Section is not null);
        foreach (var (type, section) in optionTypes)
        {
            foreach (var key in KeysOf(type, section!))
            {
                yield return BoundElsewhere.GetValueOrDefault(key, key);
            }
        }
    }

    // Keys as the binder reads them: a nested options object adds its property name, a list adds
    // an index (N), and a dictionary adds its key (named in angle brackets, as the docs write it).
    private static IEnumerable<string> KeysOf(Type type, string prefix)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true }))
        {
            foreach (var key in KeysOfValue(property.PropertyType, $"{prefix}:{property.Name}"))
            {
                yield return key;
            }
        }
    }

    private static IEnumerable<string> KeysOfValue(Type type, string key)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying.IsPrimitive || underlying.IsEnum || underlying == typeof(string) || underlying == typeof(decimal) ||
            underlying == typeof(TimeSpan) || underlying == typeof(DateOnly) || underlying == typeof(DateTimeOffset) || underlying == typeof(Uri))
        {
            return [key];
        }

        if (underlying.IsGenericType && underlying.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            return KeysOfValue(underlying.GetGenericArguments()[1], $"{key}:<{DictionaryKeyName(key)}>");
        }

        if (typeof(IEnumerable).IsAssignableFrom(underlying) && underlying.IsGenericType)
        {
            return KeysOfValue(underlying.GetGenericArguments()[0], $"{key}:N");
        }

        return KeysOf(underlying, key);
    }

    // Versioning:Operations is keyed by operationId; a new dictionary gets the generic name.
    private static string DictionaryKeyName(string key) => key == "Versioning:Operations" ? "operationId" : "name";

    private static string EnvironmentSpelling(string key) => key.Replace(":", "__", StringComparison.Ordinal);

    private static string ReferencePath([CallerFilePath] string sourcePath = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(sourcePath)!, "..", "..", "..", "docs", "configuration.md"));
}
