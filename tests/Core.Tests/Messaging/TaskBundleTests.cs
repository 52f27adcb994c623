using System.Text.Json;
using Spark.Serverless.Messaging;

namespace Spark.Serverless.Core.Tests.Messaging;

[TestClass]
public sealed class TaskBundleTests
{
    [TestMethod]
    public void OneTask_TravelsAsAPlainTaskMessage_AndReadsBack()
    {
        var task = new TaskMessage("j", 1, 0, 7, 2);
        var body = TaskBundle.Write([task]);
        Assert.AreEqual(task, SparkJson.FromBinary<TaskMessage>(body), "older executors read it as before");
        CollectionAssert.AreEqual(new[] { task }, TaskBundle.Read(body).ToArray());
    }

    [TestMethod]
    public void SeveralTasks_TravelAsABundle_AndReadBackInOrder()
    {
        var tasks = Enumerable.Range(0, 5).Select(p => new TaskMessage("j", 1, 0, p, 0)).ToList();
        CollectionAssert.AreEqual(tasks, TaskBundle.Read(TaskBundle.Write(tasks)).ToList());
    }

    [TestMethod]
    public void BadBundles_AreRefusedWithTheReason()
    {
        var mixed = JsonSerializer.Serialize(new { tasks = new[] { new TaskMessage("j", 1, 0, 0, 0), new TaskMessage("j", 2, 0, 1, 0) } }, SparkJson.Options);
        var e = Assert.ThrowsExactly<JsonException>(() => TaskBundle.Read(BinaryData.FromString(mixed)));
        StringAssert.Contains(e.Message, "one job, stage and stage attempt");
        Assert.ThrowsExactly<JsonException>(() => TaskBundle.Read(BinaryData.FromString("""{"tasks":[]}""")));
        Assert.Throws<JsonException>(() => TaskBundle.Read(BinaryData.FromString("not json")));
    }

    [TestMethod]
    public void TaskReports_OfOneEvent_IsThatEvent()
    {
        var one = new TaskStarted { JobId = "j", At = DateTimeOffset.UnixEpoch, StageId = 0, StageAttempt = 0, Partition = 0, Attempt = 0, ExecutorId = "e" };
        Assert.AreSame(one, TaskReports.Of([one]));
        var two = TaskReports.Of([one, one with { Partition = 1 }]);
        var read = (TaskReports)SparkJson.FromBinary<ControlEvent>(SparkJson.ToBinary(two));
        Assert.AreEqual(2, read.Events.Count);
        Assert.AreEqual(1, ((TaskEvent)read.Events[1]).Partition);
    }
}
