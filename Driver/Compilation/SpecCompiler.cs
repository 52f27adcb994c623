using System.Globalization;
using System.Security.Cryptography;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Spark.Serverless.Driver.Spec;

namespace Spark.Serverless.Driver.Compilation;

/// <summary>
/// Compiles a spec's generated C# with Roslyn, once, in the driver (executors never run Roslyn).
/// Errors come back in the spec's terms: the step, and for a lambda the line and column inside its <c>fn</c>.
/// </summary>
public static class SpecCompiler
{
    private static readonly Lazy<MetadataReference[]> References = new(LoadReferences);

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly CSharpCompilationOptions CompilationOptions = new(
        OutputKind.DynamicallyLinkedLibrary,
        optimizationLevel: OptimizationLevel.Release,
        nullableContextOptions: NullableContextOptions.Disable,
        deterministic: true,
        concurrentBuild: false);

    /// <summary>Compiles the spec.</summary>
    /// <exception cref="SpecException">A lambda is not one C# expression, or the code does not compile.</exception>
    public static CompiledApp Compile(JobSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        CheckLambdas(spec);
        string source = SpecCodeGenerator.Generate(spec);
        var tree = CSharpSyntaxTree.ParseText(source, ParseOptions, path: "job.cs");
        var compilation = CSharpCompilation.Create("SparkJob." + Hash(source)[..16], [tree], References.Value, CompilationOptions);
        using var output = new MemoryStream();
        var result = compilation.Emit(output);
        if (!result.Success)
        {
            var errors = result.Diagnostics
                .Where(d => d.Severity == DiagnosticSeverity.Error)
                .Select(d => Describe(d, spec))
                .Distinct()
                .Take(20)
                .ToList();
            throw new SpecException(errors);
        }
        byte[] assembly = output.ToArray();
        return new CompiledApp(assembly, Convert.ToHexStringLower(SHA256.HashData(assembly)), SpecCodeGenerator.TypeName);
    }

    /// <summary>Loads the references and the compiler so the first submission does not pay for them.</summary>
    public static void WarmUp()
    {
        var spec = new JobSpec("warm-up", new SpecSettings(null, null, null, null), [],
        [
            new SpecStep { Index = 1, Id = "a", HasExplicitId = true, Op = SpecOp.All["textFile"], Path = "warm/up" },
            new SpecStep { Index = 2, Id = "b", HasExplicitId = true, Op = SpecOp.All["map"], From = "a", Fn = "s => (s, 1L)" },
            new SpecStep { Index = 3, Id = "c", HasExplicitId = true, Op = SpecOp.All["reduceByKey"], From = "b", Fn = "(x, y) => x + y" },
            new SpecStep { Index = 4, Id = "d", HasExplicitId = true, Op = SpecOp.All["saveAsTextFile"], From = "c", Path = "warm/out" },
        ]);
        Compile(spec);
    }

    /// <summary>Each fn must be exactly one expression: anything else could break out of its slot in the generated class.</summary>
    private static void CheckLambdas(JobSpec spec)
    {
        var errors = new List<string>();
        foreach (var step in spec.Steps.Where(s => s.Fn is not null))
        {
            if (step.Fn!.Split('\n').Any(line => line.TrimStart().StartsWith('#')))
            {
                errors.Add($"{step.Describe()}: 'fn' must not contain preprocessor directives.");
                continue;
            }
            var expression = SyntaxFactory.ParseExpression(step.Fn, options: ParseOptions, consumeFullText: true);
            foreach (var d in expression.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Take(3))
            {
                var position = d.Location.GetLineSpan().StartLinePosition;
                errors.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{step.Describe()}: fn ({position.Line + 1},{position.Character + 1}): error {d.Id}: {d.GetMessage(CultureInfo.InvariantCulture)}"));
            }
        }
        if (errors.Count > 0) throw new SpecException(errors);
    }

    private static string Describe(Diagnostic diagnostic, JobSpec spec)
    {
        var span = diagnostic.Location.GetMappedLineSpan();
        string message = $"error {diagnostic.Id}: {diagnostic.GetMessage(CultureInfo.InvariantCulture)}";
        string file = span.Path ?? "";
        if (file.StartsWith("fn:", StringComparison.Ordinal))
        {
            var step = spec.Steps.First(s => s.Id == file[3..]);
            var position = span.StartLinePosition;
            return string.Create(CultureInfo.InvariantCulture, $"{step.Describe()}: fn ({position.Line + 1},{position.Character + 1}): {message}");
        }
        if (file.StartsWith("step:", StringComparison.Ordinal))
        {
            var step = spec.Steps.First(s => s.Id == file[5..]);
            return $"{step.Describe()}: {message}";
        }
        if (file == SpecCodeGenerator.UsingsFile)
            return $"usings: {message}";
        return $"generated code: {message}";
    }

    private static MetadataReference[] LoadReferences()
    {
        // The running framework's own assemblies plus Core: what the generated code may use.
        string frameworkDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        return Directory.EnumerateFiles(frameworkDir, "*.dll")
            .Where(f => !Path.GetFileName(f).StartsWith("Microsoft.VisualBasic", StringComparison.Ordinal))
            .Append(typeof(JobContext).Assembly.Location)
            .Select(f => (MetadataReference)MetadataReference.CreateFromFile(f))
            .ToArray();
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
}
