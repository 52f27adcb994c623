using System.CommandLine;
using Spark.Serverless.Cli.Progress;

namespace Spark.Serverless.Cli.Commands;

/// <summary>
/// <c>submit SPEC [--wait]</c> posts a JSON spec; <c>submit --assembly PATH [--class NAME] [--dependency PATH]…</c>
/// uploads a compiled application. With <c>--wait</c>, shows each stage's progress until the job ends (<see cref="JobProgress"/>).
/// </summary>
internal static class SubmitCommand
{
    public static Command Create()
    {
        var spec = new Argument<FileInfo?>("spec") { Description = "The JSON job spec file (omit with --assembly).", Arity = ArgumentArity.ZeroOrOne };
        var assembly = new Option<FileInfo?>("--assembly") { Description = "A compiled application holding an ISparkJob." };
        var className = new Option<string?>("--class") { Description = "The ISparkJob class's full name (needed when the assembly has several)." };
        var dependencies = new Option<FileInfo[]>("--dependency") { Description = "Another assembly the application needs (repeatable).", AllowMultipleArgumentsPerToken = false };
        var name = new Option<string?>("--name") { Description = "The job's name (for --assembly)." };
        var settings = new Option<string?>("--settings") { Description = "Job settings as a JSON object, e.g. '{\"shufflePartitions\":16}' (for --assembly)." };
        var wait = new Option<bool>("--wait") { Description = "Show progress until the job ends; exit 1 if it fails." };
        var command = new Command("submit", "Submit a JSON job spec or a compiled application.") { spec, assembly, className, dependencies, name, settings, wait };
        command.SetAction((parse, ct) => CliRunner.RunAsync(async () =>
        {
            var specFile = parse.GetValue(spec);
            var assemblyFile = parse.GetValue(assembly);
            if ((specFile is null) == (assemblyFile is null))
                throw new CliException("give either a spec file or --assembly PATH, not both or neither", CliException.BadInput);
            using var client = GlobalOptions.Client(parse);
            string jobId;
            if (specFile is not null)
            {
                Require(specFile, "spec file");
                jobId = await client.SubmitAsync(await File.ReadAllBytesAsync(specFile.FullName, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
            }
            else
            {
                var deps = parse.GetValue(dependencies) ?? [];
                Require(assemblyFile!, "assembly");
                foreach (var dep in deps) Require(dep, "dependency");
                jobId = await client.SubmitAssemblyAsync(assemblyFile!, deps, parse.GetValue(className), parse.GetValue(name), parse.GetValue(settings), ct).ConfigureAwait(false);
            }
            Console.WriteLine($"Submitted job {jobId}");
            if (!parse.GetValue(wait)) return 0;
            return await JobProgress.WaitAsync(client, jobId, ct).ConfigureAwait(false);
        }));
        return command;
    }

    private static void Require(FileInfo file, string what)
    {
        if (!file.Exists) throw new CliException($"{what} '{file.FullName}' does not exist", CliException.BadInput);
    }
}
