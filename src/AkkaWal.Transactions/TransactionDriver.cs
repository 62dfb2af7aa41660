using System.Text.Json;
using Akka.Actor;
using AkkaWal.Transactions.Partitioning;
using AkkaWal.Transactions.Protocol;

namespace AkkaWal.Transactions;

/// <summary>
/// The coordinator's multi-partition work, as tasks that only talk to partitions through the seam (no state of its
/// own besides the locator cache): prepare every share, check every share is prepared, have the home record the
/// decision, read keys without ever showing part of a decided transaction. <paramref name="requests"/> gives the
/// coordinator's <see cref="PartitionRequests"/>, which redelivers each request until answered and answers
/// <see cref="WriteOutcomeUnknown"/> itself after <c>internal-ask-timeout</c>.
/// </summary>
internal sealed class TransactionDriver(Func<IActorRef> requests, TransactionSettings settings, TransactionLocator locator)
{
    /// <summary>How much longer than <c>internal-ask-timeout</c> the driver waits for <see cref="PartitionRequests"/>,
    /// which gives up on its own at that timeout (within a tick): a backstop only.</summary>
    private static readonly TimeSpan Backstop = TimeSpan.FromSeconds(10);

    private async Task<object> AskAsync(int partition, ITransactionsMessage message)
    {
        try
        {
            return await requests().Ask<object>(new PartitionEnvelope(partition, message), settings.InternalAskTimeout + settings.RedeliveryInterval + Backstop);
        }
        catch (AskTimeoutException)
        {
            return new WriteOutcomeUnknown(PartitionRequests.TxIdOf(message),
                $"partition {partition} did not answer {message.GetType().Name} within {settings.InternalAskTimeout.TotalSeconds:F0} s");
        }
    }

    private Task<object[]> AskAllAsync(IEnumerable<int> partitionNumbers, Func<int, ITransactionsMessage> message) =>
        Task.WhenAll(partitionNumbers.Select(p => AskAsync(p, message(p))));

    private IEnumerable<int> AllPartitions => Enumerable.Range(0, settings.Partitions);

    public async Task<object> PrepareAsync(string txId, TransactionRoute route,
        IReadOnlyDictionary<int, (Dictionary<string, JsonElement> Changes, Dictionary<string, long> Expect)> shares)
    {
        var requestId = Guid.NewGuid(); // one prepare: the same id in every share and every redelivery
        var replies = await AskAllAsync(route.Participants, p =>
            new PrepareShare(txId, route.Home, route.Participants, shares[p].Changes, shares[p].Expect, requestId));
        if (replies.All(r => r is Prepared))
        {
            locator.Remember(txId, route);
            return new Prepared(txId);
        }
        // A share this prepare wrote is committed: a redelivery found the whole transaction committed meanwhile.
        if (replies.OfType<AlreadyCommitted>().FirstOrDefault() is { } committed)
            return committed;
        var rejections = replies.OfType<TransactionRejected>().ToArray();
        var maybePrepared = route.Participants.Where((_, i) => replies[i] is not TransactionRejected).ToArray();
        if (maybePrepared.Length == 0)
            return rejections.First();
        if (rejections.Any(r => r.Reason == RejectionReason.AlreadyExists))
        {
            // The id belongs to another transaction in some partition: drop only the shares this attempt wrote,
            // without a decision at a home that may be that other transaction's.
            await AskAllAsync(maybePrepared, _ => new ApplyDecision(txId, false));
            return rejections.First(r => r.Reason == RejectionReason.AlreadyExists);
        }
        // Some shares are (or may be) prepared and one cannot be: the home records ABORT, which releases them all.
        var abort = await AskAsync(route.Home, new DecideTransaction(txId, false, route.Participants));
        if (rejections.Length > 0)
            return rejections.OrderBy(r => r.Reason is RejectionReason.LockConflict or RejectionReason.VersionMismatch ? 0 : 1).First();
        return abort is Aborted or AlreadyAborted
            ? new TransactionRejected(txId, RejectionReason.IncompletePrepare,
                $"the prepare of tx '{txId}' did not complete in every partition ({string.Join("; ", replies.OfType<WriteOutcomeUnknown>().Select(u => u.Message))}); the transaction is aborted")
            : replies.OfType<WriteOutcomeUnknown>().First();
    }

