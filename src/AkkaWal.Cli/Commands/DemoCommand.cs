using System.CommandLine;
using AkkaWal.Cli.Serve;
using Spectre.Console;

namespace AkkaWal.Cli.Commands;

/// <summary>
/// `akkawal demo`: starts `akkawal serve` as a child process on a free loopback port, drives prepare+commit clients
/// against it with a live progress display, kills it with SIGKILL mid-load, restarts it and checks that every commit
/// that got a 2xx is there; then stops it gracefully.
/// </summary>
public static class DemoCommand
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = "Data directory for the host (default: a temporary directory, deleted at the end)." };
        var clients = new Option<int>("--clients") { Description = "Concurrent HTTP clients.", DefaultValueFactory = _ => 16 };
        var kills = new Option<int>("--kills") { Description = "How many times the host is killed with SIGKILL.", DefaultValueFactory = _ => 2 };
        var perRound = new Option<int>("--commits") { Description = "Acknowledged commits between two kills.", DefaultValueFactory = _ => 500 };
        var command = new Command("demo",
            "Run a scripted workload against a real `akkawal serve` child process, kill -9 it under load, restart it and show " +
            "that every acknowledged commit survived. Exit codes: 0 nothing lost, 1 an acknowledged commit was lost, 2 usage " +
            "error, 3 the host could not start.")
        {
            data, clients, kills, perRound,
        };
        // On each option (not the command): an option's own result holds its value after its default applies.
        clients.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 1024) r.AddError("--clients must be 1..1024"); });
        kills.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 0 or > 100) r.AddError("--kills must be 0..100"); });
        perRound.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 1_000_000) r.AddError("--commits must be 1..1000000"); });
        command.SetAction((parsed, ct) => RunAsync(parsed.GetValue(data), parsed.GetValue(clients), parsed.GetValue(kills),
            parsed.GetValue(perRound), parsed.InvocationConfiguration.Output, ct));
        return command;
    }

    private sealed record Round(int Number, int Commits, int Prepares, int Lost, int Pid);

    private static async Task<int> RunAsync(string? dataOption, int clients, int kills, int perRound, TextWriter output, CancellationToken ct)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        var temporary = dataOption is null;
        var data = Path.GetFullPath(dataOption ?? Path.Combine(Path.GetTempPath(), $"akkawal-demo-{Guid.NewGuid():N}"));
        console.MarkupLine($"[bold]akkawal demo[/]: {clients} clients, {kills} kill -9, {perRound} commits per round; data in [blue]{Markup.Escape(data)}[/]");
        var ledgers = new List<CommitLoad>();
        var rounds = new List<Round>();
        try
        {
            for (var round = 0; round <= kills; round++)
            {
                using var serve = await ServeProcess.StartAsync(data, [], StartTimeout, ct);
                console.MarkupLine($"round {round}: akkawal serve pid {serve.ProcessId} listening on [blue]{serve.BaseAddress}[/]");
                using var client = new HttpClient { BaseAddress = serve.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
                if (round > 0)
                {
                    var lost = await VerifyAsync(console, client, ledgers, ct);
                    rounds[^1] = rounds[^1] with { Lost = lost };
                }
                if (round == kills)
                {
                    var exit = await serve.TerminateAsync(TimeSpan.FromSeconds(60));
                    console.MarkupLine($"SIGTERM: akkawal serve drained, closed the WAL and exited with code {exit}");
                    break;
                }
                var load = new CommitLoad(client, $"demo{round}-{Guid.NewGuid():N}"[..16]);
                ledgers.Add(load);
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
                var running = load.RunAsync(clients, perClient: int.MaxValue, stop.Token);
                await console.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                    .StartAsync(async progress =>
                    {
                        var task = progress.AddTask($"round {round}: acknowledged commits", maxValue: perRound);
                        while (load.AcknowledgedCommits.Count < perRound && !running.IsCompleted)
                        {
                            task.Value = load.AcknowledgedCommits.Count;
                            await Task.Delay(50, ct);
                        }
                        task.Value = perRound;
                    });
                await serve.KillAsync();
                stop.Cancel();
                await running;
                rounds.Add(new Round(round, load.AcknowledgedCommits.Count, load.AcknowledgedPrepares.Count, 0, serve.ProcessId));
                console.MarkupLine($"[red]kill -9[/] pid {serve.ProcessId} with commits in flight: {load.AcknowledgedCommits.Count} commits and " +
                                   $"{load.AcknowledgedPrepares.Count} prepares were acknowledged (2xx) before it died");
            }
        }
        catch (InvalidOperationException e)
        {
            console.MarkupLine($"[red]the host could not start:[/] {Markup.Escape(e.Message)}");
            return ExitCodes.CouldNotRun;
        }
        finally
        {
            if (temporary)
                try { Directory.Delete(data, recursive: true); } catch (IOException) { }
        }

        var table = new Table().AddColumns("round", "killed pid", "acknowledged commits", "acknowledged prepares", "lost after restart");
        foreach (var r in rounds)
            table.AddRow(r.Number.ToString(), r.Pid.ToString(), r.Commits.ToString(), r.Prepares.ToString(), r.Lost == 0 ? "[green]0[/]" : $"[red]{r.Lost}[/]");
        console.Write(table);
        var totalLost = rounds.Sum(r => r.Lost);
        console.MarkupLine(totalLost == 0
            ? $"[green]every acknowledged commit survived {kills} kill -9[/] ({rounds.Sum(r => r.Commits)} commits checked after each restart)"
            : $"[red]{totalLost} acknowledged commits were lost[/]");
        return totalLost == 0 ? ExitCodes.Ok : ExitCodes.ProblemsFound;
    }

    /// <summary>Checks every ledger so far against the restarted host; returns how many acknowledged writes are missing.</summary>
    private static async Task<int> VerifyAsync(IAnsiConsole console, HttpClient client, List<CommitLoad> ledgers, CancellationToken ct)
    {
        var problems = new List<string>();
        await console.Status().StartAsync("verifying every acknowledged commit after the restart...", async _ =>
        {
            foreach (var ledger in ledgers)
                problems.AddRange(await ledger.VerifyAsync(client, ct));
        });
        foreach (var problem in problems.Take(20))
            console.MarkupLine($"[red]lost:[/] {Markup.Escape(problem)}");
        console.MarkupLine(problems.Count == 0
            ? $"[green]restart recovered all {ledgers.Sum(l => l.AcknowledgedCommits.Count)} acknowledged commits[/]"
            : $"[red]{problems.Count} acknowledged writes missing[/]");
        return problems.Count;
    }
}
