using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Spark.Serverless.Driver.Compilation;
using Spark.Serverless.Driver.Orchestration;
using Spark.Serverless.Driver.Security;
using Spark.Serverless.Driver.Spec;
using Spark.Serverless.IO;
using Spark.Serverless.Loading;
using Spark.Serverless.Messaging;
using Spark.Serverless.Planning;
using Spark.Serverless.Storage;

namespace Spark.Serverless.Driver.Submission;

/// <summary>The outcome of an accepted submission.</summary>
/// <param name="JobId">The new job's id.</param>
/// <param name="Status">Its status right after submission (Pending, or Failed when it could not start).</param>
public sealed record SubmittedJob(string JobId, JobStatus Status);

/// <summary>
/// Accepts a job, from a JSON spec or an uploaded assembly: builds and plans it, and only then stores it and
/// enqueues <see cref="JobSubmitted"/>. Everything that can reject the submission happens before the first write, so
/// a rejected submission leaves nothing behind.
/// </summary>
public sealed class JobSubmitter(SparkStorage storage, JobStore store, InputLister lister, ContainerPolicy containers, ControlSignal signal, IOptions<DriverOptions> options, TimeProvider time, ILogger<JobSubmitter> logger)
{
    /// <summary>Submits a JSON spec.</summary>
    /// <exception cref="SpecException">The spec is invalid, does not compile, or cannot be planned.</exception>
    public async Task<SubmittedJob> SubmitSpecAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var (spec, app) = await CompileSpecAsync(body, cancellationToken).ConfigureAwait(false);
        var manifest = new BinaryData(body);
        return await SubmitAsync(spec.Name, app, new Dictionary<string, byte[]>(), Settings(spec.Settings), manifest, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Checks a JSON spec as a submission would (parse, compile, build), without storing or running anything.</summary>
    /// <exception cref="SpecException">The spec is invalid, does not compile, or its Build fails.</exception>
    public async Task ValidateSpecAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var (_, app) = await CompileSpecAsync(body, cancellationToken).ConfigureAwait(false);
        using var loaded = Load(app, new Dictionary<string, byte[]>(), NewJobId(time.GetUtcNow()));
    }

