using Akka.Actor;
using AkkaWal.Transactions.Protocol;

namespace AkkaWal.Transactions.Import;

/// <summary>An import that cannot go on: nothing was written if it is thrown before the write phase (the message says).</summary>
public sealed class LegacyImportException(string message) : Exception(message);

/// <summary>
/// Imports legacy JSON-lines WAL files through the coordinator: committed transactions become committed state, undecided
/// ones become in-doubt transactions. Three phases: read and check every file completely; compare with what the WAL
/// already holds; only then write. So a malformed file or a conflict leaves the WAL exactly as it was, and a transaction
/// the WAL already has is not written again (importing the same files twice writes nothing the second time).
/// </summary>
/// <param name="coordinator">The pipeline's <see cref="TransactionCoordinator"/>, started on the WAL to import into.</param>
/// <param name="settings">The pipeline's settings (for <c>max-changes-bytes</c>).</param>
/// <param name="askTimeout">How long to wait for each of the coordinator's answers.</param>
public sealed class LegacyImporter(IActorRef coordinator, TransactionSettings settings, TimeSpan askTimeout)
{
    /// <summary>Requests in flight at once: enough for the writers to group-commit, bounded so memory stays flat.</summary>
    private const int Window = 1024;

    private sealed record Action(LegacyTransaction Tx, bool Prepare, bool Commit);

    /// <summary>Imports <paramref name="files"/>, taken together (a transaction may be prepared in one and committed in a
    /// later one). A malformed file or a conflict with the WAL throws <see cref="LegacyWalFormatException"/> or
    /// <see cref="LegacyImportException"/> before anything is written; a write that fails later throws
    /// <see cref="LegacyImportException"/>, and importing again completes the rest.</summary>
    /// <param name="files">The legacy JSON-lines files, oldest first.</param>
    /// <param name="skipBadLines">Count and skip malformed lines instead of refusing the import.</param>
    /// <param name="ct">Checked between windows of requests; what was written stays, and importing again completes it.</param>
    /// <returns>What the files held and what this run wrote.</returns>
    public async Task<ImportSummary> ImportAsync(IReadOnlyList<string> files, bool skipBadLines, CancellationToken ct = default)
    {
        if (files.Count == 0)
            throw new ArgumentException("no file to import", nameof(files));
        foreach (var file in files)
            if (!File.Exists(file))
                throw new FileNotFoundException($"legacy WAL file not found: {file}", file);

        // Phase 1: read and check everything. Throws LegacyWalFormatException naming file and line.
        var contents = files.Select(f => LegacyWalInterpreter.Read(f, skipBadLines)).ToArray();
        var transactions = Combine(contents);
        foreach (var tx in transactions)
        {
            if ((TransactionRules.CheckTxId(tx.TxId) ?? TransactionRules.CheckChanges(tx.TxId, tx.Changes, settings.MaxChangesBytes)) is { } invalid)
                throw new LegacyWalFormatException(tx.File, tx.DefinedAtLine, invalid.Message);
        }

        // Phase 2: compare with the WAL.
        var statuses = await InWindows(transactions, tx => coordinator.Ask<TransactionInfo>(new GetTransaction(tx.TxId), askTimeout), ct);
        var actions = new List<Action>(transactions.Count);
        for (var i = 0; i < transactions.Count; i++)
            actions.Add(Plan(transactions[i], statuses[i]));

        // Undecided legacy transactions keep their keys locked once imported, so two of them must not share a key.
        CheckUndecidedKeysDisjoint(actions);

        // Phase 3: write, committed transactions first and in the order the files decided them (a later one wins a key),
        // then the undecided ones. A window never holds two transactions on one key: the second would find it locked.
        var toWrite = actions.Where(a => a.Prepare || a.Commit).OrderBy(a => a.Tx.Committed ? 0 : 1).ToArray();
        foreach (var window in KeyDisjointWindows(toWrite))
            await InWindows(window, Write, ct);

        var reports = contents.Select(c => c.Report).ToArray();
        return new ImportSummary(
            reports.Sum(r => r.Committed),
            reports.Sum(r => r.InDoubt),
            reports.Sum(r => r.OrphanCommits),
            reports.Sum(r => r.RedundantCommits),
            reports.Count(r => r.TornTailLine is not null),
            reports.Sum(r => r.BadLines.Count),
            toWrite.Length,
            actions.Count - toWrite.Length,
            reports);
    }

