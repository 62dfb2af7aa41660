using System.Collections.Concurrent;

namespace AkkaWal.Transactions.Tests;

/// <summary>What clients were told, kept outside the pipeline, to check a restarted or crashed service against.</summary>
public sealed class Ledger
{
    public ConcurrentDictionary<string, bool> Attempted { get; } = new();
    public ConcurrentDictionary<string, bool> Prepared { get; } = new();
    public ConcurrentDictionary<string, bool> Committed { get; } = new();
    public ConcurrentDictionary<string, bool> Aborted { get; } = new();
    /// <summary>Acknowledged prepares the client chose never to decide: they must stay in doubt.</summary>
    public ConcurrentDictionary<string, bool> LeftUndecided { get; } = new();
}
