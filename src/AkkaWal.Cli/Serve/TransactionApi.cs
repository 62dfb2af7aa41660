using System.Diagnostics;
using System.Text.Json;
using Akka.Actor;
using Akka.Hosting;
using AkkaWal.Transactions;
using AkkaWal.Transactions.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AkkaWal.Cli.Serve;

/// <summary>
/// The HTTP face of the transaction coordinator. Every 2xx to a prepare, commit or abort is sent only after the
/// coordinator answered, i.e. after the record is durable in the journal. A request the pipeline does not answer within
/// the request timeout gets 503 with "outcome unknown" (GET /transactions/{id} tells what happened), never a 2xx.
/// </summary>
internal sealed class TransactionApi(ActorRegistry registry, TimeSpan requestTimeout, ILogger log, ServeMetrics metrics,
    Func<CancellationToken, Task<JournalCompaction?>> compactJournal)
{
    public async Task<IResult> PrepareAsync(HttpRequest request, CancellationToken ct)
    {
        var (body, error) = await PrepareRequest.ReadAsync(request.Body, ct);
        if (body is null)
            return Rejected(ProblemResults.BadRequest(error!, reason: "InvalidBody"), null, "InvalidBody", error!);
        var txId = body.Id ?? Guid.NewGuid().ToString("N");
        return await AskAsync(new Prepare(txId, body.Changes, body.Expect), txId, ct, reply => reply switch
        {
            Prepared prepared => Created(prepared.TxId),
            // This prepare was done, its answer lost and the transaction committed meanwhile (a redelivery found it so).
            AlreadyCommitted => Results.Ok(new { id = txId, status = "committed", alreadyCommitted = true }),
            _ => null,
        });
    }

    public Task<IResult> CommitAsync(string id, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        return AskAsync(new Commit(id), id, ct, reply => reply switch
        {
            Committed => Done(id, "committed", metrics.Committed, clock),
            AlreadyCommitted => Results.Ok(new { id, status = "committed", alreadyCommitted = true }),
            _ => null,
        });
    }

    public Task<IResult> AbortAsync(string id, CancellationToken ct) =>
        AskAsync(new Abort(id), id, ct, reply => reply switch
        {
            Aborted => Done(id, "aborted", metrics.Aborted, null),
            AlreadyAborted => Results.Ok(new { id, status = "aborted", alreadyAborted = true }),
            _ => null,
        });

    public Task<IResult> GetAsync(string id, CancellationToken ct) =>
        AskAsync(new GetTransaction(id), id, ct, reply => reply switch
        {
            TransactionInfo { Status: TransactionStatus.Unknown } => ProblemResults.NotFound($"transaction '{id}' is unknown", id, "UnknownTransaction"),
            TransactionInfo info => Results.Ok(new
            {
                id = info.TxId,
                status = StatusName(info.Status),
                changes = info.Changes,
                preparedAt = info.PreparedAt,
            }),
            _ => null,
        });

    public async Task<IResult> ListAsync(string? state, CancellationToken ct)
    {
        if (state != "in-doubt")
            return ProblemResults.BadRequest($"query parameter state must be in-doubt, was {(state is null ? "missing" : $"'{state}'")}");
        return await AskAsync(GetInDoubt.Instance, null, ct, reply => reply switch
        {
            InDoubtTransactions list => Results.Ok(new
            {
                transactions = list.Transactions.Select(t => new { id = t.TxId, status = "prepared", changes = t.Changes, preparedAt = t.PreparedAt }),
            }),
            _ => null,
        });
    }

    public Task<IResult> ReadAsync(string key, CancellationToken ct) =>
        AskAsync(new Read(key), null, ct, reply => reply switch
        {
            ReadResult { Found: true } found => Results.Ok(new { key, value = found.Value, version = found.Version }),
            ReadResult => ProblemResults.NotFound($"key '{key}' never existed (version 0)", reason: "UnknownKey"),
            _ => null,
        });

    /// <summary>Snapshots every partition and deletes the records the snapshots cover (the pipeline's compaction), then
    /// lets the journal rewrite sealed segments without the deleted records (the engine's compaction).</summary>
    public async Task<IResult> CompactAsync(CancellationToken ct)
    {
        var (reply, refused) = await AskRawAsync(CompactNow.Instance, null, ct);
        if (refused is not null)
            return refused;
        if (reply is not CompactionReport report)
            throw new InvalidOperationException($"unexpected reply {reply?.GetType().Name} to CompactNow");
        var journal = await compactJournal(ct);
        return Results.Ok(new
        {
            partitionsCompacted = report.PartitionsCompacted,
            recordsRemoved = report.RecordsRemoved,
            journalDeadBytesBefore = journal?.DeadBytesBefore,
            journalDeadBytesAfter = journal?.DeadBytesAfter,
            journalCompactionSkipped = journal?.SkippedBecause,
        });
    }

    private async Task<IResult> AskAsync(object command, string? txId, CancellationToken ct, Func<object, IResult?> onReply)
    {
        var (reply, refused) = await AskRawAsync(command, txId, ct);
        if (refused is not null)
            return refused;
        return onReply(reply!) ?? throw new InvalidOperationException($"unexpected reply {reply!.GetType().Name} to {command.GetType().Name}");
    }

    /// <summary>The coordinator's reply, or the problem answer when it refused, failed or did not answer in time.</summary>
    private async Task<(object? Reply, IResult? Refused)> AskRawAsync(object command, string? txId, CancellationToken ct)
    {
        object reply;
        try
        {
            var coordinator = await registry.GetAsync<TransactionCoordinator>(ct);
            reply = await coordinator.Ask<object>(command, requestTimeout, ct);
        }
        catch (AskTimeoutException)
        {
            metrics.Unanswered.Add(1);
            log.LogWarning("No answer to {Command} for {TxId} within {TimeoutMs} ms: outcome unknown", command.GetType().Name, txId, requestTimeout.TotalMilliseconds);
            return (null, ProblemResults.Unavailable(
                $"no answer within {requestTimeout.TotalSeconds:F0} s; the outcome is unknown" + (txId is null ? "" : $" (GET /transactions/{txId} tells)"), txId));
        }
        if (reply is Status.Failure failure)
        {
            log.LogError(failure.Cause, "{Command} failed", command.GetType().Name);
            return (null, ProblemResults.Unavailable($"{command.GetType().Name} failed: {failure.Cause.Message}", txId));
        }
        if (reply is TransactionRejected rejected)
            return (null, Rejected(ToProblem(rejected), rejected.TxId, rejected.Reason.ToString(), rejected.Message));
        if (reply is WriteOutcomeUnknown unknown)
            return (null, ProblemResults.Unavailable(unknown.Message + $" (GET /transactions/{unknown.TxId} tells)", unknown.TxId));
        return (reply, null);
    }

    private IResult Rejected(IResult problem, string? txId, string reason, string message)
    {
        metrics.Rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));
        // A refusal by the journal itself (record too large, not serializable) is a rejected write: worth a warning.
        if (reason == nameof(RejectionReason.JournalRejected))
            log.LogWarning("Write rejected by the journal: {TxId} {Reason}: {Detail}", txId, reason, message);
        else
            log.LogInformation("Request refused: {TxId} {Reason}: {Detail}", txId, reason, message);
        return problem;
    }

    private static IResult ToProblem(TransactionRejected rejected)
    {
        var reason = rejected.Reason.ToString();
        return rejected.Reason switch
        {
            RejectionReason.UnknownTransaction => ProblemResults.NotFound(rejected.Message, rejected.TxId, reason),
            RejectionReason.AlreadyExists or RejectionReason.TransactionAborted or RejectionReason.TransactionCommitted
                or RejectionReason.IncompletePrepare => ProblemResults.Conflict(rejected.Message, rejected.TxId, reason),
            RejectionReason.LockConflict => ProblemResults.Conflict(rejected.Message, rejected.TxId, reason,
                new() { ["key"] = rejected.Key, ["holder"] = rejected.Holder }),
            RejectionReason.VersionMismatch => ProblemResults.Conflict(rejected.Message, rejected.TxId, reason,
                new() { ["key"] = rejected.Key, ["expected"] = rejected.Expected, ["actual"] = rejected.Actual }),
            RejectionReason.Unavailable => ProblemResults.Unavailable(rejected.Message, rejected.TxId),
            _ => ProblemResults.BadRequest(rejected.Message, rejected.TxId, reason), // InvalidTxId, InvalidChanges, JournalRejected
        };
    }

    private IResult Created(string txId)
    {
        metrics.Prepared.Add(1);
        return Results.Created($"/transactions/{Uri.EscapeDataString(txId)}", new { id = txId, status = "prepared" });
    }

    private IResult Done(string id, string status, System.Diagnostics.Metrics.Counter<long> counter, Stopwatch? clock)
    {
        counter.Add(1);
        if (clock is not null) metrics.CommitDuration.Record(clock.Elapsed.TotalSeconds);
        return Results.Ok(new { id, status });
    }

    private static string StatusName(TransactionStatus status) => status switch
    {
        TransactionStatus.Prepared => "prepared",
        TransactionStatus.Committed => "committed",
        TransactionStatus.Aborted => "aborted",
        _ => "unknown",
    };

    internal static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);
}
