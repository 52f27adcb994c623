namespace Spark.Serverless.Execution;

/// <summary>
/// The order <c>sortBy</c> uses for a key type: strings ordinally (byte order of their UTF-16, the same on every
/// machine, unlike culture-aware comparison), value tuples field by field, anything else by <see cref="Comparer{T}.Default"/>.
/// </summary>
public static class KeyComparer
{
    /// <summary>The comparer for <typeparamref name="T"/>, reversed when <paramref name="descending"/>.</summary>
    public static IComparer<T> For<T>(bool descending = false) =>
        descending ? Comparer<T>.Create((a, b) => Cache<T>.Instance.Compare(b, a)) : Cache<T>.Instance;

    private static class Cache<T>
    {
        public static readonly IComparer<T> Instance = (IComparer<T>)Create(typeof(T));
    }

    private static object Create(Type type)
    {
        if (type == typeof(string)) return StringComparer.Ordinal;
        if (type.IsGenericType && type.FullName!.StartsWith("System.ValueTuple`", StringComparison.Ordinal) && type.GetGenericArguments().Length <= 7)
            return Activator.CreateInstance(typeof(TupleComparer<>).MakeGenericType(type))!;
        return typeof(Comparer<>).MakeGenericType(type).GetProperty(nameof(Comparer<int>.Default))!.GetValue(null)!;
    }

    /// <summary>Compares value tuples field by field with each field's own <see cref="KeyComparer"/>.</summary>
    private sealed class TupleComparer<T> : IComparer<T> where T : System.Runtime.CompilerServices.ITuple
    {
        private readonly System.Collections.IComparer[] _fields = typeof(T).GetGenericArguments()
            .Select(t => (System.Collections.IComparer)Activator.CreateInstance(typeof(NonGeneric<>).MakeGenericType(t))!)
            .ToArray();

        public int Compare(T? x, T? y)
        {
            for (int i = 0; i < _fields.Length; i++)
            {
                int c = _fields[i].Compare(x![i], y![i]);
                if (c != 0) return c;
            }
            return 0;
        }
    }

    private sealed class NonGeneric<T> : System.Collections.IComparer
    {
        private readonly IComparer<T> _inner = For<T>();

        public int Compare(object? x, object? y) => _inner.Compare((T)x!, (T)y!);
    }
}
