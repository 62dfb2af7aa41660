#if AKKA_TCK
using Akka.Persistence.TCK.Serialization;
using Xunit.Abstractions;

namespace AkkaWal.Conformance.Tests;

/// <summary>Akka.NET's JournalSerializationSpec on AkkaWal's journal.</summary>
public sealed class WalJournalSerializationSpec : JournalSerializationSpec
{
    private readonly TckData _data;

    public WalJournalSerializationSpec(ITestOutputHelper output) : this(new TckData(), output)
    {
    }

    private WalJournalSerializationSpec(TckData data, ITestOutputHelper output)
        : base(data.Config, nameof(WalJournalSerializationSpec), output)
    {
        _data = data;
    }

    protected override void Dispose(bool disposing) => _data.Release(this);
}

/// <summary>Akka.NET's SnapshotStoreSerializationSpec on AkkaWal's snapshot store.</summary>
public sealed class WalSnapshotStoreSerializationSpec : SnapshotStoreSerializationSpec
{
    private readonly TckData _data;

    public WalSnapshotStoreSerializationSpec(ITestOutputHelper output) : this(new TckData(), output)
    {
    }

    private WalSnapshotStoreSerializationSpec(TckData data, ITestOutputHelper output)
        : base(data.Config, nameof(WalSnapshotStoreSerializationSpec), output)
    {
        _data = data;
    }

    protected override void Dispose(bool disposing) => _data.Release(this);
}
#endif
