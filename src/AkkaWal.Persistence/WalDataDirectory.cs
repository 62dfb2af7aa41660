namespace AkkaWal.Persistence;

/// <summary>
/// The layout of an AkkaWal data directory, defined once: the journal in <c>DIR/journal</c>, the snapshots in
/// <c>DIR/snapshots</c>. Used by <c>WithWalPersistence(directory)</c>, the pipeline's <c>OnWal</c> configuration and
/// the <c>akkawal</c> host's <c>--data</c>.
/// </summary>
public static class WalDataDirectory
{
    /// <summary>The journal's directory under a data directory.</summary>
    public static string Journal(string root) => Path.Combine(root, "journal");

    /// <summary>The snapshot store's directory under a data directory.</summary>
    public static string Snapshots(string root) => Path.Combine(root, "snapshots");
}
