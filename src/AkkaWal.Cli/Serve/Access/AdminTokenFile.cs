using System.Security.Cryptography;
using AkkaWal.Storage;

namespace AkkaWal.Cli.Serve.Access;

/// <summary>
/// DATA/admin-token: the admin token the host generates at every start when <c>akkawal.host.admin-token</c> is unset.
/// Written to a temporary file created with mode 0600, fsynced, renamed over the old one and the directory fsynced, so
/// the file is never seen half-written or readable by others, and a restart replaces the previous token.
/// </summary>
public static class AdminTokenFile
{
    public const string FileName = "admin-token";

    public static string PathIn(string dataDirectory) => Path.Combine(Path.GetFullPath(dataDirectory), FileName);

    /// <summary>Generates a fresh token (256 random bits, hex) into DATA/admin-token; returns it.</summary>
    public static string Generate(string dataDirectory)
    {
        var directory = Path.GetFullPath(dataDirectory);
        Directory.CreateDirectory(directory);
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var target = PathIn(directory);
        var temporary = target + ".tmp";
        File.Delete(temporary); // a leftover of a crash may have another mode; the new file must be created 0600
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(temporary, options))
        {
            stream.Write(System.Text.Encoding.ASCII.GetBytes(token + "\n"));
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, target, overwrite: true);
        DataSync.SyncDirectory(directory);
        return token;
    }

    /// <summary>Reads a token file (as written by <see cref="Generate"/>, or by hand): its first line, trimmed.</summary>
    public static string Read(string path) => File.ReadLines(path).FirstOrDefault()?.Trim() ?? "";
}
