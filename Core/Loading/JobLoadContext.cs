using System.Reflection;
using System.Runtime.Loader;

namespace Spark.Serverless.Loading;

/// <summary>
/// A collectible load context for one job's application assembly. It loads the application's own dependencies
/// from the bytes uploaded with it and resolves nothing else, so the application shares the host's
/// Spark.Serverless.Core and framework assemblies (and their types).
/// </summary>
internal sealed class JobLoadContext(string name, IReadOnlyDictionary<string, byte[]> dependencies) : AssemblyLoadContext(name, isCollectible: true)
{
    protected override Assembly? Load(AssemblyName assemblyName) =>
        assemblyName.Name is { } simple && dependencies.TryGetValue(simple, out var bytes) ? LoadFromStream(new MemoryStream(bytes, writable: false)) : null;
}
