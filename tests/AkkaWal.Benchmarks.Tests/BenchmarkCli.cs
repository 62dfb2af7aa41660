namespace AkkaWal.Benchmarks.Tests;

/// <summary>The benchmark executable's command line run in-process, its output and error captured.</summary>
internal static class BenchmarkCli
{
    public static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await Program.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
