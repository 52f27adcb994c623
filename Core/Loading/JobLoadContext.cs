using System.Reflection;
using System.Runtime.Loader;

namespace Spark.Serverless.Loading;

/// <summary>
/// A collectible load context for one job's application assembly. It resolves nothing itself, so the
/// application shares the host's Spark.Serverless.Core and framework assemblies (and their types).
/// </summary>
internal sealed class JobLoadContext(string name) : AssemblyLoadContext(name, isCollectible: true)
{
    protected override Assembly? Load(AssemblyName assemblyName) => null;
}
