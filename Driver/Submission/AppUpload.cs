using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;
using Spark.Serverless.Driver.Compilation;
using Spark.Serverless.Driver.Spec;

namespace Spark.Serverless.Driver.Submission;

/// <summary>An application submitted as a compiled assembly (like <c>spark-submit --jars</c>): the main assembly, its own dependencies, the job class.</summary>
/// <param name="Name">The job's name.</param>
/// <param name="Main">The assembly holding the <see cref="ISparkJob"/>.</param>
/// <param name="ClassName">The job class's full name; null when the assembly has exactly one.</param>
/// <param name="Dependencies">Further assemblies, by file name.</param>
/// <param name="Settings">The job's settings.</param>
public sealed record AppUpload(string Name, byte[] Main, string? ClassName, IReadOnlyDictionary<string, byte[]> Dependencies, SpecSettings Settings)
{
    /// <summary>The assemblies' simple names mapped to their bytes, checked to be .NET assemblies.</summary>
    /// <exception cref="SpecException">A file is not a .NET assembly.</exception>
    public (CompiledApp Main, IReadOnlyDictionary<string, byte[]> Dependencies) Validate()
    {
        string mainName = AssemblyName(Main, "assembly");
        var dependencies = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (file, bytes) in Dependencies)
            dependencies[AssemblyName(bytes, file)] = bytes;
        dependencies.Remove(mainName);
        return (new CompiledApp(Main, Convert.ToHexStringLower(SHA256.HashData(Main)), ClassName ?? ""), dependencies);
    }

    private static string AssemblyName(byte[] bytes, string file)
    {
        try
        {
            using var reader = new PEReader(new MemoryStream(bytes, writable: false));
            if (!reader.HasMetadata) throw new BadImageFormatException("no .NET metadata");
            var metadata = reader.GetMetadataReader();
            if (!metadata.IsAssembly) throw new BadImageFormatException("a module, not an assembly");
            return metadata.GetString(metadata.GetAssemblyDefinition().Name);
        }
        catch (BadImageFormatException e)
        {
            throw new SpecException($"The uploaded file '{file}' is not a .NET assembly: {e.Message}.");
        }
    }
}
