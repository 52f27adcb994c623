using System.Diagnostics;
using System.Security.Cryptography;

namespace Spark.Serverless.Bench.Baselines;

/// <summary>The outside programs the workloads are compared with: GNU sort and sqlite3, run as the issue names them.</summary>
internal static class OutsideTools
{
    /// <summary><c>LC_ALL=C sort --parallel=2</c> of the records into <paramref name="output"/>; returns the output's SHA-256.</summary>
    public static string GnuSort(IReadOnlyList<string> files, string output, string temp)
    {
        Run("sort", ["--parallel=2", "-T", temp, "-o", output, .. files], new() { ["LC_ALL"] = "C" });
        using var stream = File.OpenRead(output);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>Q1 in sqlite3: imports <c>lineitem.csv</c> into an in-memory database and runs the query; returns its rows.</summary>
    public static IReadOnlyList<string> SqliteQ1(string lineItem) => Sqlite(
        $".import --csv '{lineItem}' lineitem",
        """
        SELECT l_returnflag || '|' || l_linestatus || '|' || printf('%.2f', SUM(l_quantity)) || '|' || printf('%.2f', SUM(l_extendedprice))
          || '|' || printf('%.2f', SUM(l_extendedprice * (1 - l_discount))) || '|' || printf('%.2f', SUM(l_extendedprice * (1 - l_discount) * (1 + l_tax)))
          || '|' || printf('%.4f', AVG(l_quantity)) || '|' || printf('%.4f', AVG(l_extendedprice)) || '|' || printf('%.4f', AVG(l_discount)) || '|' || COUNT(*)
        FROM lineitem WHERE l_shipdate <= '1998-09-02' GROUP BY l_returnflag, l_linestatus ORDER BY 1;
        """);

    /// <summary>The join in sqlite3: both files imported into an in-memory database, then joined and grouped.</summary>
    public static IReadOnlyList<string> SqliteJoin(string lineItem, string orders) => Sqlite(
        $".import --csv '{lineItem}' lineitem\n.import --csv '{orders}' orders",
        """
        SELECT o_orderpriority || '|' || printf('%.2f', SUM(l_extendedprice * (1 - l_discount)))
        FROM lineitem JOIN orders ON l_orderkey = o_orderkey GROUP BY o_orderpriority ORDER BY 1;
        """);

    private static IReadOnlyList<string> Sqlite(string imports, string query)
    {
        string output = Run("sqlite3", [":memory:"], [], stdin: imports + "\n" + query + "\n");
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
    }

    private static string Run(string program, IReadOnlyList<string> args, Dictionary<string, string> env, string? stdin = null)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = stdin is not null };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        foreach (var (k, v) in env) info.Environment[k] = v;
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {program}.");
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} exited with {process.ExitCode}: {stderr.Result.Trim()}");
        return stdout.Result;
    }

    /// <summary>Whether a program is on PATH.</summary>
    public static bool Available(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => File.Exists(Path.Combine(dir, program)));
}
