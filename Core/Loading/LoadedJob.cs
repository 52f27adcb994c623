using System.Reflection;
using System.Runtime.CompilerServices;

namespace Spark.Serverless.Loading;

/// <summary>
/// An application assembly loaded into its own collectible context, with the plan its job built.
/// Disposing unloads the context once nothing references its types any more.
/// </summary>
public sealed class LoadedJob : IDisposable
{
    private JobLoadContext? _loadContext;

    private LoadedJob(JobLoadContext loadContext, JobContext context, string typeName)
    {
        _loadContext = loadContext;
        Context = context;
        TypeName = typeName;
    }

    /// <summary>The context the job built its plan on.</summary>
    public JobContext Context { get; }

    /// <summary>The full name of the <see cref="ISparkJob"/> type that was built.</summary>
    public string TypeName { get; }

    /// <summary>Loads an assembly, finds its job type and runs its <see cref="ISparkJob.Build"/>.</summary>
    /// <param name="assembly">The assembly's bytes.</param>
    /// <param name="typeName">The job type's full name; null picks the assembly's only <see cref="ISparkJob"/>.</param>
    /// <param name="name">A name for the load context (the job id).</param>
    /// <param name="dependencies">Further assemblies of the application, by simple name.</param>
    /// <exception cref="JobLoadException">The assembly cannot be loaded, has no such type, or <see cref="ISparkJob.Build"/> threw.</exception>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static LoadedJob Load(byte[] assembly, string? typeName, string name, IReadOnlyDictionary<string, byte[]>? dependencies = null)
    {
        var loadContext = new JobLoadContext(name, dependencies ?? new Dictionary<string, byte[]>());
        try
        {
            Assembly loaded;
            try
            {
                loaded = loadContext.LoadFromStream(new MemoryStream(assembly, writable: false));
            }
            catch (BadImageFormatException e)
            {
                throw new JobLoadException($"The application is not a .NET assembly: {e.Message}", e);
            }
            var type = FindJobType(loaded, typeName);
            ISparkJob job;
            try
            {
                job = (ISparkJob)Activator.CreateInstance(type)!;
            }
            catch (Exception e) when (e is MissingMethodException or TargetInvocationException)
            {
                throw new JobLoadException($"{type.FullName} cannot be created: it needs a public constructor without parameters that does not throw ({e.InnerException?.Message ?? e.Message}).", e);
            }
            var context = new JobContext();
            try
            {
                job.Build(context);
            }
            catch (Exception e)
            {
                throw new JobLoadException($"{type.FullName}.Build threw {e.GetType().Name}: {e.Message}", e);
            }
            return new LoadedJob(loadContext, context, type.FullName!);
        }
        catch
        {
            loadContext.Unload();
            throw;
        }
    }

    private static Type FindJobType(Assembly assembly, string? typeName)
    {
        if (typeName is not null)
        {
            var named = assembly.GetType(typeName, throwOnError: false)
                ?? throw new JobLoadException($"The assembly has no type '{typeName}'.");
            if (!typeof(ISparkJob).IsAssignableFrom(named) || named.IsAbstract)
                throw new JobLoadException($"Type '{typeName}' does not implement ISparkJob as a concrete class.");
            return named;
        }
        Type[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            throw new JobLoadException($"The application's types cannot be loaded (a dependency is missing?): {e.LoaderExceptions.FirstOrDefault()?.Message}", e);
        }
        var candidates = types.Where(t => typeof(ISparkJob).IsAssignableFrom(t) && !t.IsAbstract && t.IsClass).ToList();
        return candidates.Count switch
        {
            1 => candidates[0],
            0 => throw new JobLoadException("The assembly has no class that implements ISparkJob."),
            _ => throw new JobLoadException($"The assembly has {candidates.Count} ISparkJob classes ({string.Join(", ", candidates.Select(c => c.FullName))}); name one."),
        };
    }

    /// <summary>Starts unloading the assembly's context.</summary>
    public void Dispose()
    {
        Interlocked.Exchange(ref _loadContext, null)?.Unload();
    }
}

/// <summary>An application could not be loaded or its plan could not be built.</summary>
public sealed class JobLoadException(string message, Exception? inner = null) : Exception(message, inner);
