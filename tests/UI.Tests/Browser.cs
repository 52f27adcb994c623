using Microsoft.Playwright;
using Spark.Serverless.Testing;

namespace Spark.Serverless.UI.Tests;

/// <summary>Debian's Chromium, headless, driven by Playwright (its own browser download cannot work here).</summary>
internal static class Browser
{
    /// <summary>Where Chromium is: <c>$SPARK_CHROMIUM</c>, else Debian's path.</summary>
    public static string Executable =>
        Environment.GetEnvironmentVariable("SPARK_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    /// <summary>Starts Playwright and a headless Chromium.</summary>
    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        if (!File.Exists(Executable))
            throw new InvalidOperationException($"Chromium is not at {Executable}: ./test.sh installs Debian's chromium package (or set SPARK_CHROMIUM).");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Executable,
            Headless = true,
            // This machine's network is closed: without these, Chromium keeps trying to reach Google's services.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        return (playwright, browser);
    }

    /// <summary>Where screenshots go: next to the test results.</summary>
    public static string Screenshot(string name)
    {
        string folder = Directory.CreateDirectory(Path.Combine(RepoPaths.Root, "artifacts", "test-results", "screenshots")).FullName;
        return Path.Combine(folder, name);
    }
}
