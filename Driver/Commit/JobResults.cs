using System.Text.Json.Nodes;
using Spark.Serverless.IO;

namespace Spark.Serverless.Driver.Commit;

/// <summary><c>jobs/{id}/results.json</c>: every action's outcome, written by the job commit and served by <c>GET /api/jobs/{id}/result</c>.</summary>
/// <param name="Id">The job id.</param>
/// <param name="Outputs">One entry per action, in declaration order.</param>
public sealed record JobResults(string Id, IReadOnlyList<ActionOutput> Outputs);

/// <summary>An action's outcome.</summary>
/// <param name="Name">The action's name (a spec step's id).</param>
/// <param name="Kind">The action.</param>
/// <param name="Path">For a save, the dataset's path.</param>
/// <param name="Manifest">For a save, the dataset's manifest.</param>
/// <param name="Value">For collect and take, a JSON array of the records; for count, the number; for countByKey, an object of counts.</param>
public sealed record ActionOutput(string Name, string Kind, string? Path = null, DatasetManifest? Manifest = null, JsonNode? Value = null);
