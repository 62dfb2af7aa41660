using AkkaWal.Storage;

/// <summary>`storage DIR [writers]`: appends from several tasks forever and prints `ack POSITION PAYLOAD-ID` after each
/// acknowledged append (stdout flushed per line). The parent kills the process at random and checks the ledger.</summary>
internal static class StorageWorkload
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 2) { Console.Error.WriteLine("usage: storage DIR [writers]"); return 64; }
        int writers = args.Length > 2 ? int.Parse(args[2]) : 8;
        var options = new WalOptions { Directory = args[1], SegmentSize = 256 * 1024, MaxRecordSize = 4096, MaxGroupBytes = 64 * 1024 };
        using var wal = WriteAheadLog.Open(options);
        var stdout = Console.Out;
        var gate = new object();
        // Ids continue across runs so every record in the log is unique: start after the largest id present.
        long runBase = (wal.ReadFrom().Select(r => BitConverter.ToInt64(r.Payload.Span[..8]) / 1_000_000_000L).DefaultIfEmpty(-1).Max() + 1) * 1_000_000_000L;
        lock (gate) { stdout.WriteLine($"ready {Environment.ProcessId}"); stdout.Flush(); }
        var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (long i = 0; ; i++)
            {
                long id = runBase + w * 10_000_000L + i;
                var payload = new byte[8 + (int)(id % 200)];
                BitConverter.TryWriteBytes(payload, id);
                long pos = await wal.AppendAsync(payload);
                lock (gate)
                {
                    stdout.WriteLine($"ack {pos} {id}");
                    stdout.Flush();
                }
            }
        })).ToArray();
        await Task.WhenAll(tasks);
        return 0;
    }
}
