using System.Diagnostics;
using Npgsql;

namespace AkkaWal.Loopback;

/// <summary>
/// A real PostgreSQL server for one test run, from Debian's `postgresql` binaries (/usr/lib/postgresql/N/bin):
/// <c>initdb</c> into a temp directory, <c>pg_ctl start</c> on a free loopback port with its unix socket in that
/// directory too, so it never meets a cluster the package may have started. initdb refuses to run as root, so as root
/// every server command runs as the `postgres` system user (<c>runuser -u postgres --</c>) on a directory it owns.
/// <see cref="DisposeAsync"/> stops the server and deletes the directory; a failed start cleans up the same way.
/// <para>Shared source (src/Shared/Loopback), compiled into the cluster tests (where it is their xunit fixture: the test
/// project adds IAsyncLifetime to this partial class) and into the cluster benchmark.</para>
/// </summary>
public sealed partial class PostgresServer
{
    private const string Superuser = "postgres";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);

    private string? _root;
    private string _bin = "";

    public int Port { get; private set; }

    private string DataDirectory => Path.Combine(_root!, "data");

    /// <summary>The postmaster's process id (the first line of postmaster.pid); its children are the server's backends.</summary>
    public int ServerProcessId => int.Parse(File.ReadLines(Path.Combine(DataDirectory, "postmaster.pid")).First(),
        System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A connection string to <paramref name="database"/> as the superuser (trust auth on loopback only).</summary>
    public string ConnectionString(string database = "postgres") =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = Superuser, Database = database, Pooling = false }.ConnectionString;

    public async Task InitializeAsync()
    {
        _bin = FindBinaries();
        // As root under /tmp itself: the postgres user must reach the directory, and a TMPDIR may sit in root's home.
        _root = RunningAsRoot
            ? Directory.CreateDirectory(Path.Combine("/tmp", "akkawal-pg-" + Guid.NewGuid().ToString("N")[..12])).FullName
            : Directory.CreateTempSubdirectory("akkawal-pg-").FullName;
        try
        {
            if (RunningAsRoot) await RunAsync("chown", ["-R", Superuser + ":" + Superuser, _root]);
            await RunServerCommandAsync("initdb", ["-D", DataDirectory, "-U", Superuser, "--auth=trust", "-E", "UTF8", "--no-sync"]);
            await StartOnFreePortAsync();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>A new, empty database owned by a new login role of the same name; returns its connection string.
    /// One per test keeps tests independent on one server.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = prefix + "_" + Guid.NewGuid().ToString("N")[..10];
        await using (var connection = new NpgsqlConnection(ConnectionString()))
        {
            await connection.OpenAsync();
            foreach (var sql in new[] { $"CREATE ROLE {name} LOGIN", $"CREATE DATABASE {name} OWNER {name}" })
            {
                await using var command = new NpgsqlCommand(sql, connection);
                await command.ExecuteNonQueryAsync();
            }
        }
        return new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = name, Database = name }.ConnectionString;
    }

    /// <summary>Runs one scalar query as the superuser in <paramref name="database"/>.</summary>
    public async Task<object?> ScalarAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    public async Task DisposeAsync()
    {
        if (_root is null) return;
        try
        {
            if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
                await RunServerCommandAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "stop"]);
        }
        finally
        {
            try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            _root = null;
        }
    }

    /// <summary>A port found free can be taken before the server binds it; pg_ctl then fails and the next port is tried.</summary>
    private async Task StartOnFreePortAsync()
    {
        var log = Path.Combine(_root!, "server.log");
        for (var attempt = 1; ; attempt++)
        {
            Port = LoopbackPort.Free();
            var options = $"-p {Port} -c listen_addresses=127.0.0.1 -k {_root}";
            try
            {
                await RunServerCommandAsync("pg_ctl", ["-D", DataDirectory, "-l", log, "-o", options, "-w", "-t", "120", "start"]);
                return;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
            }
            catch (InvalidOperationException e)
            {
                var tail = File.Exists(log) ? string.Join(Environment.NewLine, File.ReadLines(log).TakeLast(20)) : "(no server log)";
                throw new InvalidOperationException(e.Message + Environment.NewLine + "server log:" + Environment.NewLine + tail, e);
            }
        }
    }

    private static bool RunningAsRoot => Environment.UserName == "root";

    private Task RunServerCommandAsync(string tool, IReadOnlyList<string> args) =>
        RunningAsRoot
            ? RunAsync("runuser", ["-u", Superuser, "--", Path.Combine(_bin, tool), .. args])
            : RunAsync(Path.Combine(_bin, tool), args);

    private static async Task RunAsync(string file, IReadOnlyList<string> args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(CommandTimeout);
        if (process.ExitCode != 0)
            throw new InvalidOperationException(
                $"{file} {string.Join(' ', args)} exited with {process.ExitCode}:{Environment.NewLine}{await stdout}{await stderr}");
    }

    /// <summary>The newest installed PostgreSQL's bin directory.</summary>
    private static string FindBinaries()
    {
        var candidates = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Where(d => File.Exists(Path.Combine(d, "bin", "initdb")) && int.TryParse(Path.GetFileName(d), out _))
                .OrderByDescending(d => int.Parse(Path.GetFileName(d)))
                .ToList()
            : [];
        return candidates.Count > 0
            ? Path.Combine(candidates[0], "bin")
            : throw new InvalidOperationException(
                "no PostgreSQL binaries under /usr/lib/postgresql/*/bin: install Debian's `postgresql` package (.ci/run does)");
    }
}
