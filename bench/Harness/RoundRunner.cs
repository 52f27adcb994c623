using Spark.Serverless.Testing;

namespace Spark.Serverless.Bench.Harness;

/// <summary>
/// Runs one workload's rounds: in each, a fresh warm pool runs the platform's job and stops, then the C# baseline
/// runs on the same input. This machine's speed drifts by half from one minute to the next (the same join took 7.5
/// and 12.1 s, its baseline 1.7 and 2.3 s, in two runs minutes apart), so one pair of runs says more about the
/// machine than the code; alternating rounds and taking the medians puts both sides through the same weather.
/// </summary>
/// <param name="rounds">How many rounds.</param>
/// <param name="name">The workload, for progress lines.</param>
/// <param name="client">The driver's API.</param>
/// <param name="startPool">Starts a warm pool for the given round (numbered from 1).</param>
/// <param name="stopPool">Stops a pool.</param>
/// <param name="timeout">How long a job may take before it counts as stuck.</param>
/// <param name="say">Where progress lines go.</param>
internal sealed class RoundRunner(int rounds, string name, BenchClient client, Func<int, Task<ChildProcess>> startPool,
    Func<ChildProcess, Task> stopPool, TimeSpan timeout, Action<string> say)
{
    /// <summary>What the rounds measured: every job, every baseline time, the last answer, and whether all matched.</summary>
    /// <typeparam name="T">The answer's form.</typeparam>
    /// <param name="Jobs">The platform's job in each round, in order.</param>
    /// <param name="BaselineSeconds">The C# baseline's time in each round, in order.</param>
    /// <param name="Answer">The platform's answer in the last round.</param>
    /// <param name="Correct">Whether every round's platform answer matched that round's baseline.</param>
    internal sealed record Rounds<T>(IReadOnlyList<BenchClient.FinishedJob> Jobs, IReadOnlyList<double> BaselineSeconds, T Answer, bool Correct)
    {
        /// <summary>The job whose time is the median (nearest rank, as <see cref="Micro.Median"/>).</summary>
        public BenchClient.FinishedJob MedianJob
        {
            get
            {
                var byTime = Jobs.OrderBy(j => j.Wall).ToList();
                return byTime[(int)Math.Ceiling(0.5 * byTime.Count) - 1];
            }
        }
    }

    /// <summary>
    /// Runs the rounds of <paramref name="spec"/> on the platform against <paramref name="baseline"/>, checking each
    /// round's answer with <paramref name="same"/>.
    /// </summary>
    public async Task<Rounds<T>> RunAsync<T>(string spec, Func<Task<T>> readAnswer, Func<T> baseline, Func<T, T, bool> same)
    {
        var jobs = new List<BenchClient.FinishedJob>();
        var baselineSeconds = new List<double>();
        bool correct = true;
        T answer = default!;
        for (int round = 1; round <= rounds; round++)
        {
            // A fresh pool per round: each starts warm but clean, and its executors' peak RSS is its own.
            var pool = await startPool(round);
            var job = await client.RunAsync(spec, timeout);
            answer = await readAnswer();
            // The pool stops once its job's answer is read, before the baseline runs: its idle executors poll the
            // queue every 20 ms, and Azurite answering them takes a share of the cores the baseline uses.
            await stopPool(pool);
            var (expected, seconds) = BenchRunner.Time(baseline);
            correct &= same(answer, expected);
            jobs.Add(job);
            baselineSeconds.Add(seconds);
            if (rounds > 1) say($"{name} round {round}: platform {job.Wall.TotalSeconds:0.0} s, baseline {seconds:0.0} s");
        }
        return new Rounds<T>(jobs, baselineSeconds, answer, correct);
    }
}
