using System.Text.Json;
using System.Text.Json.Serialization;

namespace Spark.Serverless;

/// <summary>The JSON settings of every document the platform stores or sends.</summary>
public static class SparkJson
{
    /// <summary>Messages, state, plans and manifests: camelCase, enums as strings, nulls left out.</summary>
    public static readonly JsonSerializerOptions Options = Create();

    /// <summary>User records that have no binary codec, and collected results: public fields included, tuples as arrays.</summary>
    public static readonly JsonSerializerOptions Records = CreateRecords();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            WriteIndented = false,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    private static JsonSerializerOptions CreateRecords()
    {
        // Relaxed escaping keeps non-ASCII text readable in collected results and JSON lines; they are never HTML.
        var options = new JsonSerializerOptions(JsonSerializerDefaults.General) { IncludeFields = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        options.Converters.Add(new Serialization.ValueTupleJsonConverterFactory());
        options.Converters.Add(new Serialization.OptionalJsonConverterFactory());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>Serializes with <see cref="Options"/>.</summary>
    public static BinaryData ToBinary<T>(T value) => new(JsonSerializer.SerializeToUtf8Bytes(value, Options));

    /// <summary>Deserializes with <see cref="Options"/>; a null document is an error.</summary>
    public static T FromBinary<T>(BinaryData data) =>
        JsonSerializer.Deserialize<T>(data.ToMemory().Span, Options) ?? throw new JsonException($"Expected a {typeof(T).Name}, found null.");
}