    /// <summary>Parses a spec and compiles it, with the record types of the persisted datasets it reads.</summary>
    private async Task<(JobSpec Spec, CompiledApp App)> CompileSpecAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var spec = SpecParser.Parse(body);
        var persistedTypes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in spec.Steps.Where(s => s.Op.Name == "persisted").Select(s => s.Text("name")!).Distinct())
            persistedTypes[name] = (await ReadPersistedManifestAsync(name, cancellationToken).ConfigureAwait(false)).CSharpType;
        return (spec, SpecCompiler.Compile(spec, persistedTypes));
    }

    /// <summary>Submits a compiled application.</summary>
    /// <exception cref="SpecException">A file is not an assembly, the class is missing, Build throws, or the job cannot be planned.</exception>
    public async Task<SubmittedJob> SubmitAssemblyAsync(AppUpload upload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        var (app, dependencies) = upload.Validate();
        var manifest = SparkJson.ToBinary(new
        {
            kind = "assembly",
            name = upload.Name,
            @class = upload.ClassName,
            sha256 = app.Sha256,
            dependencies = dependencies.Keys.Order().ToList(),
        });
        return await SubmitAsync(upload.Name, app, dependencies, Settings(upload.Settings), manifest, cancellationToken).ConfigureAwait(false);
    }

    private async Task<SubmittedJob> SubmitAsync(string name, CompiledApp app, IReadOnlyDictionary<string, byte[]> dependencies, JobSettings settings, BinaryData manifest, CancellationToken cancellationToken)
    {
        string jobId = NewJobId(time.GetUtcNow());
        using var loaded = Load(app, dependencies, jobId);

        var sources = new Dictionary<int, IReadOnlyList<InputSplit>>();
        foreach (var (nodeId, source) in JobPlanner.Sources(loaded.Context))
        {
            if (containers.Refusal(source.Path) is { } refusal)
                throw new SpecException($"{((PlanNode)source).Op} '{((PlanNode)source).Label}': {refusal}.");
            var (blobs, error) = await lister.ListAsync(source.Path, cancellationToken).ConfigureAwait(false);
            if (error is not null)
                return await StoreFailedAsync(jobId, name, manifest, $"Input path {source.Path} of {((PlanNode)source).Op} '{((PlanNode)source).Label}': {error}.", cancellationToken).ConfigureAwait(false);
            sources[nodeId] = SplitPlanner.Plan(blobs, source.MinPartitions, settings.MaxSplitBytes, splittable: source.Splittable);
        }
        var persistedInputs = new Dictionary<int, PersistedInput>();
        foreach (var (nodeId, source) in JobPlanner.PersistedSources(loaded.Context))
        {
            var persisted = await ReadPersistedManifestAsync(source.PersistName, cancellationToken).ConfigureAwait(false);
            string expected = source.ElementType.FullName ?? source.ElementType.Name;
            if (persisted.ElementType != expected)
                throw new SpecException($"Persisted dataset '{source.PersistName}' holds {persisted.CSharpType} records, not {TypeNames.CSharp(source.ElementType)}.");
            persistedInputs[nodeId] = new PersistedInput(persisted.Name, persisted.Folder, persisted.Partitions);
        }

        string appBlob = StorageLayout.App(jobId, app.Sha256);
        var dependencyBlobs = dependencies.ToDictionary(d => d.Key, d => StorageLayout.App(jobId, Convert.ToHexStringLower(SHA256.HashData(d.Value))));
        JobPlan plan;
        try
        {
            plan = JobPlanner.Plan(loaded.Context, jobId, name, appBlob, loaded.TypeName, new PlanBindings(sources, persistedInputs, settings), dependencyBlobs);
        }
        catch (InvalidOperationException e)
        {
            throw new SpecException(e.Message);
        }
        await CheckOutputsAsync(plan, cancellationToken).ConfigureAwait(false);

        var uploads = new List<Task>
        {
            storage.Container.GetBlobClient(appBlob).UploadAsync(new BinaryData(app.Assembly), overwrite: true, cancellationToken),
            storage.Container.GetBlobClient(StorageLayout.Spec(jobId)).UploadAsync(manifest, overwrite: true, cancellationToken),
            storage.Container.GetBlobClient(StorageLayout.Plan(jobId)).UploadAsync(SparkJson.ToBinary(plan), overwrite: true, cancellationToken),
        };
        uploads.AddRange(dependencies.Select(d => (Task)storage.Container.GetBlobClient(dependencyBlobs[d.Key]).UploadAsync(new BinaryData(d.Value), overwrite: true, cancellationToken)));
        await Task.WhenAll(uploads).ConfigureAwait(false);
        var now = time.GetUtcNow();
        await store.CreateAsync(JobState.Create(plan, now), cancellationToken).ConfigureAwait(false);
        await storage.Control.SendMessageAsync(SparkJson.ToBinary<ControlEvent>(new JobSubmitted { JobId = jobId, At = now }), cancellationToken: cancellationToken).ConfigureAwait(false);
        signal.Pulse();
        Logs.JobSubmitted(logger, jobId, name, plan.Stages.Count, plan.Stages.Sum(s => s.NumPartitions));
        return new SubmittedJob(jobId, JobStatus.Pending);
    }

    private JobSettings Settings(SpecSettings given)
    {
        var o = options.Value;
        var defaults = new JobSettings();
        return new JobSettings
        {
            ShufflePartitions = given.ShufflePartitions ?? o.DefaultShufflePartitions,
            MaxTaskFailures = given.MaxTaskFailures ?? o.MaxTaskFailures,
            Speculation = given.Speculation ?? false,
            MaxSplitBytes = given.MaxSplitBytes ?? o.MaxSplitBytes,
            MaxQueuedTasks = o.MaxQueuedTasks,
            TaskBundleMs = o.TaskBundleMs,
            DefaultParallelism = given.DefaultParallelism ?? defaults.DefaultParallelism,
            MaxResultBytes = given.MaxResultBytes ?? defaults.MaxResultBytes,
            SpeculationQuantile = given.SpeculationQuantile ?? defaults.SpeculationQuantile,
            SpeculationMultiplier = given.SpeculationMultiplier ?? defaults.SpeculationMultiplier,
            SpeculationMinRuntimeMs = given.SpeculationMinTaskRuntimeMs ?? defaults.SpeculationMinRuntimeMs,
            SpeculationIntervalMs = given.SpeculationIntervalMs ?? defaults.SpeculationIntervalMs,
            RetryBackoffMs = given.RetryBackoffMs ?? defaults.RetryBackoffMs,
            CleanupDelayMs = o.CleanupDelaySeconds * 1000,
            LostTaskCheckMs = o.LostTaskCheckSeconds * 1000,
        };
    }

    private static LoadedJob Load(CompiledApp app, IReadOnlyDictionary<string, byte[]> dependencies, string jobId)
    {
        try
        {
            return LoadedJob.Load(app.Assembly, app.TypeName.Length == 0 ? null : app.TypeName, jobId, dependencies);
        }
        catch (JobLoadException e)
        {
            throw new SpecException(e.Message);
        }
    }

    private async Task<PersistedManifest> ReadPersistedManifestAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var content = await storage.Container.GetBlobClient(StorageLayout.PersistManifest(name)).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return SparkJson.FromBinary<PersistedManifest>(content.Value.Content);
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            throw new SpecException($"No dataset is persisted under the name '{name}': a job must persist it (persist: \"{name}\") and complete first.");
        }
    }

    /// <summary>Spark refuses to write into an existing output directory unless told to overwrite; so do we.</summary>
    private async Task CheckOutputsAsync(JobPlan plan, CancellationToken cancellationToken)
    {
        foreach (var action in plan.Actions.Where(a => a.Path is not null))
            if (containers.Refusal(BlobPath.Parse(action.Path!)) is { } refusal)
                throw new SpecException($"{action.Kind} '{action.Name}': {refusal}.");
        foreach (var action in plan.Actions.Where(a => a.Path is not null && !a.Overwrite))
        {
            var path = BlobPath.Parse(action.Path!);
            var manifest = await DatasetFolder.TryReadManifestAsync(storage.GetContainer(path.Container), path.Name, cancellationToken).ConfigureAwait(false);
            if (manifest is not null)
                throw new SpecException($"Output path {path} already holds a dataset (written by job {manifest.JobId}); choose another path or set \"overwrite\": true.");
        }
    }

    private async Task<SubmittedJob> StoreFailedAsync(string jobId, string name, BinaryData manifest, string error, CancellationToken cancellationToken)
    {
        await storage.Container.GetBlobClient(StorageLayout.Spec(jobId)).UploadAsync(manifest, overwrite: true, cancellationToken).ConfigureAwait(false);
        await store.CreateAsync(JobState.CreateFailed(jobId, name, time.GetUtcNow(), error), cancellationToken).ConfigureAwait(false);
        Logs.JobFailedAtSubmission(logger, jobId, error);
        return new SubmittedJob(jobId, JobStatus.Failed);
    }

    /// <summary>Ids sort by submission time: <c>yyyyMMdd-HHmmss-</c> and 8 random hex digits.</summary>
    internal static string NewJobId(DateTimeOffset now) =>
        now.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
}
