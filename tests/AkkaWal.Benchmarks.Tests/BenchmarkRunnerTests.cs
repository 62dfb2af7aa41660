namespace AkkaWal.Benchmarks.Tests;

/// <summary>The benchmark executable's command line, run in-process.</summary>
public sealed class BenchmarkRunnerTests
{
    [Theory]
    [InlineData("engine")]
    [InlineData("journal")]
    [InlineData("transactions")]
    public async Task Every_benchmark_has_help_and_documents_its_exit_codes(string command)
    {
        var (code, output, _) = await BenchmarkCli.RunAsync(command, "--help");
        Assert.Equal(0, code);
        Assert.Contains("Usage:", output);
        Assert.Contains("Exit codes", output);
    }

    [Fact]
    public async Task An_unknown_benchmark_or_option_is_a_usage_error()
    {
        Assert.Equal(2, (await BenchmarkCli.RunAsync("frobnicate")).Code);
        Assert.Equal(2, (await BenchmarkCli.RunAsync("engine", "--no-such-option")).Code);
    }

    [Fact]
    public async Task Engine_refuses_a_non_empty_directory_without_touching_it()
    {
        using var dir = new TempDirectory("akkawal-bench-nonempty-");
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "precious.txt"), "do not delete");
        var (code, _, error) = await BenchmarkCli.RunAsync("engine", "--quick", "--dir", dir.Path);
        Assert.Equal(3, code);
        Assert.Contains("not empty", error);
        Assert.Equal(["precious.txt"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName));
    }
}