    public async Task<object> DecideAsync(string txId, bool commit)
    {
        var route = locator.Find(txId);
        if (route is null)
        {
            var (found, answer) = await LocateAsync(txId, commit);
            if (found is null)
                return answer!;
            route = found;
        }
        if (commit && !route.SinglePartition)
        {
            var infos = await AskAllAsync(route.Participants, _ => new FindShare(txId));
            var home = infos.OfType<ShareInfo>().FirstOrDefault(i => i.Partition == route.Home);
            if (home?.Status is not (TransactionStatus.Committed or TransactionStatus.Aborted))
            {
                for (var i = 0; i < infos.Length; i++)
                    if (infos[i] is not ShareInfo { Status: TransactionStatus.Prepared })
                        return new TransactionRejected(txId, RejectionReason.IncompletePrepare,
                            $"tx '{txId}' is not prepared in partition {route.Participants[i]} " +
                            $"({(infos[i] is ShareInfo info ? info.Status.ToString() : "no answer")}); abort it; nothing written");
                CrashPoint.Reached(settings, CrashPoint.ParticipantsPrepared);
            }
        }
        var reply = await AskAsync(route.Home, new DecideTransaction(txId, commit, route.Participants));
        if (reply is Committed or Aborted or AlreadyCommitted or AlreadyAborted)
            locator.Forget(txId);
        return reply;
    }

    /// <summary>Asks every partition where the transaction is. Returns its route, or the answer when no route is left
    /// (unknown, or decided and only its id remembered).</summary>
    private async Task<(TransactionRoute? Route, object? Answer)> LocateAsync(string txId, bool commit)
    {
        var infos = (await AskAllAsync(AllPartitions, _ => new FindShare(txId))).OfType<ShareInfo>().ToArray();
        var located = infos.FirstOrDefault(i => i.Status == TransactionStatus.Prepared) ?? infos.FirstOrDefault(i => i.Home >= 0);
        if (located is not null && located.Participants.Count > 0)
            return (new TransactionRoute(located.Home, located.Participants), null);
        var decided = infos.FirstOrDefault(i => i.Status is TransactionStatus.Committed or TransactionStatus.Aborted);
        if (decided is null)
            return (null, new TransactionRejected(txId, RejectionReason.UnknownTransaction,
                $"{(commit ? "commit" : "abort")} of unknown tx '{txId}': it was never prepared (or is past the decided-retention); nothing written"));
        var committed = decided.Status == TransactionStatus.Committed;
        return (null, (committed, commit) switch
        {
            (true, true) => new AlreadyCommitted(txId),
            (false, false) => new AlreadyAborted(txId),
            (false, true) => new TransactionRejected(txId, RejectionReason.TransactionAborted, $"commit of tx '{txId}', which is aborted; nothing written"),
            (true, false) => new TransactionRejected(txId, RejectionReason.TransactionCommitted, $"abort of tx '{txId}', which is committed; nothing written"),
        });
    }

    public async Task<object> InfoAsync(string txId)
    {
        var where = locator.Find(txId)?.Participants ?? (IEnumerable<int>)AllPartitions.ToArray();
        var infos = (await AskAllAsync(where, _ => new FindShare(txId))).OfType<ShareInfo>().ToArray();
        // Shares follow their home's decision, so any decided share tells the outcome.
        if (infos.Any(i => i.Status == TransactionStatus.Committed))
            return new TransactionInfo(txId, TransactionStatus.Committed, null, null);
        if (infos.Any(i => i.Status == TransactionStatus.Aborted))
            return new TransactionInfo(txId, TransactionStatus.Aborted, null, null);
        var prepared = infos.Where(i => i.Status == TransactionStatus.Prepared).ToArray();
        if (prepared.Length == 0)
            return new TransactionInfo(txId, TransactionStatus.Unknown, null, null);
        return new TransactionInfo(txId, TransactionStatus.Prepared, MergeChanges(prepared), prepared.Min(p => p.PreparedAt));
    }

