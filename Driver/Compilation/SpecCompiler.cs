using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;
using Spark.Serverless.Driver.Spec;

namespace Spark.Serverless.Driver.Compilation;

/// <summary>
/// Compiles a spec's generated C# with Roslyn, once, in the driver (executors never run Roslyn).
/// Errors come back in the spec's terms: the step, and for a C# field the line and column inside it.
/// </summary>
public static class SpecCompiler
{
    private const string WarmUpSpec = """
        { "steps": [
          { "id": "a", "op": "textFile", "path": "warm/up" },
          { "id": "b", "op": "map", "from": "a", "fn": "s => (s, 1L)" },
          { "id": "c", "op": "reduceByKey", "from": "b", "fn": "(x, y) => x + y" },
          { "op": "saveAsTextFile", "from": "c", "path": "warm/out" } ] }
        """;

    private static readonly Lazy<MetadataReference[]> References = new(LoadReferences);

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly CSharpCompilationOptions CompilationOptions = new(
        OutputKind.DynamicallyLinkedLibrary,
        optimizationLevel: OptimizationLevel.Release,
        nullableContextOptions: NullableContextOptions.Disable,
        deterministic: true,
        concurrentBuild: false);

    /// <summary>Compiles the spec.</summary>
    /// <param name="spec">The spec.</param>
    /// <param name="persistedTypes">The C# record type of each persisted dataset the spec reads by name.</param>
    /// <exception cref="SpecException">A C# field is not one expression, or the code does not compile.</exception>
    public static CompiledApp Compile(JobSpec spec, IReadOnlyDictionary<string, string>? persistedTypes = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        CheckExpressions(spec);
        string source = SpecCodeGenerator.Generate(spec, persistedTypes);
        // The same spec submitted again (a scheduled job, a benchmark loop) reuses its assembly: Roslyn costs
        // hundreds of milliseconds, more than a small job's whole run.
        string key = Hash(source);
        lock (Compiled)
        {
            if (Compiled.TryGetValue(key, out var cached)) return cached;
        }
        var app = Emit(source, key, spec);
        lock (Compiled)
        {
            if (Compiled.Count >= CacheSize) Compiled.Clear();
            Compiled[key] = app;
        }
        return app;
    }

    /// <summary>How many compiled specs the driver keeps; past that the cache starts over (assemblies are small).</summary>
    private const int CacheSize = 64;

    private static readonly Dictionary<string, CompiledApp> Compiled = new(StringComparer.Ordinal);

    private static CompiledApp Emit(string source, string hash, JobSpec spec)
    {
        var tree = CSharpSyntaxTree.ParseText(source, ParseOptions, path: "job.cs", encoding: Encoding.UTF8);
        var compilation = CSharpCompilation.Create("SparkJob." + hash[..16], [tree], References.Value, CompilationOptions);
        using var output = new MemoryStream();
        // The PDB travels inside the assembly, so a failing lambda's stack frame names its field, step and line.
        var result = compilation.Emit(output, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.Embedded));
        if (!result.Success)
        {
            var problems = result.Diagnostics
                .Where(d => d.Severity == DiagnosticSeverity.Error)
                .Select(d => Describe(d, spec))
                .DistinctBy(p => p.Message)
                .Take(20)
                .ToList();
            throw new SpecException(problems);
        }
        byte[] assembly = output.ToArray();
        return new CompiledApp(assembly, Convert.ToHexStringLower(SHA256.HashData(assembly)), SpecCodeGenerator.TypeName);
    }

    /// <summary>Loads the references and the compiler so the first submission does not pay for them.</summary>
    public static void WarmUp() => Compile(SpecParser.Parse(Encoding.UTF8.GetBytes(WarmUpSpec)));

    /// <summary>Each C# field must be exactly one expression: anything else could break out of its slot in the generated class.</summary>
    private static void CheckExpressions(JobSpec spec)
    {
        var errors = new List<SpecProblem>();
        foreach (var step in spec.Steps)
        {
            foreach (var field in step.Fields.Keys.Where(f => SpecOp.FieldTypes[f] == SpecFieldType.Code))
            {
                string text = step.Text(field)!;
                if (text.Split('\n').Any(line => line.TrimStart().StartsWith('#')))
                {
                    errors.Add(new SpecProblem($"{step.Describe()}: '{field}' must not contain preprocessor directives.", step.Index, field));
                    continue;
                }
                var expression = SyntaxFactory.ParseExpression(text, options: ParseOptions, consumeFullText: true);
                foreach (var d in expression.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Take(3))
                {
                    var position = d.Location.GetLineSpan().StartLinePosition;
                    errors.Add(new SpecProblem(string.Create(CultureInfo.InvariantCulture,
                        $"{step.Describe()}: {field} ({position.Line + 1},{position.Character + 1}): error {d.Id}: {d.GetMessage(CultureInfo.InvariantCulture)}"),
                        step.Index, field, position.Line + 1, position.Character + 1));
                }
            }
        }
        if (errors.Count > 0) throw new SpecException(errors);
    }

    private static SpecProblem Describe(Diagnostic diagnostic, JobSpec spec)
    {
        var span = diagnostic.Location.GetMappedLineSpan();
        string message = $"error {diagnostic.Id}: {diagnostic.GetMessage(CultureInfo.InvariantCulture)}";
        string file = span.Path ?? "";
        if (file == SpecCodeGenerator.UsingsFile) return new SpecProblem($"usings: {message}");
        int colon = file.IndexOf(':', StringComparison.Ordinal);
        var step = colon < 0 ? null : spec.Steps.FirstOrDefault(s => s.Id == file[(colon + 1)..]);
        if (step is null) return new SpecProblem($"generated code: {message}");
        string field = file[..colon];
        if (field == "step") return new SpecProblem($"{step.Describe()}: {message}", step.Index);
        var position = span.StartLinePosition;
        return new SpecProblem(string.Create(CultureInfo.InvariantCulture, $"{step.Describe()}: {field} ({position.Line + 1},{position.Character + 1}): {message}"),
            step.Index, field, position.Line + 1, position.Character + 1);
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

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
