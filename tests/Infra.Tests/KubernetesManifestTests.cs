using Spark.Serverless.Executor;
using Spark.Serverless.Storage;
using YamlDotNet.RepresentationModel;

namespace Spark.Serverless.Infra.Tests;

/// <summary>The Kubernetes and KEDA manifests parse, refer to each other by the right names, and match the code's settings.</summary>
[TestClass]
public sealed class KubernetesManifestTests
{
    private static readonly Lazy<List<YamlMappingNode>> Documents = new(Load);

    [TestMethod]
    public void EveryDocument_HasAKindAndAName()
    {
        Assert.IsTrue(Documents.Value.Count >= 6);
        foreach (var doc in Documents.Value)
        {
            Assert.IsNotNull(Text(doc, "apiVersion"));
            Assert.IsNotNull(Text(doc, "metadata", "name"), Text(doc, "kind"));
        }
    }

    [TestMethod]
    public void ScaledObject_ScalesTheExecutorsOnTheTaskQueue_FromZero_OneReplicaPerSlotsOfTasks()
    {
        var scaled = Single("ScaledObject");
        var executor = Deployment("spark-executor");
        Assert.AreEqual(Text(executor, "metadata", "name"), Text(scaled, "spec", "scaleTargetRef", "name"));
        Assert.AreEqual("0", Text(scaled, "spec", "minReplicaCount"), "scale to zero");
        var trigger = (YamlMappingNode)((YamlSequenceNode)Node(scaled, "spec", "triggers")!).Children.Single();
        Assert.AreEqual("azure-queue", Text(trigger, "type"));
        Assert.AreEqual(new SparkOptions().TaskQueue, Text(trigger, "metadata", "queueName"));
        Assert.AreEqual(Env(executor)["Executor__Slots"], Text(trigger, "metadata", "queueLength"), "a replica for each executor's worth of waiting tasks");
        Assert.AreEqual(Text(Single("TriggerAuthentication"), "metadata", "name"), Text(trigger, "authenticationRef", "name"));
    }

    [TestMethod]
    public void Secrets_AreReferencedByTheirNamesAndKeys()
    {
        var secret = Single("Secret");
        string name = Text(secret, "metadata", "name")!;
        Assert.IsNotNull(Node(secret, "stringData", SparkOptions.ConnectionSetting));
        var auth = (YamlMappingNode)((YamlSequenceNode)Node(Single("TriggerAuthentication"), "spec", "secretTargetRef")!).Children.Single();
        Assert.AreEqual((name, SparkOptions.ConnectionSetting, "connection"), (Text(auth, "name"), Text(auth, "key"), Text(auth, "parameter")));
        foreach (var deployment in Documents.Value.Where(d => Text(d, "kind") == "Deployment"))
        {
            var storage = Container(deployment).Children[new YamlScalarNode("env")] is YamlSequenceNode env
                ? env.Children.Cast<YamlMappingNode>().Single(e => Text(e, "name") == SparkOptions.ConnectionSetting)
                : throw new AssertFailedException("no env");
            Assert.AreEqual((name, SparkOptions.ConnectionSetting), (Text(storage, "valueFrom", "secretKeyRef", "name"), Text(storage, "valueFrom", "secretKeyRef", "key")));
        }
    }

    [TestMethod]
    public void DriversListeningBeyondLoopback_TakeTheirKeysFromTheSecret()
    {
        var driver = Deployment("spark-driver");
        Assert.IsFalse(Spark.Serverless.Driver.Security.ApiKeys.IsLoopback(Env(driver)["Driver__Urls"]), "the driver serves other pods");
        var keys = ((YamlSequenceNode)Container(driver).Children[new YamlScalarNode("env")]).Children.Cast<YamlMappingNode>()
            .Single(e => Text(e, "name") == "Driver__ApiKeys");
        var secret = Single("Secret");
        Assert.AreEqual(Text(secret, "metadata", "name"), Text(keys, "valueFrom", "secretKeyRef", "name"));
        Assert.IsNotNull(Node(secret, "stringData", Text(keys, "valueFrom", "secretKeyRef", "key")!), "the secret holds the key it is read from");
    }

    [TestMethod]
    public void ExecutorPods_MayDrainLongerThanTheExecutorWaits()
    {
        var executor = Deployment("spark-executor");
        int grace = int.Parse(Text(executor, "spec", "template", "spec", "terminationGracePeriodSeconds")!, System.Globalization.CultureInfo.InvariantCulture);
        int drain = int.Parse(Env(executor)["Executor__DrainTimeoutSeconds"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.IsTrue(grace > drain, $"SIGTERM then {grace} s before SIGKILL; the executor drains for up to {drain} s");
    }

    [TestMethod]
    public void Settings_AreDocumented_AndNamesMatchTheCode()
    {
        var defaults = new SparkOptions();
        foreach (var deployment in Documents.Value.Where(d => Text(d, "kind") == "Deployment"))
        {
            var env = Env(deployment);
            foreach (var key in env.Keys.Where(k => k.Contains("__", StringComparison.Ordinal)))
                Assert.IsTrue(Infra.DocumentedSettings.Contains(key), $"{key} is not in local.settings.sample.json");
            Assert.AreEqual(defaults.Container, env["Spark__Container"]);
            Assert.AreEqual(defaults.TaskQueue, env["Spark__TaskQueue"]);
            Assert.AreEqual(defaults.ControlQueue, env["Spark__ControlQueue"]);
            Assert.AreEqual(defaults.PoisonQueue, env["Spark__PoisonQueue"]);
        }
        Assert.IsTrue(int.Parse(Env(Deployment("spark-executor"))["Executor__Slots"], System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.AreEqual(new ExecutorOptions().DrainTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), Env(Deployment("spark-executor"))["Executor__DrainTimeoutSeconds"]);
    }

    private static List<YamlMappingNode> Load()
    {
        var documents = new List<YamlMappingNode>();
        foreach (string file in Directory.GetFiles(Infra.Path("kubernetes"), "*.yaml"))
        {
            var stream = new YamlStream();
            try
            {
                using var reader = new StreamReader(file);
                stream.Load(reader);
            }
            catch (YamlDotNet.Core.YamlException e)
            {
                throw new AssertFailedException($"{Path.GetFileName(file)} is not well-formed YAML: {e.Message}");
            }
            documents.AddRange(stream.Documents.Select(d => d.RootNode as YamlMappingNode ?? throw new AssertFailedException($"{Path.GetFileName(file)}: a document is not a mapping")));
        }
        return documents;
    }

    private static YamlMappingNode Single(string kind) => Documents.Value.Single(d => Text(d, "kind") == kind);

    private static YamlMappingNode Deployment(string name) => Documents.Value.Single(d => Text(d, "kind") == "Deployment" && Text(d, "metadata", "name") == name);

    private static YamlMappingNode Container(YamlMappingNode deployment) =>
        (YamlMappingNode)((YamlSequenceNode)Node(deployment, "spec", "template", "spec", "containers")!).Children.Single();

    private static Dictionary<string, string> Env(YamlMappingNode deployment) =>
        ((YamlSequenceNode)Container(deployment).Children[new YamlScalarNode("env")]).Children.Cast<YamlMappingNode>()
            .Where(e => Node(e, "value") is not null)
            .ToDictionary(e => Text(e, "name")!, e => Text(e, "value")!);

    private static YamlNode? Node(YamlNode node, params string[] path)
    {
        foreach (string step in path)
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(step), out var next)) return null;
            node = next;
        }
        return node;
    }

    private static string? Text(YamlNode node, params string[] path) => (Node(node, path) as YamlScalarNode)?.Value;
}
