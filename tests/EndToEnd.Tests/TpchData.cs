using System.Globalization;
using System.Text;

namespace Spark.Serverless.EndToEnd.Tests;

/// <summary>Small TPC-H-like tables for the tests, with the rows kept so the test can compute the answer itself.</summary>
internal static class TpchData
{
    public sealed record LineItem(int OrderKey, decimal Quantity, decimal Price, decimal Discount, decimal Tax, string ReturnFlag, string LineStatus, string ShipDate, string Comment);

    public sealed record Order(int OrderKey, int CustKey, decimal Total);

    public sealed record Customer(int CustKey, string Name);

    /// <summary>lineitem rows as CSV with a header; comments hold commas, quotes and (sometimes) nothing.</summary>
    public static (string Csv, List<LineItem> Rows) LineItems(int seed, int count)
    {
        var random = new Random(seed);
        var rows = new List<LineItem>();
        string[] comments = ["quickly, carefully", "the \"final\" packages", "", "plain", "ironic, \"regular\" deposits, sleep"];
        for (int i = 0; i < count; i++)
        {
            var ship = new DateOnly(1992, 1, 1).AddDays(random.Next(2500));
            string flag = ship > new DateOnly(1995, 6, 17) ? "N" : random.Next(2) == 0 ? "A" : "R";
            string status = ship > new DateOnly(1995, 6, 17) ? (random.Next(10) == 0 ? "F" : "O") : "F";
            rows.Add(new LineItem(i / 4 + 1, random.Next(1, 51), Math.Round((decimal)(random.NextDouble() * 100000), 2), random.Next(0, 11) / 100m,
                random.Next(0, 9) / 100m, flag, status, ship.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), comments[random.Next(comments.Length)]));
        }
        string csv = Csv(["orderkey", "quantity", "extendedprice", "discount", "tax", "returnflag", "linestatus", "shipdate", "comment"],
            rows.Select(r => new[] { $"{r.OrderKey}", Text(r.Quantity), Text(r.Price), Text(r.Discount), Text(r.Tax), r.ReturnFlag, r.LineStatus, r.ShipDate, r.Comment }));
        return (csv, rows);
    }

    /// <summary>Orders whose customer key is 1 for <paramref name="skewedShare"/> of them; customers 1-150 (orders also name 151-200).</summary>
    public static (List<Order> Orders, List<Customer> Customers) OrdersAndCustomers(int seed, int orderCount, double skewedShare)
    {
        var random = new Random(seed);
        var orders = Enumerable.Range(1, orderCount)
            .Select(k => new Order(k, random.NextDouble() < skewedShare ? 1 : random.Next(2, 201), Math.Round((decimal)(random.NextDouble() * 5000), 2)))
            .ToList();
        var customers = Enumerable.Range(1, 150).Select(c => new Customer(c, c % 10 == 0 ? $"Smith, \"Customer\" {c}" : $"Customer#{c:D5}")).ToList();
        return (orders, customers);
    }

    /// <summary>RFC 4180 CSV with a header; fields with a comma, quote or line break are quoted.</summary>
    public static string Csv(string[] header, IEnumerable<string[]> rows)
    {
        var text = new StringBuilder(string.Join(',', header)).Append("\r\n");
        foreach (var row in rows) text.Append(string.Join(',', row.Select(Quote))).Append("\r\n");
        return text.ToString();
    }

    private static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;

    private static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
