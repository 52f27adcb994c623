using System.CommandLine;
using Azure.Storage;
using Azure.Storage.Blobs.Models;
using Spark.Serverless.IO;

namespace Spark.Serverless.Cli.Commands;

/// <summary><c>upload</c> and <c>download</c>: move files between local folders and <c>container/prefix</c> blob paths.</summary>
internal static class TransferCommands
{
    private static readonly StorageTransferOptions Transfer = new() { InitialTransferSize = 32 << 20, MaximumTransferSize = 32 << 20, MaximumConcurrency = 4 };

    public static Command Upload()
    {
        var source = new Argument<string>("local") { Description = "A local file or folder." };
        var target = new Argument<string>("path") { Description = "The blob path (container/prefix) to upload to." };
        var command = new Command("upload", "Upload a file, or a folder's files, to a blob path.") { source, target };
        command.SetAction((parse, ct) => CliRunner.RunAsync(async () =>
        {
            var path = ParsePath(parse.GetValue(target)!);
            string local = parse.GetValue(source)!;
            var files = File.Exists(local) ? [(File: local, Name: path.Name)]
                : Directory.Exists(local) ? Directory.EnumerateFiles(local, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
                    .Select(f => (File: f, Name: $"{path.Name}/{Path.GetRelativePath(local, f).Replace('\\', '/')}")).ToList()
                : throw new CliException($"'{local}' is neither a file nor a folder", CliException.BadInput);
            var container = GlobalOptions.Storage(parse).GetContainer(path.Container);
            await container.CreateIfNotExistsAsync(cancellationToken: ct).ConfigureAwait(false);
            long bytes = 0;
            await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (f, token) =>
            {
                await container.GetBlobClient(f.Name).UploadAsync(f.File, new BlobUploadOptions { TransferOptions = Transfer }, token).ConfigureAwait(false);
                Interlocked.Add(ref bytes, new FileInfo(f.File).Length);
            }).ConfigureAwait(false);
            Console.WriteLine($"Uploaded {files.Count} files ({bytes:N0} bytes) to {path}");
            return 0;
        }));
        return command;
    }

    public static Command Download()
    {
        var source = new Argument<string>("path") { Description = "The blob path (container/prefix) to download." };
        var target = new Argument<string>("local") { Description = "The local folder to write into." };
        var command = new Command("download", "Download every blob under a path into a local folder.") { source, target };
        command.SetAction((parse, ct) => CliRunner.RunAsync(async () =>
        {
            var path = ParsePath(parse.GetValue(source)!);
            string local = parse.GetValue(target)!;
            var container = GlobalOptions.Storage(parse).GetContainer(path.Container);
            if (!await container.ExistsAsync(ct).ConfigureAwait(false))
                throw new CliException($"container '{path.Container}' does not exist", CliException.BadInput);
            var names = new List<string>();
            await foreach (var blob in container.GetBlobsAsync(prefix: path.Name + "/", cancellationToken: ct).ConfigureAwait(false)) names.Add(blob.Name);
            if (names.Count == 0) throw new CliException($"no blobs under {path}", CliException.BadInput);
            await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (name, token) =>
            {
                string file = Path.Combine(local, name[(path.Name.Length + 1)..]);
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                await container.GetBlobClient(name).DownloadToAsync(file, token).ConfigureAwait(false);
            }).ConfigureAwait(false);
            Console.WriteLine($"Downloaded {names.Count} files from {path} to {local}");
            return 0;
        }));
        return command;
    }

    private static BlobPath ParsePath(string text) =>
        BlobPath.TryParse(text, out var path, out var error) ? path.Value : throw new CliException(error, CliException.BadInput);
}
