using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Spark.Serverless.Driver.Compilation;
using Spark.Serverless.Driver.Orchestration;
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
/// Accepts a job: validates and compiles the spec, builds and plans it, and only then stores it and enqueues
/// <see cref="JobSubmitted"/>. Everything that can reject the submission happens before the first write, so a
/// rejected submission leaves nothing behind.
/// </summary>
public sealed class JobSubmitter(SparkStorage storage, JobStore store, InputLister lister, IOptions<DriverOptions> options, TimeProvider time, ILogger<JobSubmitter> logger)
{
    /// <summary>Submits a JSON spec.</summary>
    /// <exception cref="SpecException">The spec is invalid, does not compile, or its output path is taken.</exception>
    public async Task<SubmittedJob> SubmitSpecAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var spec = SpecParser.Parse(body);
        var app = SpecCompiler.Compile(spec);
        var o = options.Value;
        var settings = new JobSettings
        {
            ShufflePartitions = spec.Settings.ShufflePartitions ?? o.DefaultShufflePartitions,
            MaxTaskFailures = spec.Settings.MaxTaskFailures ?? o.MaxTaskFailures,
            Speculation = spec.Settings.Speculation ?? false,
            MaxSplitBytes = spec.Settings.MaxSplitBytes ?? o.MaxSplitBytes,
        };
        return await SubmitAsync(spec.Name, app, settings, body, cancellationToken).ConfigureAwait(false);
    }

    private async Task<SubmittedJob> SubmitAsync(string name, CompiledApp app, JobSettings settings, ReadOnlyMemory<byte> spec, CancellationToken cancellationToken)
    {
        string jobId = NewJobId(time.GetUtcNow());
        using var loaded = Load(app, jobId);

        var sources = new Dictionary<int, IReadOnlyList<InputSplit>>();
        foreach (var (nodeId, source) in JobPlanner.Sources(loaded.Context))
        {
            var (blobs, error) = await lister.ListAsync(source.Path, cancellationToken).ConfigureAwait(false);
            if (error is not null)
                return await StoreFailedAsync(jobId, name, spec, $"Input path {source.Path} of {((PlanNode)source).Op} '{((PlanNode)source).Label}': {error}.", cancellationToken).ConfigureAwait(false);
            sources[nodeId] = SplitPlanner.Plan(blobs, source.MinPartitions, settings.MaxSplitBytes);
        }

        string appBlob = StorageLayout.App(jobId, app.Sha256);
        JobPlan plan;
        try
        {
            plan = JobPlanner.Plan(loaded.Context, jobId, name, appBlob, app.TypeName, settings, sources);
        }
        catch (InvalidOperationException e)
        {
            throw new SpecException(e.Message);
        }
        await CheckOutputsAsync(plan, cancellationToken).ConfigureAwait(false);

        await Task.WhenAll(
            storage.Container.GetBlobClient(appBlob).UploadAsync(new BinaryData(app.Assembly), overwrite: true, cancellationToken),
            storage.Container.GetBlobClient(StorageLayout.Spec(jobId)).UploadAsync(new BinaryData(spec), overwrite: true, cancellationToken),
            storage.Container.GetBlobClient(StorageLayout.Plan(jobId)).UploadAsync(SparkJson.ToBinary(plan), overwrite: true, cancellationToken)).ConfigureAwait(false);
        var now = time.GetUtcNow();
        await store.CreateAsync(JobState.Create(plan, now), cancellationToken).ConfigureAwait(false);
        await storage.Control.SendMessageAsync(SparkJson.ToBinary<ControlEvent>(new JobSubmitted { JobId = jobId, At = now }), cancellationToken: cancellationToken).ConfigureAwait(false);
        Logs.JobSubmitted(logger, jobId, name, plan.Stages.Count, plan.Stages.Sum(s => s.NumPartitions));
        return new SubmittedJob(jobId, JobStatus.Pending);
    }

    private static LoadedJob Load(CompiledApp app, string jobId)
    {
        try
        {
            return LoadedJob.Load(app.Assembly, app.TypeName, jobId);
        }
        catch (JobLoadException e)
        {
            throw new SpecException(e.Message);
        }
    }

    /// <summary>Spark refuses to write into an existing output directory unless told to overwrite; so do we.</summary>
    private async Task CheckOutputsAsync(JobPlan plan, CancellationToken cancellationToken)
    {
        foreach (var action in plan.Actions.Where(a => a.Path is not null && !a.Overwrite))
        {
            var path = BlobPath.Parse(action.Path!);
            var manifest = await DatasetFolder.TryReadManifestAsync(storage.GetContainer(path.Container), path.Name, cancellationToken).ConfigureAwait(false);
            if (manifest is not null)
                throw new SpecException($"Output path {path} already holds a dataset (written by job {manifest.JobId}); choose another path or set \"overwrite\": true.");
        }
    }

    private async Task<SubmittedJob> StoreFailedAsync(string jobId, string name, ReadOnlyMemory<byte> spec, string error, CancellationToken cancellationToken)
    {
        await storage.Container.GetBlobClient(StorageLayout.Spec(jobId)).UploadAsync(new BinaryData(spec), overwrite: true, cancellationToken).ConfigureAwait(false);
        await store.CreateAsync(JobState.CreateFailed(jobId, name, time.GetUtcNow(), error), cancellationToken).ConfigureAwait(false);
        Logs.JobFailedAtSubmission(logger, jobId, error);
        return new SubmittedJob(jobId, JobStatus.Failed);
    }

    /// <summary>Ids sort by submission time: <c>yyyyMMdd-HHmmss-</c> and 8 random hex digits.</summary>
    internal static string NewJobId(DateTimeOffset now) =>
        now.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
}
