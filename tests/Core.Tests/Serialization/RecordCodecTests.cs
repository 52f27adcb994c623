using System.Text.Json;
using Spark.Serverless.Serialization;

namespace Spark.Serverless.Tests.Serialization;

[TestClass]
public sealed class RecordCodecTests
{
    public sealed record Person(string Name, int Age);

    [TestMethod]
    public void RoundTrip_Primitives_AreUnchanged()
    {
        AssertRoundTrip("héllo wörld 😀", "", new string('x', 5000));
        AssertRoundTrip(0L, -1L, long.MinValue, long.MaxValue, 300L);
        AssertRoundTrip(0, int.MinValue, int.MaxValue);
        AssertRoundTrip(0.0, -0.0, double.NaN, double.PositiveInfinity, 1e-300, Math.PI);
        AssertRoundTrip(1.10m, -79228162514264337593543950335m, 0.0000001m);
        AssertRoundTrip(true, false);
        AssertRoundTrip('a', '€');
        AssertRoundTrip(new DateTime(2026, 11, 21, 3, 4, 5, DateTimeKind.Utc), DateTime.MinValue);
        AssertRoundTrip(new DateTimeOffset(2026, 11, 21, 3, 4, 5, TimeSpan.FromHours(2)));
        AssertRoundTrip(Guid.NewGuid(), Guid.Empty);
        AssertRoundTrip(TimeSpan.FromMilliseconds(1234));
    }

    [TestMethod]
    public void RoundTrip_TuplesArraysNullables_AreUnchanged()
    {
        AssertRoundTrip(("word", 42L), ("", -1L));
        AssertRoundTrip(("a", 1, 2.5, true, 'c', 7L, "z"));
        AssertRoundTrip(((string, long))(null!, 3L));
        var arrays = RoundTrip(new[] { new[] { "a", "b,c", "" }, Array.Empty<string>() });
        CollectionAssert.AreEqual(new[] { "a", "b,c", "" }, arrays[0]);
        Assert.AreEqual(0, arrays[1].Length);
        AssertRoundTrip((int?)5, (int?)null);
    }

    [TestMethod]
    public void RoundTrip_OtherTypes_UseJson()
    {
        var people = RoundTrip(new[] { new Person("Ada", 36), new Person("Linus", 55) });
        Assert.AreEqual(new Person("Linus", 55), people[1]);
        using var doc = JsonDocument.Parse("""{"a":[1,2,{"b":null}]}""");
        var element = RoundTrip(new[] { doc.RootElement })[0];
        Assert.AreEqual(doc.RootElement.GetRawText(), element.GetRawText());
    }

    [TestMethod]
    public void Read_TruncatedStream_ThrowsInvalidData()
    {
        var stream = new MemoryStream();
        using (var writer = new RecordWriter(stream)) RecordCodec.For<string>().Write(writer, "a long enough string");
        var truncated = new MemoryStream(stream.ToArray()[..5]);
        using var reader = new RecordReader(truncated);
        Assert.ThrowsExactly<InvalidDataException>(() => RecordCodec.For<string>().Read(reader));
    }

    private static void AssertRoundTrip<T>(params T[] values) => CollectionAssert.AreEqual(values, RoundTrip(values));

    private static T[] RoundTrip<T>(T[] values)
    {
        var codec = RecordCodec.For<T>();
        var stream = new MemoryStream();
        using (var writer = new RecordWriter(stream, 64))
            foreach (var v in values) codec.Write(writer, v);
        stream.Position = 0;
        using var reader = new RecordReader(stream, 64);
        var result = new List<T>();
        while (!reader.AtEnd) result.Add(codec.Read(reader));
        return [.. result];
    }
}
