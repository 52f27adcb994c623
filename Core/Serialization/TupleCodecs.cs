// Written by a one-off generator for arities 1 to 7 and kept by hand since; larger tuples fall back to JSON.
namespace Spark.Serverless.Serialization;

/// <summary>Value tuples of 1 field: the fields in order.</summary>
internal sealed class TupleCodec<T1> : RecordCodec<ValueTuple<T1>>
{
    private readonly RecordCodec<T1> _c1 = RecordCodec.For<T1>();

    public override void Write(RecordWriter writer, ValueTuple<T1> value)
    {
        _c1.Write(writer, value.Item1);
    }

    public override void WriteForHash(RecordWriter writer, ValueTuple<T1> value)
    {
        _c1.WriteForHash(writer, value.Item1);
    }

    public override ValueTuple<T1> Read(RecordReader reader) => new(_c1.Read(reader));
}

/// <summary>Value tuples of 2 fields: the fields in order.</summary>
internal sealed class TupleCodec<T1, T2> : RecordCodec<ValueTuple<T1, T2>>
{
    private readonly RecordCodec<T1> _c1 = RecordCodec.For<T1>();
    private readonly RecordCodec<T2> _c2 = RecordCodec.For<T2>();

    public override void Write(RecordWriter writer, ValueTuple<T1, T2> value)
    {
        _c1.Write(writer, value.Item1);
        _c2.Write(writer, value.Item2);
    }

    public override void WriteForHash(RecordWriter writer, ValueTuple<T1, T2> value)
    {
        _c1.WriteForHash(writer, value.Item1);
        _c2.WriteForHash(writer, value.Item2);
    }

    public override ValueTuple<T1, T2> Read(RecordReader reader) => (_c1.Read(reader), _c2.Read(reader));
}

/// <summary>Value tuples of 3 fields: the fields in order.</summary>
internal sealed class TupleCodec<T1, T2, T3> : RecordCodec<ValueTuple<T1, T2, T3>>
{
    private readonly RecordCodec<T1> _c1 = RecordCodec.For<T1>();
    private readonly RecordCodec<T2> _c2 = RecordCodec.For<T2>();
    private readonly RecordCodec<T3> _c3 = RecordCodec.For<T3>();

    public override void Write(RecordWriter writer, ValueTuple<T1, T2, T3> value)
    {
        _c1.Write(writer, value.Item1);
        _c2.Write(writer, value.Item2);
        _c3.Write(writer, value.Item3);
    }

    public override void WriteForHash(RecordWriter writer, ValueTuple<T1, T2, T3> value)
    {
        _c1.WriteForHash(writer, value.Item1);
        _c2.WriteForHash(writer, value.Item2);
        _c3.WriteForHash(writer, value.Item3);
    }

    public override ValueTuple<T1, T2, T3> Read(RecordReader reader) => (_c1.Read(reader), _c2.Read(reader), _c3.Read(reader));
}

/// <summary>Value tuples of 4 fields: the fields in order.</summary>
internal sealed class TupleCodec<T1, T2, T3, T4> : RecordCodec<ValueTuple<T1, T2, T3, T4>>
{
    private readonly RecordCodec<T1> _c1 = RecordCodec.For<T1>();
    private readonly RecordCodec<T2> _c2 = RecordCodec.For<T2>();
    private readonly RecordCodec<T3> _c3 = RecordCodec.For<T3>();
    private readonly RecordCodec<T4> _c4 = RecordCodec.For<T4>();

    public override void Write(RecordWriter writer, ValueTuple<T1, T2, T3, T4> value)
    {
        _c1.Write(writer, value.Item1);
        _c2.Write(writer, value.Item2);
        _c3.Write(writer, value.Item3);
        _c4.Write(writer, value.Item4);
    }

    public override void WriteForHash(RecordWriter writer, ValueTuple<T1, T2, T3, T4> value)
    {
        _c1.WriteForHash(writer, value.Item1);
        _c2.WriteForHash(writer, value.Item2);
        _c3.WriteForHash(writer, value.Item3);
        _c4.WriteForHash(writer, value.Item4);
    }

    public override ValueTuple<T1, T2, T3, T4> Read(RecordReader reader) => (_c1.Read(reader), _c2.Read(reader), _c3.Read(reader), _c4.Read(reader));
}

/// <summary>Value tuples of 5 fields: the fields in order.</summary>
internal sealed class TupleCodec<T1, T2, T3, T4, T5> : RecordCodec<ValueTuple<T1, T2, T3, T4, T5>>
{
    private readonly RecordCodec<T1> _c1 = RecordCodec.For<T1>();
    private readonly RecordCodec<T2> _c2 = RecordCodec.For<T2>();
    private readonly RecordCodec<T3> _c3 = RecordCodec.For<T3>();
    private readonly RecordCodec<T4> _c4 = RecordCodec.For<T4>();
    private readonly RecordCodec<T5> _c5 = RecordCodec.For<T5>();

