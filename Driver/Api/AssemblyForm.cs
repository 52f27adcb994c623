using Microsoft.AspNetCore.Http.Features;
using Spark.Serverless.Driver.Spec;
using Spark.Serverless.Driver.Submission;

namespace Spark.Serverless.Driver.Api;

/// <summary>
/// Reads an assembly submission: <c>multipart/form-data</c> with an <c>assembly</c> file, optional <c>dependency</c>
/// files, and the fields <c>class</c> (the <see cref="ISparkJob"/> class), <c>name</c> and <c>settings</c> (a JSON object).
/// </summary>
internal static class AssemblyForm
{
    /// <summary>The upload, or null when it is larger than <paramref name="limit"/>.</summary>
    /// <exception cref="SpecException">A part is missing or malformed.</exception>
    public static async Task<AppUpload?> ReadAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit) return null;
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = limit, ValueLengthLimit = 1 << 20 }, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException e) when (e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        catch (InvalidDataException e)
        {
            throw new SpecException($"The form is not valid multipart/form-data: {e.Message}");
        }
        var unknown = form.Keys.Concat(form.Files.Select(f => f.Name)).Except(["assembly", "dependency", "class", "name", "settings"]).ToList();
        if (unknown.Count > 0) throw new SpecException($"Unknown form field '{unknown[0]}'; expected assembly, dependency, class, name, settings.");
        var assemblies = form.Files.GetFiles("assembly");
        if (assemblies.Count != 1) throw new SpecException("An assembly submission needs exactly one 'assembly' file (the compiled application).");
        var dependencies = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var file in form.Files.GetFiles("dependency")) dependencies[file.FileName] = await ReadAllAsync(file, cancellationToken).ConfigureAwait(false);
        string? className = form["class"].FirstOrDefault() is { Length: > 0 } c ? c : null;
        string name = form["name"].FirstOrDefault() is { Length: > 0 and <= 200 } n ? n : className ?? Path.GetFileNameWithoutExtension(assemblies[0].FileName);
        var settings = form["settings"].FirstOrDefault() is { Length: > 0 } json ? SpecParser.ParseSettings(json) : SpecSettings.None;
        return new AppUpload(name, await ReadAllAsync(assemblies[0], cancellationToken).ConfigureAwait(false), className, dependencies, settings);
    }

    private static async Task<byte[]> ReadAllAsync(IFormFile file, CancellationToken cancellationToken)
    {
        using var memory = new MemoryStream((int)file.Length);
        await file.CopyToAsync(memory, cancellationToken).ConfigureAwait(false);
        return memory.ToArray();
    }
}
