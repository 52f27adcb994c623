namespace Spark.Serverless.Storage;

/// <summary>
/// What a local Azurite process runs with, wherever it is started: the tests and the bench, <c>spark-serverless up</c>
/// and <c>./run.sh</c>.
/// </summary>
public static class LocalAzurite
{
    /// <summary>
    /// glibc settings for Azurite's environment (<c>scripts/platform.sh</c> sets the same; a test keeps it in step):
    /// buffers up to 32 MB come from the heap, and freed heap memory stays mapped instead of going back to the kernel.
    /// </summary>
    /// <remarks>
    /// In memory, Azurite keeps a blob as the pieces its uploads' bodies arrived in, and every download copies a
    /// range's pieces into one new buffer (the <c>multistream</c> package it reads them through calls <c>read()</c>,
    /// which joins all that is buffered; read from its code). A 16 MB range is then a fresh 16 MB allocation, which
    /// glibc served from newly mapped pages: perf during Q1's map stage put 21% of Azurite's samples in that copy and
    /// 15% in the kernel's page faults under it, with Azurite using a whole core and the executors' task threads a
    /// third of one each. With these settings, <c>spark-bench storage-ceiling</c> downloaded one stream at 224 and 245
    /// MB/s against 141 and 201 (two alternating pairs; in two pairs before them, with a threshold too high for glibc,
    /// which then ignores it, 190 and 225 against 148 and 155). They change nothing but where Azurite's memory comes
    /// from.
    /// </remarks>
    public static IReadOnlyDictionary<string, string> AllocatorSettings { get; } = new Dictionary<string, string>
    {
        ["MALLOC_MMAP_THRESHOLD_"] = "33554432",
        ["MALLOC_TRIM_THRESHOLD_"] = "1073741824",
        ["MALLOC_TOP_PAD_"] = "67108864",
    };
}
