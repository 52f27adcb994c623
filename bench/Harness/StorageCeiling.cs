using Azure.Storage;
using System.Diagnostics;
using Spark.Serverless.Testing;

namespace Spark.Serverless.Bench.Harness;

/// <summary>
/// How many small requests a second the storage emulator itself serves: queue sends, receives and deletes and
/// small blob writes from several concurrent callers. The platform's per-task request count divided into this is
/// the ceiling on tasks per second.
/// </summary>
internal static class StorageCeiling
{
    /// <summary>Measures each kind of request for a few seconds; returns requests per second by kind.</summary>
    public static async Task<IReadOnlyDictionary<string, double>> MeasureAsync(int concurrency, TimeSpan each)
    {
        await using var azurite = await AzuriteInstance.StartAsync();
        var storage = azurite.CreateStorage();
        await storage.EnsureCreatedAsync();
        var payload = BinaryData.FromString(new string('x', 200));
        var results = new Dictionary<string, double>
        {
            ["queue send + receive + delete cycles, 10 messages deep"] = await CycleAsync(storage.Control, 10, concurrency, each, payload),
            ["queue send + receive + delete cycles, 1000 messages deep"] = await CycleAsync(storage.Poison, 1000, concurrency, each, payload),
            ["queue send"] = await RateAsync(concurrency, each, async _ => await storage.Tasks.SendMessageAsync(payload)),
            ["small blob put"] = await RateAsync(concurrency, each, async n => await storage.Container.GetBlobClient($"probe/{n}").UploadAsync(payload, overwrite: true)),
            ["small blob get"] = await RateAsync(concurrency, each, async n => await storage.Container.GetBlobClient($"probe/{n % 100 + 1}").DownloadContentAsync()),
        };
        var blob = storage.Container.GetBlobClient("probe/large");
        var data = new byte[256 << 20];
        new Random(1).NextBytes(data);
        foreach (int block in new[] { 4 << 20, 16 << 20 })
        {
            // Without a Content-MD5 Azurite computes a CRC64 of each block in JavaScript; with one, node's native MD5 checks it.
            foreach (var checksum in new[] { StorageChecksumAlgorithm.None, StorageChecksumAlgorithm.MD5 })
            {
                var clock = Stopwatch.StartNew();
                await blob.UploadAsync(new BinaryData(data), new Azure.Storage.Blobs.Models.BlobUploadOptions
                {
                    TransferOptions = new StorageTransferOptions { InitialTransferSize = block, MaximumTransferSize = block, MaximumConcurrency = concurrency },
                    TransferValidation = new UploadTransferValidationOptions { ChecksumAlgorithm = checksum },
                });
                results[$"blob upload MB/s ({block >> 20} MB blocks, {(checksum == StorageChecksumAlgorithm.MD5 ? "MD5" : "no checksum")})"] = data.Length / 1e6 / clock.Elapsed.TotalSeconds;
            }
        }
        var read = Stopwatch.StartNew();
        await using (var stream = (await blob.DownloadStreamingAsync()).Value.Content) await stream.CopyToAsync(Stream.Null);
        results["blob download MB/s (one stream)"] = data.Length / 1e6 / read.Elapsed.TotalSeconds;
        return results;
    }

    /// <summary>Keeps a queue <paramref name="depth"/> messages deep while callers send, receive and delete.</summary>
    private static async Task<double> CycleAsync(Azure.Storage.Queues.QueueClient queue, int depth, int concurrency, TimeSpan duration, BinaryData payload)
    {
        for (int i = 0; i < depth; i += 32)
            await Task.WhenAll(Enumerable.Range(0, Math.Min(32, depth - i)).Select(_ => queue.SendMessageAsync(payload)));
        return await RateAsync(concurrency, duration, async _ =>
        {
            await queue.SendMessageAsync(payload);
            var message = (await queue.ReceiveMessageAsync()).Value;
            if (message is not null) await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
        });
    }

    private static async Task<double> RateAsync(int concurrency, TimeSpan duration, Func<long, Task> request)
    {
        long count = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (clock.Elapsed < duration) await request(Interlocked.Increment(ref count));
        }));
        return count / clock.Elapsed.TotalSeconds;
    }
}
