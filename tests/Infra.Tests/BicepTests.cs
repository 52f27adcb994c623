using Spark.Serverless.Storage;

namespace Spark.Serverless.Infra.Tests;

/// <summary>
/// The Bicep templates, checked for structure and names only: no Bicep compiler can be installed here (its npm and
/// NuGet wrappers download the binary), so syntax beyond balanced brackets is checked by <c>az bicep build</c> in a
/// real deployment.
/// </summary>
[TestClass]
public sealed class BicepTests
{
    private static readonly string[] Files = Directory.GetFiles(Infra.Path("bicep"), "*.bicep");

    [TestMethod]
    public void Brackets_AreBalanced_OutsideStringsAndComments()
    {
        foreach (string file in Files)
        {
            var stack = new Stack<char>();
            string text = File.ReadAllText(file);
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c == '/' && i + 1 < text.Length && text[i + 1] == '/') { i = text.IndexOf('\n', i) is var n and >= 0 ? n : text.Length; continue; }
                if (c == '\'') { i = text.IndexOf('\'', i + 1); Assert.IsTrue(i > 0, $"{file}: unclosed string"); continue; }
                if (c is '{' or '[' or '(') stack.Push(c);
                else if (c is '}' or ']' or ')')
                {
                    Assert.IsTrue(stack.Count > 0, $"{Path.GetFileName(file)}: '{c}' closes nothing at offset {i}");
                    char open = stack.Pop();
                    Assert.AreEqual(c, open switch { '{' => '}', '[' => ']', _ => ')' }, $"{Path.GetFileName(file)}: mismatched bracket at offset {i}");
                }
            }
            Assert.AreEqual(0, stack.Count, $"{Path.GetFileName(file)}: unclosed brackets");
        }
    }

    [TestMethod]
    public void Modules_Exist_AndReceiveOnlyParametersTheyDeclare()
    {
        string main = File.ReadAllText(Infra.Path("bicep/main.bicep"));
        var modules = System.Text.RegularExpressions.Regex.Matches(main, @"module (\w+) '([\w.]+)'").Select(m => (Name: m.Groups[1].Value, File: m.Groups[2].Value)).ToList();
        Assert.AreEqual(3, modules.Count);
        foreach (var (name, file) in modules)
        {
            string path = Infra.Path($"bicep/{file}");
            Assert.IsTrue(File.Exists(path), file);
            var declared = System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(path), @"^param (\w+)", System.Text.RegularExpressions.RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToHashSet();
            int start = main.IndexOf($"module {name} ", StringComparison.Ordinal);
            string block = main[main.IndexOf("params: {", start, StringComparison.Ordinal)..main.IndexOf('}', main.IndexOf("params: {", start, StringComparison.Ordinal))];
            var passed = System.Text.RegularExpressions.Regex.Matches(block, @"^\s+(\w+):", System.Text.RegularExpressions.RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToHashSet();
            CollectionAssert.AreEquivalent(declared.ToList(), passed.ToList(), $"{file}: declared vs passed parameters");
        }
    }

    [TestMethod]
    public void StorageNames_AreTheCodesDefaults()
    {
        var defaults = new SparkOptions();
        string storage = File.ReadAllText(Infra.Path("bicep/storage.bicep"));
        foreach (string name in new[] { defaults.Container, defaults.TaskQueue, defaults.ControlQueue, defaults.PoisonQueue })
            StringAssert.Contains(storage, $"'{name}'");
        string apps = File.ReadAllText(Infra.Path("bicep/containerapps.bicep"));
        StringAssert.Contains(apps, $"queueName: '{defaults.TaskQueue}'", "the executor scale rule watches the task queue");
        StringAssert.Contains(apps, $"queueName: '{defaults.ControlQueue}'", "the driver scale rule watches the control queue");
    }

    [TestMethod]
    public void Settings_AreDocumented_AndTheConnectionIsAzureWebJobsStorage()
    {
        foreach (string file in Files)
        {
            string text = File.ReadAllText(file);
            foreach (string setting in Infra.SettingNames(text))
                Assert.IsTrue(Infra.DocumentedSettings.Contains(setting), $"{Path.GetFileName(file)}: {setting} is not in local.settings.sample.json");
        }
        foreach (string hosting in new[] { "functions.bicep", "containerapps.bicep" })
            StringAssert.Contains(File.ReadAllText(Infra.Path($"bicep/{hosting}")), $"name: '{SparkOptions.ConnectionSetting}'");
        StringAssert.Contains(File.ReadAllText(Infra.Path("bicep/functions.bicep")), "{ name: 'FUNCTIONS_WORKER_RUNTIME', value: 'custom' }");
        string apps = File.ReadAllText(Infra.Path("bicep/containerapps.bicep"));
        StringAssert.Contains(apps, "{ name: 'Driver__Urls', value: 'http://0.0.0.0:8080' }");
        StringAssert.Contains(apps, "{ name: 'Driver__ApiKeys', secretRef: 'api-keys' }", "a driver beyond loopback refuses to start without keys");
    }

    [TestMethod]
    public void Dockerfile_BuildsAHostThatExists()
    {
        string dockerfile = File.ReadAllText(Infra.Path("containers/Dockerfile"));
        string project = System.Text.RegularExpressions.Regex.Match(dockerfile, @"ARG PROJECT=(\w+)").Groups[1].Value;
        Assert.IsTrue(File.Exists(Spark.Serverless.Testing.RepoPaths.InRepo($"{project}/Spark.Serverless.{project}.csproj")), project);
        foreach (string host in new[] { "Driver", "ExecutorFunction", "Manager" })
            Assert.IsTrue(Directory.Exists(Spark.Serverless.Testing.RepoPaths.InRepo(host)), host);
    }
}
