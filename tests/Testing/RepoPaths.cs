namespace Spark.Serverless.Testing;

/// <summary>Where things are in the repository and its build output, found from the running test assembly.</summary>
public static class RepoPaths
{
    /// <summary>The repository root (the folder holding Spark.Serverless.sln).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration the tests were built with, as the artifacts folder names it (<c>release</c>, <c>debug</c>).</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;

    /// <summary>
    /// A file in another project's build output of the same configuration; or, when <c>SPARK_PUBLISHED_HOSTS</c> names
    /// a folder holding the project's published copy (run.sh bench publishes the hosts ReadyToRun), that copy.
    /// </summary>
    public static string Artifact(string project, string file)
    {
        if (Environment.GetEnvironmentVariable("SPARK_PUBLISHED_HOSTS") is { Length: > 0 } published
            && Path.Combine(published, project, file) is var publishedPath && File.Exists(publishedPath))
            return publishedPath;
        string path = Path.Combine(Root, "artifacts", "bin", project, Configuration, file);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is missing: build the solution first (./test.sh does).", path);
    }

    /// <summary>A file in the repository.</summary>
    public static string InRepo(string relative) => Path.Combine(Root, relative);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Spark.Serverless.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No Spark.Serverless.sln above {AppContext.BaseDirectory}.");
    }
}
