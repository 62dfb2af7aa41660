namespace AkkaWal.Persistence.Tests;

/// <summary>
/// The parent's record of what the LedgerActor workload (tests/AkkaWal.CrashHost/PersistenceWorkload.cs) acknowledged,
/// kept outside the process under test. Fed the workload's lines round by round, it checks each recovery: every
/// acknowledged event replays, in order, with no gap or duplicate, deletes are honoured, the highest sequence number
/// never goes down and a PersistAll batch is either wholly stored or not at all.
/// </summary>
internal sealed class PersistenceLedger
{
    private sealed class PidLedger
    {
        public long Known;            // highest seq known stored: acknowledged, or seen in a recovery
        public long ConfirmedDeletedTo;
        public readonly SortedSet<long> RequestedDeletes = new();
        public readonly List<(long First, long Last)> OpenBatches = new();
        public readonly List<(long Seq, string Value)> Recovering = new();
        public long Acks;
    }

    private readonly Dictionary<string, PidLedger> _pids = new();

    public long TotalAcks { get; private set; }
    public int Recoveries { get; private set; }
    public int ConfirmedDeletes { get; private set; }
    public int Batches { get; private set; }

    private PidLedger Of(string pid) => _pids.TryGetValue(pid, out var l) ? l : _pids[pid] = new PidLedger();

    /// <summary>Starts a new incarnation: forget partial recovery output of the previous one.</summary>
    public void NewRound()
    {
        foreach (var l in _pids.Values) l.Recovering.Clear();
    }

    /// <summary>Applies one line; throws with the reason when the line breaks a rule.</summary>
    public void Apply(string line)
    {
        var parts = line.Split(' ');
        if (parts.Length < 2) return;
        var l = Of(parts[1]);
        var pid = parts[1];
        switch (parts[0])
        {
            case "REC":
                l.Recovering.Add((long.Parse(parts[2]), parts[3]));
                break;
            case "RECDONE":
                VerifyRecovery(pid, l, long.Parse(parts[2]));
                break;
            case "BATCH":
                l.OpenBatches.Add((long.Parse(parts[2]), long.Parse(parts[3])));
                Batches++;
                break;
            case "ACK":
                var seq = long.Parse(parts[2]);
                Check(parts[3] == $"{pid}:{seq}", $"{pid}: ack of seq {seq} carries value {parts[3]}");
                Check(seq > l.Known, $"{pid}: ack of seq {seq} but {l.Known} was already stored");
                l.Known = seq;
                l.Acks++;
                TotalAcks++;
                break;
            case "DELREQ":
                l.RequestedDeletes.Add(long.Parse(parts[2]));
                break;
            case "DELOK":
                l.ConfirmedDeletedTo = Math.Max(l.ConfirmedDeletedTo, long.Parse(parts[2]));
                ConfirmedDeletes++;
                break;
            case "DELFAIL":
                throw new InvalidOperationException($"delete failed: {line}");
        }
    }

    private void VerifyRecovery(string pid, PidLedger l, long highest)
    {
        Recoveries++;
        var r = l.Recovering;
        Check(highest >= l.Known, $"{pid}: recovered highest {highest} is below {l.Known}, which was acknowledged or recovered before");
        for (var i = 0; i < r.Count; i++)
        {
            Check(r[i].Value == $"{pid}:{r[i].Seq}", $"{pid}: replayed seq {r[i].Seq} carries value {r[i].Value}");
            if (i > 0) Check(r[i].Seq == r[i - 1].Seq + 1, $"{pid}: replay jumps from {r[i - 1].Seq} to {r[i].Seq} (gap or duplicate)");
        }
        if (l.Known > 0)
        {
            Check(r.Count > 0, $"{pid}: nothing replayed although events up to {l.Known} were acknowledged");
            Check(r[^1].Seq == highest, $"{pid}: replay ends at {r[^1].Seq} but highest is {highest}");
            var deletedTo = r[0].Seq - 1;
            Check(deletedTo >= l.ConfirmedDeletedTo, $"{pid}: replay starts at {r[0].Seq} but events up to {l.ConfirmedDeletedTo} were deleted");
            Check(deletedTo == 0 || deletedTo == l.ConfirmedDeletedTo || l.RequestedDeletes.Contains(deletedTo),
                $"{pid}: replay starts at {r[0].Seq}, but no delete to {deletedTo} was ever requested (events lost)");
        }
        foreach (var (first, last) in l.OpenBatches)
            Check(first > highest || last <= highest, $"{pid}: PersistAll batch {first}..{last} only partly stored (highest {highest})");
        l.OpenBatches.Clear();
        l.Known = highest;
        l.ConfirmedDeletedTo = Math.Max(l.ConfirmedDeletedTo, r.Count > 0 ? r[0].Seq - 1 : 0);
        r.Clear();
    }

    private static void Check(bool ok, string message)
    {
        if (!ok) throw new InvalidOperationException(message);
    }
}
