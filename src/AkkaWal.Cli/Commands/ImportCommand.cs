using AkkaWal.Persistence;
using AkkaWal.Storage;
using System.CommandLine;
using Akka.Actor;
using Akka.Configuration;
using AkkaWal.Transactions;
using AkkaWal.Transactions.Import;
using AkkaWal.Transactions.Protocol;
using Serilog;
using Serilog.Events;

namespace AkkaWal.Cli.Commands;

/// <summary>`akkawal import FILE... --dir DIR`: moves legacy JSON-lines WAL files into the transaction pipeline's WAL.</summary>
public static class ImportCommand
{
    private static readonly TimeSpan RecoveryTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan AskTimeout = TimeSpan.FromMinutes(1);

    public static Command Create()
    {
        var files = new Argument<FileInfo[]>("FILE")
        {
            Description = "Legacy JSON-lines WAL files (generation 1, generation 2 or mixed), imported in the order given.",
            Arity = ArgumentArity.OneOrMore,
        }.AcceptExistingOnly();
        var dir = new Option<DirectoryInfo>("--dir")
        {
            Description = "The pipeline's data directory (the journal in DIR/journal, snapshots in DIR/snapshots); created if missing. " +
                          "No service may be running on it.",
            Required = true,
        };
        var skipBadLines = new Option<bool>("--skip-bad-lines")
        {
            Description = "Count and skip malformed lines instead of failing. An unknown op still fails.",
        };
        var json = new Option<bool>("--json")
        {
            Description = "Print the summary as one JSON object (committed, inDoubt, orphanCommits, redundantCommits, tornTail, badLines, ...).",
        };
        var config = new Option<FileInfo>("--config")
        {
            Description = "HOCON file with the service's akkawal.transactions settings (partitions, max-changes-bytes): they must be the " +
                          "ones the service uses on DIR.",
        };
        config.AcceptExistingOnly();
        var verbose = new Option<bool>("--verbose") { Description = "Also log what the pipeline does (recovery of each partition and the like); by default only warnings and errors are logged." };
        var command = new Command("import",
            "Import legacy JSON-lines WAL files: committed transactions become committed state, undecided ones in-doubt transactions. " +
            "Every file is read and checked before anything is written, so a failed import leaves the WAL as it was; importing the " +
            "same files again writes nothing. Exit codes: 0 imported, 1 a file is malformed or conflicts with the WAL (nothing " +
            "written) or a write failed, 2 usage error, 3 the WAL could not be opened, 130 cancelled.")
        {
            files, dir, skipBadLines, json, config, verbose,
        };
        command.SetAction((parsed, ct) => RunAsync(parsed.GetValue(files)!, parsed.GetValue(dir)!, parsed.GetValue(skipBadLines),
            parsed.GetValue(json), parsed.GetValue(config), parsed.GetValue(verbose), parsed.InvocationConfiguration.Output,
            parsed.InvocationConfiguration.Error, ct));
        return command;
    }

    private static async Task<int> RunAsync(FileInfo[] files, DirectoryInfo dir, bool skipBadLines, bool json, FileInfo? configFile,
        bool verbose, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var journal = WalDataDirectory.Journal(dir.FullName);
        if (DirectoryLock.FindOwner(journal) is { } ownerPid)
        {
            await error.WriteLineAsync($"akkawal import: {journal} is in use by process {ownerPid}; stop the service that owns it first");
            return ExitCodes.CouldNotRun;
        }
        // Progress and logs go to standard error so standard output carries only the summary. An ops command logs only
        // what needs attention (warnings, errors) unless asked for more.
        Log.Logger = new LoggerConfiguration()
            .MinimumLevel.Is(verbose ? LogEventLevel.Information : LogEventLevel.Warning)
            .WriteTo.Console(standardErrorFromLevel: LogEventLevel.Verbose)
            .CreateLogger();
        var config = ConfigurationFactory.ParseString($"""
                akka.loglevel = {(verbose ? "INFO" : "WARNING")}
                akka.stdout-loglevel = OFF
                akka.loggers = ["Akka.Logger.Serilog.SerilogLogger, Akka.Logger.Serilog"]
                akkawal.transactions.compaction.interval = off
                """)
            .WithFallback(configFile is null ? Config.Empty : ConfigurationFactory.ParseString(await File.ReadAllTextAsync(configFile.FullName, ct)))
            .WithFallback(TransactionsConfig.OnWal(dir.FullName));

        var system = ActorSystem.Create("akkawal-import", config);
        try
        {
            var settings = TransactionSettings.Create(system);
            var coordinator = system.StartTransactions();
            await error.WriteLineAsync($"akkawal import: recovering the WAL in {dir.FullName} ...");
            try
            {
                // The coordinator answers once every partition is recovered from DIR.
                await coordinator.Ask<InDoubtTransactions>(GetInDoubt.Instance, RecoveryTimeout, ct);
            }
            catch (AskTimeoutException)
            {
                await error.WriteLineAsync($"akkawal import: the WAL in {dir.FullName} did not recover within {RecoveryTimeout} " +
                                           "(is a service running on it? see the log above)");
                return ExitCodes.CouldNotRun;
            }
            await error.WriteLineAsync($"akkawal import: importing {files.Length} file(s) ...");
            var importer = new LegacyImporter(coordinator, settings, AskTimeout);
            var summary = await importer.ImportAsync(files.Select(f => f.FullName).ToArray(), skipBadLines, ct);
            if (json)
                await output.WriteLineAsync(summary.ToJson());
            else
                foreach (var line in summary.ToText())
                    await output.WriteLineAsync(line);
            return ExitCodes.Ok;
        }
        catch (LegacyWalFormatException e)
        {
            await error.WriteLineAsync($"akkawal import: {e.Message}; nothing was imported");
            return ExitCodes.ProblemsFound;
        }
        catch (LegacyImportException e)
        {
            await error.WriteLineAsync($"akkawal import: {e.Message}");
            return ExitCodes.ProblemsFound;
        }
        catch (IOException e)
        {
            await error.WriteLineAsync($"akkawal import: I/O error: {e.Message}");
            return ExitCodes.CouldNotRun;
        }
        catch (UnauthorizedAccessException e)
        {
            await error.WriteLineAsync($"akkawal import: no permission: {e.Message}");
            return ExitCodes.CouldNotRun;
        }
        finally
        {
            await system.Terminate();
            await Log.CloseAndFlushAsync();
        }
    }
}