    public async Task<object> InDoubtAsync()
    {
        var lists = await AskAllAsync(AllPartitions, _ => ListPending.Instance);
        var shares = lists.OfType<PendingShares>().SelectMany(l => l.Shares);
        return new InDoubtTransactions(shares.GroupBy(s => s.TxId)
            .Select(g => new InDoubtTransaction(g.Key, MergeChanges(g), g.Min(s => s.PreparedAt)!.Value))
            .OrderBy(t => t.TxId, StringComparer.Ordinal).ToArray());
    }

    private static Dictionary<string, JsonElement> MergeChanges(IEnumerable<ShareInfo> shares)
    {
        var changes = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var share in shares)
            foreach (var (key, value) in share.Changes ?? new Dictionary<string, JsonElement>())
                changes[key] = value;
        return changes;
    }

    /// <summary>Reads keys from their partitions. A key locked by a multi-partition transaction whose home has durably
    /// decided commit is read with that transaction's value: the decision is the moment the whole transaction becomes
    /// visible. Keys of several partitions are read in rounds until two rounds agree, so the answer never mixes a
    /// partition read before a transaction with one read after it.</summary>
    public async Task<IReadOnlyList<KeyRead>> ReadAsync(IReadOnlyList<string> keys)
    {
        var byPartition = keys.Distinct(StringComparer.Ordinal).GroupBy(k => PartitionHash.PartitionOf(k, settings.Partitions)).ToArray();
        var previous = await ReadRoundAsync(byPartition);
        if (byPartition.Length <= 1)
            return previous; // one partition answers from one state
        for (var round = 0; round < 1000; round++)
        {
            var next = await ReadRoundAsync(byPartition);
            if (next.Count == previous.Count && next.Zip(previous).All(p => SameRead(p.First, p.Second)))
                return next;
            previous = next;
        }
        throw new TimeoutException($"the keys {string.Join(", ", keys.Take(5))} changed in each of 1000 read rounds");
    }

    private static bool SameRead(KeyRead a, KeyRead b) =>
        a.Key == b.Key && a.Version == b.Version && (a.Value?.GetRawText() ?? "") == (b.Value?.GetRawText() ?? "");

    private async Task<IReadOnlyList<KeyRead>> ReadRoundAsync(IGrouping<int, string>[] byPartition)
    {
        var answers = await Task.WhenAll(byPartition.Select(g => AskAsync(g.Key, new ReadKeysAt(g.ToArray()))));
        var reads = new List<KeyRead>();
        for (var i = 0; i < answers.Length; i++)
            reads.AddRange(answers[i] is KeyReads r ? r.Reads : throw new InvalidOperationException($"partition {byPartition[i].Key} answered {answers[i]}"));
        var holders = reads.Where(r => r.Holder is not null && r.HolderHome != PartitionHash.PartitionOf(r.Key, settings.Partitions))
            .Select(r => (TxId: r.Holder!, Home: r.HolderHome!.Value)).Distinct().ToArray();
        if (holders.Length == 0)
            return reads;
        var decisions = await Task.WhenAll(holders.Select(h => AskAsync(h.Home, new GetDecision(h.TxId))));
        var committed = decisions.OfType<DecisionInfo>().Where(d => d.Status == TransactionStatus.Committed).Select(d => d.TxId).ToHashSet(StringComparer.Ordinal);
        return reads.Select(r => r.Holder is { } holder && committed.Contains(holder)
            ? r with { Value = r.PendingValue, Version = r.Version + 1 }
            : r).ToArray();
    }
}
