using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Spark.Serverless.Configuration;
using Spark.Serverless.Executor;
using Spark.Serverless.Manager;
using Spark.Serverless.Storage;
using Spark.Serverless.Testing;

namespace Spark.Serverless.Driver.Tests.Configuration;

/// <summary>local.settings.sample.json must document every setting the hosts read, and its values must be valid.</summary>
[TestClass]
public sealed class SettingsSampleTests
{
    private static readonly string SamplePath = RepoPaths.InRepo("local.settings.sample.json");

    [TestMethod]
    public void Sample_DocumentsEveryOptionOfEveryHost()
    {
        var documented = JsonNode.Parse(File.ReadAllText(SamplePath))!["Documentation"]!.AsObject().Select(p => p.Key).ToHashSet();
        var expected = new[]
        {
            (SparkOptions.Section, typeof(SparkOptions)),
            (DriverOptions.Section, typeof(DriverOptions)),
            (ExecutorOptions.Section, typeof(ExecutorOptions)),
            (ManagerOptions.Section, typeof(ManagerOptions)),
        }.SelectMany(o => o.Item2.GetProperties().Where(p => p.CanWrite).Select(p => $"{o.Item1}__{p.Name}"))
         .Where(key => key != "Spark__ConnectionString")
         .Append("AzureWebJobsStorage");
        var missing = expected.Where(k => !documented.Contains(k)).ToList();
        Assert.AreEqual(0, missing.Count, "undocumented: " + string.Join(", ", missing));
    }

    [TestMethod]
    public void Sample_ValuesAreDocumentedAndValid()
    {
        var sample = JsonNode.Parse(File.ReadAllText(SamplePath))!;
        var documented = sample["Documentation"]!.AsObject().Select(p => p.Key).ToHashSet();
        var values = sample["Values"]!.AsObject().Select(p => p.Key).ToList();
        Assert.IsTrue(values.All(documented.Contains), "every value has documentation");

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(SparkConfiguration.ReadValues(SamplePath)).Build();
        configuration.GetSparkOptions();
        configuration.GetSection(DriverOptions.Section).Get<DriverOptions>()!.Validate();
        configuration.GetSection(ExecutorOptions.Section).Get<ExecutorOptions>()!.Validate();
        var manager = configuration.GetSection(ManagerOptions.Section).Get<ManagerOptions>()!;
        manager.Validate();
        Assert.AreEqual((0, 4), (manager.MinExecutors, manager.MaxExecutors));
    }
}