    /// <summary>All files' transactions in decision order. The same id in two files must carry the same changes.</summary>
    private static List<LegacyTransaction> Combine(IReadOnlyList<LegacyFileContent> contents)
    {
        var byId = new Dictionary<string, (LegacyTransaction Tx, int File)>(StringComparer.Ordinal);
        for (var f = 0; f < contents.Count; f++)
        {
            foreach (var tx in contents[f].Transactions)
            {
                if (!byId.TryGetValue(tx.TxId, out var earlier))
                {
                    byId[tx.TxId] = (tx, f);
                    continue;
                }
                if (!LegacyWalInterpreter.SameChanges(earlier.Tx.Changes, tx.Changes))
                    throw new LegacyWalFormatException(tx.File, tx.DefinedAtLine,
                        $"tx '{tx.TxId}' has other changes than in {earlier.Tx.File} line {earlier.Tx.DefinedAtLine}; nothing imported");
                if (tx.Committed && !earlier.Tx.Committed)
                    byId[tx.TxId] = (tx, f);
            }
        }
        return byId.Values.OrderBy(v => v.File).ThenBy(v => v.Tx.DecisiveLine).Select(v => v.Tx).ToList();
    }

    private static Action Plan(LegacyTransaction tx, TransactionInfo inWal)
    {
        switch (inWal.Status)
        {
            case TransactionStatus.Unknown:
                return new Action(tx, Prepare: true, Commit: tx.Committed);
            case TransactionStatus.Prepared:
                if (!LegacyWalInterpreter.SameChanges(inWal.Changes!, tx.Changes))
                    throw Conflict(tx, "is prepared in the WAL with other changes");
                return new Action(tx, Prepare: false, Commit: tx.Committed);
            case TransactionStatus.Aborted when tx.Committed:
                throw Conflict(tx, "is aborted in the WAL but committed in the file");
            default: // committed in the WAL, or aborted there while undecided in the file: the WAL is ahead of the file
                return new Action(tx, Prepare: false, Commit: false);
        }
    }

    private static LegacyImportException Conflict(LegacyTransaction tx, string what) =>
        new($"{tx.File}:{tx.DefinedAtLine}: tx '{tx.TxId}' {what}; nothing imported");

    private async Task<bool> Write(Action action)
    {
        var tx = action.Tx;
        // The commit waits for the prepare: a transaction over several partitions commits only once every share is prepared.
        if (action.Prepare && await coordinator.Ask<ITransactionReply>(new Prepare(tx.TxId, tx.Changes), askTimeout)
                is not (Prepared or TransactionRejected { Reason: RejectionReason.AlreadyExists }) and var badPrepare)
            throw WriteFailed(tx, badPrepare);
        if (action.Commit && await coordinator.Ask<ITransactionReply>(new Commit(tx.TxId), askTimeout) is not (Committed or AlreadyCommitted) and var badCommit)
            throw WriteFailed(tx, badCommit);
        return true;
    }

    private static IEnumerable<List<Action>> KeyDisjointWindows(IEnumerable<Action> actions)
    {
        var window = new List<Action>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var action in actions)
        {
            if (action.Tx.Changes.Keys.Any(keys.Contains))
            {
                yield return window;
                window = [];
                keys.Clear();
            }
            window.Add(action);
            keys.UnionWith(action.Tx.Changes.Keys);
        }
        if (window.Count > 0)
            yield return window;
    }

    private static void CheckUndecidedKeysDisjoint(IEnumerable<Action> actions)
    {
        var holder = new Dictionary<string, LegacyTransaction>(StringComparer.Ordinal);
        foreach (var tx in actions.Select(a => a.Tx).Where(t => !t.Committed))
            foreach (var key in tx.Changes.Keys)
                if (!holder.TryAdd(key, tx))
                    throw new LegacyWalFormatException(tx.File, tx.DefinedAtLine,
                        $"undecided tx '{tx.TxId}' and undecided tx '{holder[key].TxId}' ({holder[key].File} line {holder[key].DefinedAtLine}) " +
                        $"both change key '{key}'; imported, each would lock it. Decide one of them in the legacy file first; nothing imported");
    }

    private static LegacyImportException WriteFailed(LegacyTransaction tx, ITransactionReply reply) =>
        new($"{tx.File}:{tx.DefinedAtLine}: writing tx '{tx.TxId}' failed: {reply}; transactions of earlier lines may be " +
            "imported already, and importing again completes the rest");

    private static async Task<TResult[]> InWindows<T, TResult>(IReadOnlyList<T> items, Func<T, Task<TResult>> start, CancellationToken ct)
    {
        var results = new TResult[items.Count];
        for (var offset = 0; offset < items.Count; offset += Window)
        {
            ct.ThrowIfCancellationRequested();
            var count = Math.Min(Window, items.Count - offset);
            var tasks = new Task<TResult>[count];
            for (var i = 0; i < count; i++)
                tasks[i] = start(items[offset + i]);
            var done = await Task.WhenAll(tasks);
            Array.Copy(done, 0, results, offset, count);
        }
        return results;
    }
}
