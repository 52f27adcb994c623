using System.CommandLine;
using Spark.Serverless.IO;

namespace Spark.Serverless.Cli.Commands;

/// <summary>
/// <c>upload</c> and <c>download</c>: move files between local folders and <c>container/prefix</c> blob paths, through
/// the driver's file API (so only the driver's URL and key are needed, and the driver checks every path).
/// </summary>
internal static class TransferCommands
{
    private const int Parallelism = 4;

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
            using var client = GlobalOptions.Client(parse);
            long bytes = 0;
            await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (f, token) =>
            {
                await client.UploadAsync($"{path.Container}/{f.Name}", f.File, token).ConfigureAwait(false);
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
            using var client = GlobalOptions.Client(parse);
            var names = (await client.ListFilesAsync(path.ToString(), ct).ConfigureAwait(false)).AsArray()
                .Select(f => f!["path"]!.GetValue<string>()).Where(p => p.StartsWith(path + "/", StringComparison.Ordinal)).ToList();
            if (names.Count == 0) throw new CliException($"no blobs under {path}", CliException.BadInput);
            string root = Path.GetFullPath(local);
            await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (name, token) =>
            {
                string file = Path.GetFullPath(Path.Combine(root, name[(path.ToString().Length + 1)..]));
                // A blob name is the server's word, not ours: never let it write outside the folder asked for.
                if (!file.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                    throw new CliException($"blob '{name}' would be written outside {root}", CliException.BadInput);
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                await client.DownloadAsync(name, file, token).ConfigureAwait(false);
            }).ConfigureAwait(false);
            Console.WriteLine($"Downloaded {names.Count} files from {path} to {local}");
            return 0;
        }));
        return command;
    }

    private static BlobPath ParsePath(string text) =>
        BlobPath.TryParse(text, out var path, out var error) ? path.Value : throw new CliException(error, CliException.BadInput);
}
