using System.Globalization;
using System.Text;

namespace Spark.Serverless.Bench.Generators;

/// <summary>
/// TPC-H-like <c>orders</c> and <c>lineitem</c> tables as CSV with a header (dbgen's columns and value ranges, not its
/// exact text): one to seven line items per order, ship dates 1992-1998, flags and statuses as Q1 expects them.
/// Comments sometimes hold commas and quotes, so readers must handle RFC 4180 quoting.
/// </summary>
public static class TpchGenerator
{
    private static readonly string[] Priorities = ["1-URGENT", "2-HIGH", "3-MEDIUM", "4-NOT SPECIFIED", "5-LOW"];
    private static readonly string[] Instructions = ["DELIVER IN PERSON", "COLLECT COD", "NONE", "TAKE BACK RETURN"];
    private static readonly string[] Modes = ["REG AIR", "AIR", "RAIL", "SHIP", "TRUCK", "MAIL", "FOB"];
    private static readonly string[] Words = ["furiously", "final", "deposits", "carefully", "ironic", "packages", "sleep", "quickly", "regular", "accounts", "blithely", "bold"];
    private static readonly DateOnly Start = new(1992, 1, 1);
    private static readonly DateOnly Cutoff = new(1995, 6, 17);

    /// <summary>The lineitem header.</summary>
    public const string LineItemHeader = "l_orderkey,l_partkey,l_suppkey,l_linenumber,l_quantity,l_extendedprice,l_discount,l_tax,l_returnflag,l_linestatus,l_shipdate,l_commitdate,l_receiptdate,l_shipinstruct,l_shipmode,l_comment";

    /// <summary>The orders header.</summary>
    public const string OrdersHeader = "o_orderkey,o_custkey,o_orderstatus,o_totalprice,o_orderdate,o_orderpriority,o_clerk,o_shippriority,o_comment";

    /// <summary>Writes orders <c>[firstOrder, firstOrder + count)</c> and their line items; returns the line items written.</summary>
    public static long Write(TextWriter orders, TextWriter lineItems, long firstOrder, long count, ulong seed, bool headers)
    {
        var random = new SplitMix64(seed);
        if (headers)
        {
            orders.Write(OrdersHeader + "\n");
            lineItems.Write(LineItemHeader + "\n");
        }
        var line = new StringBuilder(256);
        long items = 0;
        for (long key = firstOrder; key < firstOrder + count; key++)
        {
            var orderDate = Start.AddDays(random.Next(2405));
            int lines = 1 + random.Next(7);
            decimal total = 0;
            bool allFilled = true, noneFilled = true;
            for (int n = 1; n <= lines; n++)
            {
                int quantity = 1 + random.Next(50);
                int part = 1 + random.Next(200_000);
                decimal price = Math.Round(quantity * (900 + part % 1000 + random.Next(100) / 100m), 2);
                decimal discount = random.Next(11) / 100m, tax = random.Next(9) / 100m;
                var ship = orderDate.AddDays(1 + random.Next(121));
                var commit = orderDate.AddDays(30 + random.Next(61));
                var receipt = ship.AddDays(1 + random.Next(30));
                string flag = receipt <= Cutoff ? (random.Next(2) == 0 ? "R" : "A") : "N";
                string status = ship > Cutoff ? "O" : "F";
                allFilled &= status == "F";
                noneFilled &= status == "O";
                total += price * (1 + tax) * (1 - discount);
                line.Clear().Append(key).Append(',').Append(part).Append(',').Append(1 + random.Next(10_000)).Append(',').Append(n).Append(',')
                    .Append(quantity).Append(',').Append(Text(price)).Append(',').Append(Text(discount)).Append(',').Append(Text(tax)).Append(',')
                    .Append(flag).Append(',').Append(status).Append(',').Append(Date(ship)).Append(',').Append(Date(commit)).Append(',').Append(Date(receipt)).Append(',')
                    .Append(Instructions[random.Next(Instructions.Length)]).Append(',').Append(Modes[random.Next(Modes.Length)]).Append(',').Append(Comment(random)).Append('\n');
                lineItems.Write(line);
                items++;
            }
            string orderStatus = allFilled ? "F" : noneFilled ? "O" : "P";
            line.Clear().Append(key).Append(',').Append(1 + random.Next(150_000)).Append(',').Append(orderStatus).Append(',').Append(Text(Math.Round(total, 2))).Append(',')
                .Append(Date(orderDate)).Append(',').Append(Priorities[random.Next(Priorities.Length)]).Append(',').Append("Clerk#").Append((1 + random.Next(1000)).ToString("D9", CultureInfo.InvariantCulture))
                .Append(",0,").Append(Comment(random)).Append('\n');
            orders.Write(line);
        }
        return items;
    }

    private static string Comment(SplitMix64 random)
    {
        var words = Enumerable.Range(0, 2 + random.Next(5)).Select(_ => Words[random.Next(Words.Length)]);
        return random.Next(6) switch
        {
            0 => "\"" + string.Join(", ", words) + "\"",
            1 => "\"the \"\"" + string.Join(' ', words) + "\"\" ones\"",
            _ => string.Join(' ', words),
        };
    }

    private static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
