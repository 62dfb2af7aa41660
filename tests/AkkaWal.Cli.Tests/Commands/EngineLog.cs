using System.Text;
using AkkaWal.Storage;

namespace AkkaWal.Cli.Tests.Commands;

/// <summary>A small log written through the real engine, with tiny segments so it spans several files.</summary>
internal sealed class EngineLog : IDisposable
{
    public const int TextRecords = 600;

    private readonly TempDirectory _root;

    private EngineLog(TempDirectory root, string directory, IReadOnlyList<long> positions, long binaryPosition, long[] batchPositions)
    {
        _root = root;
        Directory = directory;
        Positions = positions;
        BinaryPosition = binaryPosition;
        BatchPositions = batchPositions;
    }

    public string Root => _root.Path;
    public string Directory { get; }
    /// <summary>Positions of the text records "record-0" .. "record-599", in order.</summary>
    public IReadOnlyList<long> Positions { get; }
    public long BinaryPosition { get; }
    public long[] BatchPositions { get; }
    public int TotalRecords => TextRecords + 1 + BatchPositions.Length;

    public static WalOptions Options(string directory) => new()
    {
        Directory = directory,
        SegmentSize = 4096,
        MaxRecordSize = 1024,
        MaxGroupBytes = 4096,
    };

    public static async Task<EngineLog> WriteAsync()
    {
        var root = new TempDirectory("akkawal-clitest-");
        var dir = Path.Combine(root.Path, "log");
        var positions = new List<long>();
        long binary;
        long[] batch;
        await using (var log = WriteAheadLog.Open(Options(dir)))
        {
            for (var i = 0; i < TextRecords; i++)
                positions.Add(await log.AppendAsync(Encoding.UTF8.GetBytes($"record-{i}")));
            binary = await log.AppendAsync(new byte[] { 0x00, 0x01, 0xff });
            batch = await log.AppendBatchAsync([Encoding.UTF8.GetBytes("batch-a"), Encoding.UTF8.GetBytes("batch-b")]);
        }
        return new EngineLog(root, dir, positions, binary, batch);
    }

    /// <summary>The segment file holding <paramref name="position"/> and the position's byte offset within it.</summary>
    public (string File, long Offset) Locate(long position)
    {
        var segment = System.IO.Directory.GetFiles(Directory, "*.wal")
            .Select(f => (File: f, Base: long.Parse(Path.GetFileNameWithoutExtension(f))))
            .Where(s => s.Base <= position).MaxBy(s => s.Base);
        return (segment.File, position - segment.Base);
    }

    /// <summary>A byte-for-byte copy of the log directory (to damage without touching the original).</summary>
    public string Copy(string name)
    {
        var target = Path.Combine(Root, name);
        System.IO.Directory.CreateDirectory(target);
        foreach (var file in System.IO.Directory.GetFiles(Directory))
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        return target;
    }

    public static void FlipByte(string file, long offset) => LogFiles.Xor(file, offset, 0x40);

    /// <summary>SHA-256 of every file in a directory but the owner's LOCK, to prove a command changed nothing.</summary>
    public static Dictionary<string, string> Fingerprint(string directory) => System.IO.Directory.GetFiles(directory)
        .Where(f => Path.GetFileName(f) != "LOCK")
        .ToDictionary(f => Path.GetFileName(f), f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))))!;

    public void Dispose() => _root.Dispose();
}
