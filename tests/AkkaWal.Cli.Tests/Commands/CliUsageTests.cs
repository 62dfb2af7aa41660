namespace AkkaWal.Cli.Tests.Commands;

public class CliUsageTests
{
    [Theory]
    [InlineData("verify")]
    [InlineData("dump")]
    [InlineData("stats")]
    [InlineData("serve")]
    [InlineData("demo")]
    [InlineData("compact")]
    [InlineData("import")]
    public async Task Every_command_has_help_and_documents_its_exit_codes(string command)
    {
        var result = await CliHarness.RunAsync(command, "--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:", result.Output);
        Assert.Contains("Exit codes", result.Output);
    }

    [Fact]
    public async Task Unknown_option_is_a_usage_error()
    {
        var result = await CliHarness.RunAsync("dump", "--no-such-option", ".");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--no-such-option", result.Error);
    }

    [Fact]
    public async Task Missing_directory_is_a_usage_error_naming_it()
    {
        var missing = Path.Combine(Path.GetTempPath(), "akkawal-no-such-dir-" + Guid.NewGuid().ToString("N"));
        var result = await CliHarness.RunAsync("verify", missing);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(missing, result.Error);
    }

    [Fact]
    public async Task Unknown_command_is_a_usage_error()
    {
        var result = await CliHarness.RunAsync("frobnicate");
        Assert.Equal(2, result.ExitCode);
    }
}
