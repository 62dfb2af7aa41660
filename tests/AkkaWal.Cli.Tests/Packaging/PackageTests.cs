using AkkaWal.Cli.Tests.Commands;

namespace AkkaWal.Cli.Tests.Packaging;

/// <summary>What a user gets from the packages: the tool installed from the folder runs, and a fresh console app that
/// references AkkaWal.Persistence.Hosting from it persists and recovers events through WithWalPersistence.</summary>
[Collection(PackedFeedCollection.Name)]
public sealed class PackageTests(PackedFeed packed)
{
    private static readonly string[] Expected =
    [
        "AkkaWal.Storage", "AkkaWal.Persistence", "AkkaWal.Persistence.Hosting", "AkkaWal.Transactions",
        "AkkaWal.Transactions.Hosting", "akkawal",
    ];

    [Fact]
    public void Pack_at_the_root_produces_the_libraries_and_the_tool_with_symbols_and_nothing_else()
    {
        var packages = Directory.GetFiles(packed.Feed, "*.nupkg").Select(Path.GetFileName).Order().ToArray();
        var ids = packages.Select(p => p![..^$".{packed.Version}.nupkg".Length]).Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(Expected.Order(StringComparer.Ordinal), ids);
        foreach (var id in Expected.Where(id => id != "akkawal"))
            Assert.True(File.Exists(Path.Combine(packed.Feed, $"{id}.{packed.Version}.snupkg")), $"{id} has no symbol package");
    }

    [Fact]
    public async Task The_tool_installs_from_the_folder_and_verifies_a_log_and_reads_the_environment_as_documented()
    {
        var tools = Path.Combine(packed.Root, "tools-" + Guid.NewGuid().ToString("N"));
        (await PackedFeed.RunAsync(ChildProcess.Dotnet,
            ["tool", "install", "akkawal", "--tool-path", tools, "--add-source", packed.Feed, "--version", packed.Version],
            packed.Root)).EnsureSuccess("dotnet tool install");
        var akkawal = Path.Combine(tools, "akkawal");

        var help = await PackedFeed.RunAsync(akkawal, ["--help"], packed.Root);
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("verify", help.Combined);

        using var log = await EngineLog.WriteAsync();
        var verify = await PackedFeed.RunAsync(akkawal, ["verify", log.Directory], packed.Root);
        Assert.True(verify.ExitCode == 0, verify.Combined);
        Assert.Contains("OK:", verify.Combined);

        // A bad value from a real environment variable stops serve before it starts, naming the key (exit 2).
        var serve = await PackedFeed.RunAsync(akkawal, ["serve", "--data", Path.Combine(packed.Root, "data"), "--urls", "http://127.0.0.1:0"],
            packed.Root, new Dictionary<string, string> { ["AKKAWAL__AKKAWAL__TRANSACTIONS__PARTITIONS"] = "zero" });
        Assert.True(serve.ExitCode == 2, serve.Combined);
        Assert.Contains("akkawal.transactions.partitions = \"zero\" is invalid", serve.Combined);
    }

    [Fact]
    public async Task A_console_app_from_the_folder_persists_and_recovers_events_through_WithWalPersistence()
    {
        var app = Path.Combine(packed.Root, "app-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(app);
        await File.WriteAllTextAsync(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="akkawal-local" value="{packed.Feed}" />
              </packageSources>
            </configuration>
            """);
        await File.WriteAllTextAsync(Path.Combine(app, "App.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="AkkaWal.Persistence.Hosting" Version="{packed.Version}" />
                <PackageReference Include="Microsoft.Extensions.Hosting" Version="10.0.0" />
              </ItemGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), ConsoleApp.Source);

        (await PackedFeed.RunAsync(ChildProcess.Dotnet, ["build", "-c", "Release", "-o", Path.Combine(app, "out")], app))
            .EnsureSuccess("dotnet build of the console app");
        var dll = Path.Combine(app, "out", "App.dll");
        var data = Path.Combine(app, "data");

        var write = await PackedFeed.RunAsync(ChildProcess.Dotnet, [dll, data, "write"], app);
        Assert.True(write.ExitCode == 0, write.Combined);
        var read = await PackedFeed.RunAsync(ChildProcess.Dotnet, [dll, data, "read"], app);

        Assert.True(read.ExitCode == 0, read.Combined);
        Assert.Contains("recovered: one,two,three", read.Combined);
        Assert.True(Directory.EnumerateFiles(Path.Combine(data, "journal"), "*.wal").Any());
    }
}