    public override void Write(RecordWriter writer, ValueTuple<T1, T2, T3, T4, T5> value)
    {
        _c1.Write(writer, value.Item1);
        _c2.Write(writer, value.Item2);
        _c3.Write(writer, value.Item3);
        _c4.Write(writer, value.Item4);
        _c5.Write(writer, value.Item5);
    }

    public override void WriteForHash(RecordWriter writer, ValueTuple<T1, T2, T3, T4, T5> value)
    {
        _c1.WriteForHash(writer, value.Item1);
        _c2.WriteForHash(writer, value.Item2);
        _c3.WriteForHash(writer, value.Item3);
        _c4.WriteForHash(writer, value.Item4);
        _c5.WriteForHash(writer, value.Item5);
    }

    public override ValueTuple<T1, T2, T3, T4, T5> Read(RecordReader reader) => (_c1.Read(reader), _c2.Read(reader), _c3.Read(reader), _c4.Read(reader), _c5.Read(reader));
}

/// <summary>Value tuples of 6 fields: the fields in order.</summary>
internal sealed class TupleCodec<T1, T2, T3, T4, T5, T6> : RecordCodec<ValueTuple<T1, T2, T3, T4, T5, T6>>
{
    private readonly RecordCodec<T1> _c1 = RecordCodec.For<T1>();
    private readonly RecordCodec<T2> _c2 = RecordCodec.For<T2>();
    private readonly RecordCodec<T3> _c3 = RecordCodec.For<T3>();
    private readonly RecordCodec<T4> _c4 = RecordCodec.For<T4>();
    private readonly RecordCodec<T5> _c5 = RecordCodec.For<T5>();
    private readonly RecordCodec<T6> _c6 = RecordCodec.For<T6>();

    public override void Write(RecordWriter writer, ValueTuple<T1, T2, T3, T4, T5, T6> value)
    {
        _c1.Write(writer, value.Item1);
        _c2.Write(writer, value.Item2);
        _c3.Write(writer, value.Item3);
        _c4.Write(writer, value.Item4);
        _c5.Write(writer, value.Item5);
        _c6.Write(writer, value.Item6);
    }

    public override void WriteForHash(RecordWriter writer, ValueTuple<T1, T2, T3, T4, T5, T6> value)
    {
        _c1.WriteForHash(writer, value.Item1);
        _c2.WriteForHash(writer, value.Item2);
        _c3.WriteForHash(writer, value.Item3);
        _c4.WriteForHash(writer, value.Item4);
        _c5.WriteForHash(writer, value.Item5);
        _c6.WriteForHash(writer, value.Item6);
    }

    public override ValueTuple<T1, T2, T3, T4, T5, T6> Read(RecordReader reader) => (_c1.Read(reader), _c2.Read(reader), _c3.Read(reader), _c4.Read(reader), _c5.Read(reader), _c6.Read(reader));
}

/// <summary>Value tuples of 7 fields: the fields in order.</summary>
internal sealed class TupleCodec<T1, T2, T3, T4, T5, T6, T7> : RecordCodec<ValueTuple<T1, T2, T3, T4, T5, T6, T7>>
{
    private readonly RecordCodec<T1> _c1 = RecordCodec.For<T1>();
    private readonly RecordCodec<T2> _c2 = RecordCodec.For<T2>();
    private readonly RecordCodec<T3> _c3 = RecordCodec.For<T3>();
    private readonly RecordCodec<T4> _c4 = RecordCodec.For<T4>();
    private readonly RecordCodec<T5> _c5 = RecordCodec.For<T5>();
    private readonly RecordCodec<T6> _c6 = RecordCodec.For<T6>();
    private readonly RecordCodec<T7> _c7 = RecordCodec.For<T7>();

    public override void Write(RecordWriter writer, ValueTuple<T1, T2, T3, T4, T5, T6, T7> value)
    {
        _c1.Write(writer, value.Item1);
        _c2.Write(writer, value.Item2);
        _c3.Write(writer, value.Item3);
        _c4.Write(writer, value.Item4);
        _c5.Write(writer, value.Item5);
        _c6.Write(writer, value.Item6);
        _c7.Write(writer, value.Item7);
    }

    public override void WriteForHash(RecordWriter writer, ValueTuple<T1, T2, T3, T4, T5, T6, T7> value)
    {
        _c1.WriteForHash(writer, value.Item1);
        _c2.WriteForHash(writer, value.Item2);
        _c3.WriteForHash(writer, value.Item3);
        _c4.WriteForHash(writer, value.Item4);
        _c5.WriteForHash(writer, value.Item5);
        _c6.WriteForHash(writer, value.Item6);
        _c7.WriteForHash(writer, value.Item7);
    }

    public override ValueTuple<T1, T2, T3, T4, T5, T6, T7> Read(RecordReader reader) => (_c1.Read(reader), _c2.Read(reader), _c3.Read(reader), _c4.Read(reader), _c5.Read(reader), _c6.Read(reader), _c7.Read(reader));
}
