namespace AkkaWal.Hosting.Tests.Packaging;

/// <summary>
/// The repository packed once for all packaging tests, the way a release is: <c>dotnet pack -c Release -o DIR</c> at the
/// repository root. A version unique to this run keeps the machine's NuGet cache from serving packages of an earlier run.
/// </summary>
public sealed class PackedFeed : IAsyncLifetime
{
    public string Root { get; } = Directory.CreateTempSubdirectory("akkawal-pack-").FullName;
    public string Feed => Path.Combine(Root, "feed");
    public string Version { get; } = $"0.0.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}{Environment.ProcessId}";
    public string PackOutput { get; private set; } = "";

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AkkaWal.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("AkkaWal.sln not found above " + AppContext.BaseDirectory);
    }

    public async Task InitializeAsync()
    {
        var pack = await ChildProcess.RunAsync(ChildProcess.Dotnet,
            ["pack", "-c", "Release", "-o", Feed, $"-p:Version={Version}"], RepositoryRoot());
        PackOutput = pack.EnsureSuccess("dotnet pack").Output;
    }

    public Task DisposeAsync()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class PackedFeedCollection : ICollectionFixture<PackedFeed>
{
    public const string Name = "packed feed";
}
