using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Spark.Serverless.Serialization;

/// <summary>Writes value tuples as JSON arrays (<c>["word", 3]</c>), as a collected result reads best, and reads them back.</summary>
internal sealed class ValueTupleJsonConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsValueType && typeToConvert.IsGenericType && typeToConvert.FullName!.StartsWith("System.ValueTuple`", StringComparison.Ordinal);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert))!;

    private sealed class Converter<T> : JsonConverter<T> where T : struct, ITuple
    {
        private static readonly Type[] Fields = typeof(T).GetGenericArguments();

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException($"Expected a JSON array for {typeof(T).Name}.");
            var values = new object?[Fields.Length];
            for (int i = 0; i < Fields.Length; i++)
            {
                reader.Read();
                values[i] = JsonSerializer.Deserialize(ref reader, Fields[i], options);
            }
            reader.Read();
            if (reader.TokenType != JsonTokenType.EndArray) throw new JsonException($"Too many values for {typeof(T).Name}.");
            return (T)Activator.CreateInstance(typeof(T), values)!;
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
        {
            writer.WriteStartArray();
            for (int i = 0; i < value.Length; i++) JsonSerializer.Serialize(writer, value[i], Fields[i], options);
            writer.WriteEndArray();
        }
    }
}

/// <summary>Writes an <see cref="Optional{T}"/> as its value or null.</summary>
internal sealed class OptionalJsonConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(Optional<>);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]))!;

    private sealed class Converter<T> : JsonConverter<Optional<T>>
    {
        public override bool HandleNull => true;

        public override Optional<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? Optional<T>.None : new Optional<T>(JsonSerializer.Deserialize<T>(ref reader, options)!);

        public override void Write(Utf8JsonWriter writer, Optional<T> value, JsonSerializerOptions options)
        {
            if (value.HasValue) JsonSerializer.Serialize(writer, value.Value, options);
            else writer.WriteNullValue();
        }
    }
}
