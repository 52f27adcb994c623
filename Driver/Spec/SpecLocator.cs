using System.Text.Json;
using System.Text.RegularExpressions;

namespace Spark.Serverless.Driver.Spec;

/// <summary>
/// Finds where a spec's steps and their fields are in the submitted JSON text, so that problems can be shown next
/// to the line they concern (the submit page shows them inline).
/// </summary>
public sealed partial class SpecLocator
{
    private readonly byte[] _json;
    private readonly List<(int Offset, string? Id, Dictionary<string, int> Fields)> _steps = [];

    private SpecLocator(byte[] json)
    {
        _json = json;
        Scan();
    }

    /// <summary>Locates what it can in a spec's text; text that is not JSON yields no locations.</summary>
    public static SpecLocator For(ReadOnlyMemory<byte> json) => new(json.ToArray());

    /// <summary>The problem with its place in the document filled in, when it can be found.</summary>
    public SpecProblem Locate(SpecProblem problem)
    {
        if (problem.DocumentLine is not null) return problem;
        int? step = problem.Step ?? StepNamedIn(problem.Message);
        if (step is not int s || s < 1 || s > _steps.Count) return problem with { Step = step };
        var (offset, _, fields) = _steps[s - 1];
        int column = 0;
        if (problem.Field is { } field && fields.TryGetValue(field, out int at))
        {
            offset = at;
            // Inside a one-line C# field the column points at the character; the value's opening quote comes first.
            if (problem.Line is 1 && problem.Column is int c) column = c;
        }
        var (line, col) = Position(offset);
        return problem with { Step = s, DocumentLine = line, DocumentColumn = col + column };
    }

    /// <summary>The step a sentence names (<c>Step 3</c>, <c>step 'counts'</c>), if any.</summary>
    private int? StepNamedIn(string message)
    {
        var match = StepPattern().Match(message);
        if (!match.Success) return null;
        if (match.Groups[1].Success) return int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        int index = _steps.FindIndex(s => s.Id == match.Groups[2].Value);
        return index < 0 ? null : index + 1;
    }

    [GeneratedRegex(@"^[Ss]tep (?:(\d+)|'([^']+)')")]
    private static partial Regex StepPattern();

    private void Scan()
    {
        try
        {
            var reader = new Utf8JsonReader(_json, new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            string? property = null;
            bool inSteps = false;
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName when reader.CurrentDepth == 1:
                        property = reader.GetString();
                        break;
                    case JsonTokenType.StartArray when reader.CurrentDepth == 1 && property == "steps":
                        inSteps = true;
                        break;
                    case JsonTokenType.EndArray when reader.CurrentDepth == 1:
                        inSteps = false;
                        break;
                    case JsonTokenType.StartObject when inSteps && reader.CurrentDepth == 2:
                        _steps.Add(((int)reader.TokenStartIndex, null, new Dictionary<string, int>(StringComparer.Ordinal)));
                        break;
                    case JsonTokenType.PropertyName when inSteps && reader.CurrentDepth == 3:
                        string name = reader.GetString()!;
                        reader.Read();
                        var current = _steps[^1];
                        current.Fields[name] = (int)reader.TokenStartIndex;
                        if (name == "id" && reader.TokenType == JsonTokenType.String) _steps[^1] = current with { Id = reader.GetString() };
                        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) reader.Skip();
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // Broken JSON: what was found before the break is still useful.
        }
    }

    private (int Line, int Column) Position(int offset)
    {
        int line = 1, start = 0;
        for (int i = 0; i < offset && i < _json.Length; i++)
            if (_json[i] == '\n')
            {
                line++;
                start = i + 1;
            }
        return (line, offset - start + 1);
    }
}
