namespace AkkaWal.Cli.Tests.Packaging;

/// <summary>
/// The repository packed once for all packaging tests, the way a release is: <c>dotnet pack -c Release -o DIR</c> at the
/// repository root. A version unique to this run keeps the machine's NuGet cache from serving packages of an earlier run.
/// </summary>
public sealed class PackedFeed : IAsyncLifetime
{
    /// <summary>Generous: packing the whole solution in Release on a loaded machine takes minutes.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(20);

    private readonly TempDirectory _root = new("akkawal-pack-");

    public string Root => _root.Path;
    public string Feed => Path.Combine(Root, "feed");
    public string Version { get; } = $"0.0.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}{Environment.ProcessId}";
    public string PackOutput { get; private set; } = "";

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AkkaWal.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("AkkaWal.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Runs a command to completion in <paramref name="workingDirectory"/>, as a child of a build: dotnet (pack,
    /// tool install, build) or the installed tool.</summary>
    public static Task<ChildProcess.Result> RunAsync(string file, IEnumerable<string> args, string workingDirectory,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        // A child dotnet must not join the test run's MSBuild node reuse or inherit its test-only variables.
        var variables = new Dictionary<string, string>
        {
            ["MSBUILDDISABLENODEREUSE"] = "1",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) variables[key] = value;
        return ChildProcess.RunAsync(file, args,
            new ChildProcessOptions { WorkingDirectory = workingDirectory, Environment = variables }, Patience);
    }

    public async Task InitializeAsync()
    {
        var pack = await RunAsync(ChildProcess.Dotnet, ["pack", "-c", "Release", "-o", Feed, $"-p:Version={Version}"], RepositoryRoot());
        PackOutput = pack.EnsureSuccess("dotnet pack").Combined;
    }

    public Task DisposeAsync()
    {
        _root.Dispose();
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class PackedFeedCollection : ICollectionFixture<PackedFeed>
{
    public const string Name = "packed feed";
}
