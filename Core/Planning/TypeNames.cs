using System.Text;

namespace Spark.Serverless.Planning;

/// <summary>Types as C# source text, so a spec that reads a persisted dataset can name its record type.</summary>
internal static class TypeNames
{
    private static readonly Dictionary<Type, string> Keywords = new()
    {
        [typeof(string)] = "string", [typeof(long)] = "long", [typeof(int)] = "int", [typeof(short)] = "short",
        [typeof(byte)] = "byte", [typeof(sbyte)] = "sbyte", [typeof(ulong)] = "ulong", [typeof(uint)] = "uint",
        [typeof(ushort)] = "ushort", [typeof(char)] = "char", [typeof(bool)] = "bool", [typeof(double)] = "double",
        [typeof(float)] = "float", [typeof(decimal)] = "decimal", [typeof(object)] = "object",
    };

    /// <summary>The type as it is written in C#: <c>(string, long)</c>, <c>string[]</c>, <c>global::System.Text.Json.JsonElement</c>.</summary>
    public static string CSharp(Type type)
    {
        if (Keywords.TryGetValue(type, out var keyword)) return keyword;
        if (type.IsArray) return CSharp(type.GetElementType()!) + "[" + new string(',', type.GetArrayRank() - 1) + "]";
        if (Nullable.GetUnderlyingType(type) is { } underlying) return CSharp(underlying) + "?";
        if (type.IsGenericType && type.FullName?.StartsWith("System.ValueTuple`", StringComparison.Ordinal) == true && type.GetGenericArguments().Length <= 7)
            return "(" + string.Join(", ", type.GetGenericArguments().Select(CSharp)) + ")";
        var name = new StringBuilder("global::");
        if (type.IsNested) name.Append(CSharp(type.DeclaringType!)[8..]).Append('.');
        else if (!string.IsNullOrEmpty(type.Namespace)) name.Append(type.Namespace).Append('.');
        string simple = type.Name;
        int tick = simple.IndexOf('`', StringComparison.Ordinal);
        name.Append(tick < 0 ? simple : simple[..tick]);
        if (type.IsGenericType)
        {
            var args = type.GetGenericArguments();
            if (type.IsNested && type.DeclaringType!.IsGenericType) args = args[type.DeclaringType.GetGenericArguments().Length..];
            if (args.Length > 0) name.Append('<').AppendJoin(", ", args.Select(CSharp)).Append('>');
        }
        return name.ToString();
    }
}
