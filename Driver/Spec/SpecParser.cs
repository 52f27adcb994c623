using System.Text.Json;
using System.Text.RegularExpressions;
using Spark.Serverless.IO;

namespace Spark.Serverless.Driver.Spec;

/// <summary>
/// Parses and validates a JSON job spec. Every problem is collected with the step it belongs to, so one
/// round trip tells the user all that is wrong. No lambda is compiled here (see <c>SpecCompiler</c>).
/// </summary>
public static partial class SpecParser
{
    private static readonly HashSet<string> RootFields = ["name", "settings", "usings", "steps"];
    private static readonly HashSet<string> SettingFields =
    [
        "shufflePartitions", "maxTaskFailures", "speculation", "maxSplitBytes", "defaultParallelism", "maxResultBytes",
        "speculationQuantile", "speculationMultiplier", "speculationMinTaskRuntimeMs", "speculationIntervalMs", "retryBackoffMs",
    ];

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,63}$")]
    private static partial Regex StepId();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex Name();

    [GeneratedRegex(@"^(static\s+)?[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")]
    private static partial Regex UsingDirective();

    /// <summary>Parses a spec.</summary>
    /// <exception cref="SpecException">The body is not valid JSON or the spec is not valid; the message names each problem.</exception>
    public static JobSpec Parse(ReadOnlyMemory<byte> json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = false, MaxDepth = 32 });
        }
        catch (JsonException e)
        {
            throw new SpecException([new SpecProblem($"The request body is not valid JSON: {e.Message}",
                DocumentLine: (int?)e.LineNumber + 1, DocumentColumn: (int?)e.BytePositionInLine + 1)]);
        }
        using (document)
        {
            var errors = new List<string>();
            var spec = Parse(document.RootElement, errors);
            if (errors.Count > 0) throw new SpecException(errors);
            return spec!;
        }
    }

    private static JobSpec? Parse(JsonElement root, List<string> errors)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"The spec must be a JSON object with 'steps', not {Describe(root.ValueKind)}.");
            return null;
        }
        foreach (var property in root.EnumerateObject())
            if (!RootFields.Contains(property.Name))
                errors.Add($"Unknown top-level field '{property.Name}'; expected {string.Join(", ", RootFields)}.");

        string name = "job";
        if (root.TryGetProperty("name", out var nameElement))
        {
            if (nameElement.ValueKind != JsonValueKind.String || nameElement.GetString() is not { Length: > 0 and <= 200 } n)
                errors.Add("'name' must be a string of 1 to 200 characters.");
            else name = n;
        }
        return new JobSpec(name, ParseSettings(root, errors), ParseUsings(root, errors), ParseSteps(root, errors));
    }

    /// <summary>Parses a settings object given on its own (an assembly submission's <c>settings</c> field).</summary>
    /// <exception cref="SpecException">It is not valid JSON or holds an unknown or bad setting.</exception>
    public static SpecSettings ParseSettings(string json)
    {
        var errors = new List<string>();
        SpecSettings settings;
        try
        {
            using var document = JsonDocument.Parse("{\"settings\":" + json + "}");
            settings = ParseSettings(document.RootElement, errors);
        }
        catch (JsonException e)
        {
            throw new SpecException($"'settings' is not valid JSON: {e.Message}");
        }
        if (errors.Count > 0) throw new SpecException(errors);
        return settings;
    }

    private static SpecSettings ParseSettings(JsonElement root, List<string> errors)
    {
        if (!root.TryGetProperty("settings", out var element)) return SpecSettings.None;
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add("'settings' must be an object.");
            return SpecSettings.None;
        }
        foreach (var property in element.EnumerateObject())
            if (!SettingFields.Contains(property.Name))
                errors.Add($"Unknown setting '{property.Name}'; known settings are {string.Join(", ", SettingFields)}.");
        return new SpecSettings(
            (int?)Integer(element, "shufflePartitions", "settings", 1, 100_000, errors),
            (int?)Integer(element, "maxTaskFailures", "settings", 1, 100, errors),
            Boolean(element, "speculation", "settings", errors),
            Integer(element, "maxSplitBytes", "settings", 1024, long.MaxValue, errors),
            (int?)Integer(element, "defaultParallelism", "settings", 1, 100_000, errors),
            Integer(element, "maxResultBytes", "settings", 1024, long.MaxValue, errors))
        {
            SpeculationQuantile = Number(element, "speculationQuantile", 0, 1, errors),
            SpeculationMultiplier = Number(element, "speculationMultiplier", 1, 1000, errors),
            SpeculationMinTaskRuntimeMs = (int?)Integer(element, "speculationMinTaskRuntimeMs", "settings", 0, 86_400_000, errors),
            SpeculationIntervalMs = (int?)Integer(element, "speculationIntervalMs", "settings", 10, 3_600_000, errors),
            RetryBackoffMs = (int?)Integer(element, "retryBackoffMs", "settings", 0, 60_000, errors),
        };
    }

    private static List<string> ParseUsings(JsonElement root, List<string> errors)
    {
        var usings = new List<string>();
        if (!root.TryGetProperty("usings", out var element)) return usings;
        if (element.ValueKind != JsonValueKind.Array)
        {
            errors.Add("'usings' must be an array of namespace names.");
            return usings;
        }
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String && item.GetString() is { } u && UsingDirective().IsMatch(u.Trim()))
                usings.Add(u.Trim());
            else
                errors.Add($"'usings' entry {item.GetRawText()} is not a namespace name such as \"System.Globalization\".");
        }
        return usings;
    }

    private static List<SpecStep> ParseSteps(JsonElement root, List<string> errors)
    {
        var steps = new List<SpecStep>();
        if (!root.TryGetProperty("steps", out var element) || element.ValueKind != JsonValueKind.Array || element.GetArrayLength() == 0)
        {
            errors.Add("'steps' must be a non-empty array of steps.");
            return steps;
        }
        var byId = new Dictionary<string, SpecStep>(StringComparer.Ordinal);
        int index = 0;
        foreach (var item in element.EnumerateArray())
        {
            index++;
            var step = ParseStep(item, index, byId, errors);
            if (step is null) continue;
            if (!byId.TryAdd(step.Id, step))
                errors.Add($"Step {index}: duplicate step id '{step.Id}' (step {byId[step.Id].Index} has it already).");
            steps.Add(step);
        }
        if (steps.Count > 0 && !steps.Any(s => s.Op.Kind == SpecOpKind.Action))
            errors.Add($"The spec has no action step ({string.Join(", ", SpecOp.All.Values.Where(o => o.Kind == SpecOpKind.Action).Select(o => o.Name))}): nothing would run.");
        return steps;
    }

    private static SpecStep? ParseStep(JsonElement item, int index, Dictionary<string, SpecStep> earlier, List<string> errors)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"Step {index} must be an object, not {Describe(item.ValueKind)}.");
            return null;
        }
        string? id = null;
        if (item.TryGetProperty("id", out var idElement))
        {
            if (idElement.ValueKind != JsonValueKind.String || !StepId().IsMatch(idElement.GetString()!) || idElement.GetString() == "ctx")
                errors.Add($"Step {index}: id {idElement.GetRawText()} must be an identifier (letters, digits, '_'; at most 64; not 'ctx').");
            else id = idElement.GetString();
        }
        string where = id is null ? $"Step {index}" : $"Step '{id}'";
        if (!item.TryGetProperty("op", out var opElement) || opElement.ValueKind != JsonValueKind.String)
        {
            errors.Add($"{where}: missing 'op' (one of {string.Join(", ", SpecOp.All.Keys)}).");
            return null;
        }
        string opName = opElement.GetString()!;
        if (!SpecOp.All.TryGetValue(opName, out var op))
        {
            errors.Add($"{where}: unknown op '{opName}'; known ops are {string.Join(", ", SpecOp.All.Keys)}.");
            return null;
        }
        where = $"{where} ({op.Name})";
        if (op.Kind == SpecOpKind.Variable && id is null)
            errors.Add($"{where}: a {op.Name} needs an 'id': lambdas refer to it by that name.");

        var fields = new Dictionary<string, JsonElement>();
        foreach (var property in item.EnumerateObject())
        {
            if (SpecOp.CommonFields.Contains(property.Name)) continue;
            if (!op.Required.Contains(property.Name) && !op.Optional.Contains(property.Name))
                errors.Add($"{where}: unknown field '{property.Name}' for {op.Name}.");
            else if (CheckField(property.Name, property.Value, where, errors))
                fields[property.Name] = property.Value.Clone();
        }
        foreach (var field in op.Required)
            if (!item.TryGetProperty(field, out _))
                errors.Add($"{where}: missing '{field}'.");

        string? from = Reference(item, "from", op.NeedsFrom, where, earlier, errors);
        string? with = Reference(item, "with", op.NeedsWith, where, earlier, errors);
        var (persist, persistName) = ParsePersist(item, op, where, errors);
        return new SpecStep
        {
            Index = index,
            Id = id ?? $"step{index}",
            HasExplicitId = id is not null,
            Op = op,
            From = from,
            With = with,
            Persist = persist,
            PersistName = persistName,
            Fields = fields,
        };
    }

    /// <summary>A <c>from</c> or <c>with</c>: required when the op reads it, forbidden otherwise, naming an earlier dataset step.</summary>
    private static string? Reference(JsonElement item, string field, bool needed, string where, Dictionary<string, SpecStep> earlier, List<string> errors)
    {
        if (!item.TryGetProperty(field, out var value))
        {
            if (needed) errors.Add($"{where}: missing '{field}' (the id of an earlier step).");
            return null;
        }
        if (!needed)
        {
            errors.Add($"{where}: '{field}' is not allowed for this op.");
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add($"{where}: '{field}' must be a string, not {Describe(value.ValueKind)}.");
            return null;
        }
        string target = value.GetString()!;
        if (!earlier.TryGetValue(target, out var input))
            errors.Add($"{where}: '{field}' names '{target}', which is no earlier step.");
        else if (!input.Op.MakesDataset)
            errors.Add($"{where}: '{field}' names '{target}', a {input.Op.Name}, which makes no dataset.");
        return target;
    }

    private static (bool Persist, string? Name) ParsePersist(JsonElement item, SpecOp op, string where, List<string> errors)
    {
        if (!item.TryGetProperty("persist", out var value)) return (false, null);
        if (!op.MakesDataset)
        {
            errors.Add($"{where}: only steps that make a dataset can be persisted.");
            return (false, null);
        }
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False) return (value.GetBoolean(), null);
        if (value.ValueKind == JsonValueKind.String && Name().IsMatch(value.GetString()!)) return (true, value.GetString());
        errors.Add($"{where}: 'persist' must be true, false, or a name (letters, digits, '_' or '-'), not {value.GetRawText()}.");
        return (false, null);
    }

    private static bool CheckField(string field, JsonElement value, string where, List<string> errors)
    {
        string? problem = SpecOp.FieldTypes[field] switch
        {
            SpecFieldType.Path => value.ValueKind != JsonValueKind.String ? $"'{field}' must be a string, not {Describe(value.ValueKind)}"
                : BlobPath.TryParse(value.GetString(), out _, out var pathError) ? null : pathError,
            SpecFieldType.Code => value.ValueKind != JsonValueKind.String ? $"'{field}' must be a string of C#, not {Describe(value.ValueKind)}"
                : string.IsNullOrWhiteSpace(value.GetString()) ? $"'{field}' is empty" : null,
            SpecFieldType.Count => value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int n) && n >= 0 ? null
                : $"'{field}' must be a whole number of 0 or more, not {value.GetRawText()}",
            SpecFieldType.Integer => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _) ? null
                : $"'{field}' must be a whole number, not {value.GetRawText()}",
            SpecFieldType.Boolean => value.ValueKind is JsonValueKind.True or JsonValueKind.False ? null
                : $"'{field}' must be true or false, not {value.GetRawText()}",
            SpecFieldType.Character => value.ValueKind == JsonValueKind.String && value.GetString()!.Length == 1 && value.GetString() is not ("\"" or "\n" or "\r") ? null
                : $"'{field}' must be one character (not a quote or a line break), not {value.GetRawText()}",
            SpecFieldType.Array => value.ValueKind == JsonValueKind.Array ? null : $"'{field}' must be a JSON array, not {Describe(value.ValueKind)}",
            SpecFieldType.Name => value.ValueKind == JsonValueKind.String && Name().IsMatch(value.GetString()!) ? null
                : $"'{field}' must be a name of 1-64 letters, digits, '_' or '-', not {value.GetRawText()}",
            _ => null,
        };
        if (problem is null) return true;
        errors.Add($"{where}: {problem}.");
        return false;
    }

    private static long? Integer(JsonElement element, string field, string where, long min, long max, List<string> errors)
    {
        if (!element.TryGetProperty(field, out var value)) return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long n) && n >= min && n <= max) return n;
        errors.Add($"{where}: '{field}' must be a whole number from {min} to {max}, not {value.GetRawText()}.");
        return null;
    }

    private static double? Number(JsonElement element, string field, double min, double max, List<string> errors)
    {
        if (!element.TryGetProperty(field, out var value)) return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out double n) && n >= min && n <= max) return n;
        errors.Add($"settings: '{field}' must be a number from {min} to {max}, not {value.GetRawText()}.");
        return null;
    }

    private static bool? Boolean(JsonElement element, string field, string where, List<string> errors)
    {
        if (!element.TryGetProperty(field, out var value)) return null;
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False) return value.GetBoolean();
        errors.Add($"{where}: '{field}' must be true or false, not {value.GetRawText()}.");
        return null;
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString(),
    };
}
