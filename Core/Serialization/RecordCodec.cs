namespace Spark.Serverless.Serialization;

/// <summary>
/// Writes and reads records of one type across a shuffle. <see cref="RecordCodec.For{T}"/> picks the codec
/// from the type: the binary codec for primitives, strings, value tuples, arrays and nullables, and
/// System.Text.Json for anything else.
/// </summary>
/// <typeparam name="T">The record type.</typeparam>
public abstract class RecordCodec<T>
{
    /// <summary>Writes one value.</summary>
    public abstract void Write(RecordWriter writer, T value);

    /// <summary>Reads one value.</summary>
    public abstract T Read(RecordReader reader);

    /// <summary>
    /// Writes the bytes a key hashes by. Values that are equal must write the same bytes, so a codec whose
    /// format tells equal values apart (0.0 and -0.0) normalizes here.
    /// </summary>
    public virtual void WriteForHash(RecordWriter writer, T value) => Write(writer, value);
}

/// <summary>Finds the codec for a type; codecs are made once per type and shared.</summary>
public static class RecordCodec
{
    /// <summary>The codec for <typeparamref name="T"/>.</summary>
    public static RecordCodec<T> For<T>() => Cache<T>.Instance;

    private static class Cache<T>
    {
        public static readonly RecordCodec<T> Instance = (RecordCodec<T>)Create(typeof(T));
    }

    private static object Create(Type type)
    {
        if (PrimitiveCodecs.TryGet(type, out var primitive)) return primitive;
        if (type == typeof(CsvRow)) return new CsvRowCodec();
        if (type.IsArray && type.GetArrayRank() == 1 && type != typeof(byte[]))
            return Make(typeof(ArrayCodec<>), type.GetElementType()!);
        if (Nullable.GetUnderlyingType(type) is { } underlying)
            return Make(typeof(NullableCodec<>), underlying);
        if (type.IsGenericType)
        {
            var definition = type.GetGenericTypeDefinition();
            if (definition == typeof(List<>)) return Make(typeof(ListCodec<>), type.GetGenericArguments()[0]);
            if (definition == typeof(IReadOnlyList<>)) return Make(typeof(ReadOnlyListCodec<>), type.GetGenericArguments()[0]);
            if (definition == typeof(Optional<>)) return Make(typeof(OptionalCodec<>), type.GetGenericArguments()[0]);
        }
        if (type.IsGenericType && type.FullName!.StartsWith("System.ValueTuple`", StringComparison.Ordinal))
        {
            var args = type.GetGenericArguments();
            Type? open = args.Length switch
            {
                1 => typeof(TupleCodec<>),
                2 => typeof(TupleCodec<,>),
                3 => typeof(TupleCodec<,,>),
                4 => typeof(TupleCodec<,,,>),
                5 => typeof(TupleCodec<,,,,>),
                6 => typeof(TupleCodec<,,,,,>),
                7 => typeof(TupleCodec<,,,,,,>),
                _ => null,
            };
            if (open is not null) return Make(open, args);
        }
        return Make(typeof(JsonCodec<>), type);
    }

    private static object Make(Type open, params Type[] args) =>
        Activator.CreateInstance(open.MakeGenericType(args))!;
}
