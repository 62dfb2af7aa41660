#if AKKA_TCK
using Akka.Persistence.TCK.Journal;
using Xunit.Abstractions;

namespace AkkaWal.Conformance.Tests;

/// <summary>Akka.NET's JournalSpec on AkkaWal's journal.</summary>
public sealed class WalJournalSpec : JournalSpec
{
    private readonly TckData _data;

    public WalJournalSpec(ITestOutputHelper output) : this(new TckData(), output)
    {
    }

    private WalJournalSpec(TckData data, ITestOutputHelper output) : base(data.Config, nameof(WalJournalSpec), output)
    {
        _data = data;
        Initialize();
    }

    protected override void Dispose(bool disposing) => _data.Release(this);
}
#endif
