namespace Spark.Serverless.Bench.Harness;

/// <summary>The workloads' job specs: JSON with C# lambdas, as a user submits them.</summary>
internal static class Workloads
{
    /// <summary>Where the benchmark's inputs go in storage.</summary>
    public const string InputPrefix = "input/bench";

    /// <summary>Where the benchmark's outputs go.</summary>
    public const string OutputPrefix = "output/bench";

    /// <summary>Spark's classic word count: words are what <c>split(" ")</c> gives.</summary>
    public static string WordCount(int partitions) => $$"""
        { "name": "bench-wordcount", "settings": { "shufflePartitions": {{partitions}} },
          "steps": [
            { "id": "lines",  "op": "textFile",    "path": "{{InputPrefix}}/text/*.txt" },
            { "id": "words",  "op": "flatMap",     "from": "lines", "fn": "line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)" },
            { "id": "pairs",  "op": "map",         "from": "words", "fn": "w => (w, 1L)" },
            { "id": "counts", "op": "reduceByKey", "from": "pairs", "fn": "(a, b) => a + b" },
            {                 "op": "saveAsTextFile", "from": "counts", "path": "{{OutputPrefix}}/wordcount", "overwrite": true } ] }
        """;

    /// <summary>TeraSort's shape: sample, range-partition on the 10-byte key, sort each partition, write.</summary>
    public static string Sort(int partitions) => $$"""
        { "name": "bench-sort",
          "steps": [
            { "id": "records", "op": "textFile", "path": "{{InputPrefix}}/sort/*.txt" },
            { "id": "sorted",  "op": "sortBy",   "from": "records", "key": "r => r.Substring(0, 10)", "numPartitions": {{partitions}} },
            {                  "op": "saveAsTextFile", "from": "sorted", "path": "{{OutputPrefix}}/sort", "overwrite": true } ] }
        """;

    /// <summary>TPC-H Q1: filter by ship date, sum and average per return flag and line status; numbers read as typed columns.</summary>
    public static string Q1(int partitions) => $$"""
        { "name": "bench-q1", "settings": { "shufflePartitions": {{partitions}} },
          "steps": [
            { "id": "lineitem", "op": "csv", "path": "{{InputPrefix}}/tpch/lineitem.csv", "header": true },
            { "id": "shipped",  "op": "filter", "from": "lineitem", "fn": "r => string.CompareOrdinal(r[10], \"1998-09-02\") <= 0" },
            { "id": "keyed",    "op": "map", "from": "shipped",
              "fn": "r => (r[8] + \"|\" + r[9], (Qty: r.GetDouble(4), Price: r.GetDouble(5), Disc: r.GetDouble(6), Tax: r.GetDouble(7)))" },
            { "id": "sums",     "op": "aggregateByKey", "from": "keyed",
              "zero":   "(Qty: 0.0, Base: 0.0, DiscPrice: 0.0, Charge: 0.0, Disc: 0.0, Count: 0L)",
              "seqOp":  "(a, r) => (a.Qty + r.Qty, a.Base + r.Price, a.DiscPrice + r.Price * (1 - r.Disc), a.Charge + r.Price * (1 - r.Disc) * (1 + r.Tax), a.Disc + r.Disc, a.Count + 1)",
              "combOp": "(a, b) => (a.Qty + b.Qty, a.Base + b.Base, a.DiscPrice + b.DiscPrice, a.Charge + b.Charge, a.Disc + b.Disc, a.Count + b.Count)" },
            { "id": "report",   "op": "map", "from": "sums",
              "fn": "kv => string.Create(CultureInfo.InvariantCulture, $\"{kv.Key}|{kv.Value.Qty:F2}|{kv.Value.Base:F2}|{kv.Value.DiscPrice:F2}|{kv.Value.Charge:F2}|{kv.Value.Qty / kv.Value.Count:F4}|{kv.Value.Base / kv.Value.Count:F4}|{kv.Value.Disc / kv.Value.Count:F4}|{kv.Value.Count}\")" },
            {                   "op": "saveAsTextFile", "from": "report", "path": "{{OutputPrefix}}/q1", "overwrite": true } ] }
        """;

    /// <summary>Revenue per order priority: a shuffle join of line items with orders on the order key, then a small aggregation.</summary>
    public static string Join(int partitions) => $$"""
        { "name": "bench-join", "settings": { "shufflePartitions": {{partitions}} },
          "steps": [
            { "id": "lineitem", "op": "csv", "path": "{{InputPrefix}}/tpch/lineitem.csv", "header": true },
            { "id": "revenue",  "op": "map", "from": "lineitem", "fn": "r => (r.GetLong(0), r.GetDouble(5) * (1 - r.GetDouble(6)))" },
            { "id": "orders",   "op": "csv", "path": "{{InputPrefix}}/tpch/orders.csv", "header": true },
            { "id": "priority", "op": "map", "from": "orders", "fn": "r => (r.GetLong(0), r[5])" },
            { "id": "joined",   "op": "join", "from": "revenue", "with": "priority" },
            { "id": "byPriority", "op": "map", "from": "joined", "fn": "j => (j.Value.Right, j.Value.Left)" },
            { "id": "totals",   "op": "reduceByKey", "from": "byPriority", "fn": "(a, b) => a + b", "numPartitions": 1 },
            { "id": "lines",    "op": "map", "from": "totals", "fn": "t => t.Key + \"|\" + t.Value.ToString(\"F2\", CultureInfo.InvariantCulture)" },
            {                   "op": "saveAsTextFile", "from": "lines", "path": "{{OutputPrefix}}/join", "overwrite": true } ] }
        """;

    /// <summary>A job whose tasks do nothing: <paramref name="tasks"/> slices of an empty-ish range, counted.</summary>
    public static string NoOp(int tasks) => $$"""
        { "name": "bench-noop", "steps": [
            { "id": "r", "op": "range", "end": {{tasks}}, "numSlices": {{tasks}} },
            { "op": "count", "from": "r" } ] }
        """;
}
