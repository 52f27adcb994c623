namespace Spark.Serverless.Driver;

/// <summary>What the driver's test switches (<see cref="DriverOptions.KillDuringCommit"/> and the like) do.</summary>
internal static class TestSwitches
{
    /// <summary>Kills this driver at once (SIGKILL), first saying why on standard error.</summary>
    /// <param name="why">The line written, naming the job and the point the driver dies at.</param>
    public static void KillThisDriver(string why)
    {
        // Said synchronously: the console logger writes from a queue that a SIGKILL would cut off.
        Console.Error.WriteLine(why);
        Console.Error.Flush();
        System.Diagnostics.Process.GetCurrentProcess().Kill();
    }
}
