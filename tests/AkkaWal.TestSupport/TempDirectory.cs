namespace AkkaWal.TestSupport;

/// <summary>A fresh directory under the system temp directory for one test, deleted with everything in it on dispose.
/// Stop whatever writes into it first (an ActorSystem, a child process): the persistence plugins open lazily and would
/// recreate the directory after the delete.</summary>
public sealed class TempDirectory : IDisposable
{
    /// <param name="prefix">The start of the directory's name, so a leftover tells which tests left it.</param>
    public TempDirectory(string prefix = "akkawal-test-") => Path = Directory.CreateTempSubdirectory(prefix).FullName;

    public string Path { get; }

    /// <summary>The log's segment files, oldest first.</summary>
    public string[] SegmentFiles() => Directory.GetFiles(Path, "*.wal").Order(StringComparer.Ordinal).ToArray();

    public override string ToString() => Path;

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
