#if AKKA_TCK
using Akka.Persistence.TCK.Snapshot;
using Xunit.Abstractions;

namespace AkkaWal.Conformance.Tests;

/// <summary>Akka.NET's SnapshotStoreSpec on AkkaWal's snapshot store.</summary>
public sealed class WalSnapshotStoreSpec : SnapshotStoreSpec
{
    private readonly TckData _data;

    public WalSnapshotStoreSpec(ITestOutputHelper output) : this(new TckData(), output)
    {
    }

    private WalSnapshotStoreSpec(TckData data, ITestOutputHelper output) : base(data.Config, nameof(WalSnapshotStoreSpec), output)
    {
        _data = data;
        Initialize();
    }

    protected override void Dispose(bool disposing) => _data.Release(this);
}

/// <summary>Akka.NET's SnapshotStoreSaveSnapshotSpec on AkkaWal's snapshot store.</summary>
public sealed class WalSnapshotStoreSaveSnapshotSpec : SnapshotStoreSaveSnapshotSpec
{
    private readonly TckData _data;

    public WalSnapshotStoreSaveSnapshotSpec(ITestOutputHelper output) : this(new TckData(), output)
    {
    }

    private WalSnapshotStoreSaveSnapshotSpec(TckData data, ITestOutputHelper output)
        : base(data.Config, nameof(WalSnapshotStoreSaveSnapshotSpec), output)
    {
        _data = data;
    }

    /// <summary>True: saves of one persistent actor are written in the order they were asked for, the last one wins.</summary>
    protected override bool SupportsConcurrentSaves => true;

    // The two burst cases stop their actor and at once start the next one under the same name ("persistence-actor-1").
    // The name is free only once the /user guardian has processed the child's termination, which races with the test
    // thread resuming on Terminated (the TestActor hears it first): about one run in two fails with "Actor name
    // persistence-actor-1 is not unique" whatever the plugin. Run 6 times side by side on 2026-12-04, the same spec
    // failed in 5 runs on Akka's own in-memory snapshot store and in 2 on AkkaWal's. AkkaWal.Persistence.Tests.SnapshotBurstSpec runs the same
    // bursts (with and without persisted events, the last snapshot wins) with a fresh name per actor.
    private const string NameRace = "Spec race, not plugin behaviour: reuses the actor name persistence-actor-1 before the "
                                    + "guardian has released it; covered by AkkaWal.Persistence.Tests.SnapshotBurstSpec";

    [Fact(Skip = NameRace, DisplayName = "Rapid multiple SaveSnapshot invocation with no journal persist should only save the latest snapshot")]
    public override Task MultipleSnapshotsWithNoPersistTest() => base.MultipleSnapshotsWithNoPersistTest();

    [Fact(Skip = NameRace, DisplayName = "Rapid multiple SaveSnapshot invocation with journal persist should only save the latest snapshot")]
    public override Task MultipleSnapshotsWithPersistTest() => base.MultipleSnapshotsWithPersistTest();

    protected override void Dispose(bool disposing) => _data.Release(this);
}
#endif
