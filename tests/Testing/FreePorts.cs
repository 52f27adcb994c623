using System.Net;
using System.Net.Sockets;

namespace Spark.Serverless.Testing;

/// <summary>Ports nobody listens on, for the processes a test starts.</summary>
public static class FreePorts
{
    /// <summary>Distinct free loopback ports (free when asked; the OS does not hand them out again soon).</summary>
    public static int[] Take(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            foreach (var l in listeners) l.Start();
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            foreach (var l in listeners) l.Stop();
        }
    }

    /// <summary>Waits until something accepts TCP connections on the port.</summary>
    public static async Task WaitForListenerAsync(int port, TimeSpan timeout, Func<bool> stillAlive, Func<string> describe)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (!stillAlive()) throw new InvalidOperationException($"The process exited before listening on port {port}:\n{describe()}");
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        throw new TimeoutException($"Nothing listened on port {port} within {timeout.TotalSeconds} s:\n{describe()}");
    }
}
