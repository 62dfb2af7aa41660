#if AKKA_TCK
using Akka.Persistence.TCK.Query;
using Xunit.Abstractions;

namespace AkkaWal.Conformance.Tests;

/// <summary>Akka.NET's CurrentEventsByPersistenceIdSpec on AkkaWal's read journal.</summary>
public sealed class WalCurrentEventsByPersistenceIdSpec : CurrentEventsByPersistenceIdSpec
{
    private readonly TckData _data;

    public WalCurrentEventsByPersistenceIdSpec(ITestOutputHelper output) : this(new TckData(), output)
    {
    }

    private WalCurrentEventsByPersistenceIdSpec(TckData data, ITestOutputHelper output)
        : base(data.QueryConfig, nameof(WalCurrentEventsByPersistenceIdSpec), output)
    {
        _data = data;
        ReadJournal = TckData.ReadJournal(Sys);
    }

    protected override void Dispose(bool disposing) => _data.Release(this, () => base.Dispose(disposing));
}

/// <summary>Akka.NET's EventsByPersistenceIdSpec on AkkaWal's read journal.</summary>
public sealed class WalEventsByPersistenceIdSpec : EventsByPersistenceIdSpec
{
    private readonly TckData _data;

    public WalEventsByPersistenceIdSpec(ITestOutputHelper output) : this(new TckData(), output)
    {
    }

    private WalEventsByPersistenceIdSpec(TckData data, ITestOutputHelper output)
        : base(data.QueryConfig, nameof(WalEventsByPersistenceIdSpec), output)
    {
        _data = data;
        ReadJournal = TckData.ReadJournal(Sys);
    }

    protected override void Dispose(bool disposing) => _data.Release(this, () => base.Dispose(disposing));
}

/// <summary>Akka.NET's CurrentEventsByTagSpec on AkkaWal's read journal.</summary>
public sealed class WalCurrentEventsByTagSpec : CurrentEventsByTagSpec
{
    private readonly TckData _data;

    public WalCurrentEventsByTagSpec(ITestOutputHelper output) : this(new TckData(), output)
    {
    }

    private WalCurrentEventsByTagSpec(TckData data, ITestOutputHelper output)
        : base(data.QueryConfig, nameof(WalCurrentEventsByTagSpec), output)
    {
        _data = data;
        ReadJournal = TckData.ReadJournal(Sys);
    }

    /// <summary>True: every envelope carries the tags its event was written with.</summary>
    protected override bool SupportsTagsInEventEnvelope => true;

    protected override void Dispose(bool disposing) => _data.Release(this, () => base.Dispose(disposing));
}

/// <summary>Akka.NET's EventsByTagSpec on AkkaWal's read journal.</summary>
public sealed class WalEventsByTagSpec : EventsByTagSpec
{
    private readonly TckData _data;

    public WalEventsByTagSpec(ITestOutputHelper output) : this(new TckData(), output)
    {
    }

    private WalEventsByTagSpec(TckData data, ITestOutputHelper output)
        : base(data.QueryConfig, nameof(WalEventsByTagSpec), output)
    {
        _data = data;
        ReadJournal = TckData.ReadJournal(Sys);
    }

    /// <summary>True: every envelope carries the tags its event was written with.</summary>
    protected override bool SupportsTagsInEventEnvelope => true;

    protected override void Dispose(bool disposing) => _data.Release(this, () => base.Dispose(disposing));
}

/// <summary>Akka.NET's CurrentAllEventsSpec on AkkaWal's read journal.</summary>
public sealed class WalCurrentAllEventsSpec : CurrentAllEventsSpec
{
    private readonly TckData _data;

    public WalCurrentAllEventsSpec(ITestOutputHelper output) : this(new TckData(), output)
    {
    }

    private WalCurrentAllEventsSpec(TckData data, ITestOutputHelper output)
        : base(data.QueryConfig, nameof(WalCurrentAllEventsSpec), output)
    {
        _data = data;
        ReadJournal = TckData.ReadJournal(Sys);
    }

    protected override void Dispose(bool disposing) => _data.Release(this, () => base.Dispose(disposing));
}

/// <summary>Akka.NET's AllEventsSpec on AkkaWal's read journal.</summary>
public sealed class WalAllEventsSpec : AllEventsSpec
{
    private readonly TckData _data;

    public WalAllEventsSpec(ITestOutputHelper output) : this(new TckData(), output)
    {
    }

    private WalAllEventsSpec(TckData data, ITestOutputHelper output)
        : base(data.QueryConfig, nameof(WalAllEventsSpec), output)
    {
        _data = data;
        ReadJournal = TckData.ReadJournal(Sys);
    }

    protected override void Dispose(bool disposing) => _data.Release(this, () => base.Dispose(disposing));
}

/// <summary>Akka.NET's CurrentPersistenceIdsSpec on AkkaWal's read journal.</summary>
public sealed class WalCurrentPersistenceIdsSpec : CurrentPersistenceIdsSpec
{
    private readonly TckData _data;

    public WalCurrentPersistenceIdsSpec(ITestOutputHelper output) : this(new TckData(), output)
    {
    }

    private WalCurrentPersistenceIdsSpec(TckData data, ITestOutputHelper output)
        : base(data.QueryConfig, nameof(WalCurrentPersistenceIdsSpec), output)
    {
        _data = data;
        ReadJournal = TckData.ReadJournal(Sys);
    }

    protected override void Dispose(bool disposing) => _data.Release(this, () => base.Dispose(disposing));
}

/// <summary>Akka.NET's PersistenceIdsSpec on AkkaWal's read journal.</summary>
public sealed class WalPersistenceIdsSpec : PersistenceIdsSpec
{
    private readonly TckData _data;

    public WalPersistenceIdsSpec(ITestOutputHelper output) : this(new TckData(), output)
    {
    }

    private WalPersistenceIdsSpec(TckData data, ITestOutputHelper output)
        : base(data.QueryConfig, nameof(WalPersistenceIdsSpec), output)
    {
        _data = data;
        ReadJournal = TckData.ReadJournal(Sys);
    }

    /// <summary>
    /// False: the spec's switch for read journals that share one persistence-ids publisher among subscribers (it reads a
    /// private field named _persistenceIdsPublisher); every PersistenceIds() stream here is a source of its own.
    /// </summary>
    protected override bool AllocatesAllPersistenceIDsPublisher => false;

    protected override void Dispose(bool disposing) => _data.Release(this, () => base.Dispose(disposing));
}
#endif
