using Spark.Serverless.Storage;
using Spark.Serverless.Testing;

namespace Spark.Serverless.Infra.Tests;

/// <summary>The shell scripts that start a local platform agree with what the code starts it with.</summary>
[TestClass]
public sealed class LocalScriptsTests
{
    [TestMethod]
    public void PlatformScript_StartsAzuriteWithTheAllocatorSettingsTheCodeUses()
    {
        string script = File.ReadAllText(RepoPaths.InRepo(Path.Combine("scripts", "platform.sh")));
        foreach (var (name, value) in LocalAzurite.AllocatorSettings)
            StringAssert.Contains(script, $"{name}={value} ", $"scripts/platform.sh must start Azurite with {name}={value}, as LocalAzurite does");
    }
}
