using System.Buffers.Binary;

namespace AkkaWal.Storage;

/// <summary>
/// A read-only walk over a log directory for tools (`akkawal verify`, `dump`, `stats`). It opens every file read-only,
/// takes no lock and writes nothing, so it may run next to a live owner. It applies open's rules (docs/FORMAT.md,
/// "Recovery") without repairing anything, and unlike open it goes on after damage (resynchronising on the next valid
/// frame, as SkipCorrupted does) so that every problem is reported, each with its file and byte offset.
/// </summary>
public static class LogInspector
{
    /// <param name="fromPosition">Frames before this log position are checked but not handed to <paramref name="onFrame"/>;
    /// segments that end before it are not scanned at all (their headers and the chain still are).</param>
    /// <param name="onFrame">Called for every frame in log order; return false to stop.</param>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    public static LogInspection Inspect(string directory, long fromPosition = 0, Func<InspectedFrame, bool>? onFrame = null,
        IWalFileSystem? fileSystem = null, CancellationToken ct = default)
    {
        if (!System.IO.Directory.Exists(directory))
            throw new DirectoryNotFoundException($"log directory '{directory}' does not exist");
        var walk = new Walk(directory, fileSystem ?? PhysicalFileSystem.Instance, fromPosition, onFrame, ct);
        return walk.Run();
    }

    private sealed class Walk(string dir, IWalFileSystem fs, long from, Func<InspectedFrame, bool>? onFrame, CancellationToken ct)
    {
        private readonly List<InspectionFinding> _findings = [];
        private readonly List<InspectedSegment> _segments = [];
        private bool _stopped;

        private sealed record Candidate(string Path, IWalFile File, SegmentHeader? Header, string? HeaderProblem, bool HasData);

        public LogInspection Run()
        {
            var names = fs.ListFiles(dir).Order(StringComparer.Ordinal).ToList();
            foreach (var name in names)
            {
                if (name.EndsWith(".tmp", StringComparison.Ordinal))
                    Note(name, "leftover temp file of an interrupted roll or compaction (open removes it)");
                else if (name.Contains(".wal.dropped", StringComparison.Ordinal))
                    Note(name, "segment set aside by an earlier recovery; not part of the log");
            }

            var candidates = new List<Candidate>();
            try
            {
                foreach (var (name, nameBase) in names
                             .Select(n => (n, ok: SegmentHeader.TryParseFileName(n, out long b), b))
                             .Where(t => t.ok).Select(t => (t.n, t.b)).OrderBy(t => t.b))
                    candidates.Add(OpenCandidate(Path.Combine(dir, name), nameBase));

                int lastData = candidates.FindLastIndex(c => c.HasData);
                SegmentHeader? prev = null;
                for (int i = 0; i < candidates.Count && !_stopped; i++)
                {
                    var c = candidates[i];
                    if (c.Header is null)
                    {
                        Add(FindingSeverity.Problem, c.Path, 0, c.HeaderProblem!);
                        _segments.Add(new InspectedSegment(c.Path, -1, 0, c.File.Length, -1, 0, 0, 0, 0, 0, Readable: false));
                        continue;
                    }
                    string? chain = c.Header.CheckFollows(prev);
                    if (chain is not null && !c.HasData && i > lastData)
                    {
                        Add(FindingSeverity.Note, c.Path, 40, "unused preallocated segment that does not follow the chain (open deletes it): " + chain);
                        continue;
                    }
                    if (chain is not null) Add(FindingSeverity.Problem, c.Path, 40, chain);
                    prev = c.Header;
                    bool skip = i > lastData || c.Header.BaseOffset + c.Header.Capacity <= from;
                    _segments.Add(skip
                        ? new InspectedSegment(c.Path, c.Header.BaseOffset, c.Header.Capacity, c.File.Length, c.Header.SegmentNumber,
                            SegmentHeader.Size, 0, 0, 0, 0, Readable: true)
                        : Scan(c, isLast: i == lastData, mustHaveData: i < lastData));
                }
            }
            finally
            {
                foreach (var c in candidates) c.File.Dispose();
            }
            return new LogInspection(dir, _segments, _findings, _stopped);
        }

        private Candidate OpenCandidate(string path, long nameBase)
        {
            var file = fs.OpenFile(path, WalFileOpen.ReadOnly);
            Span<byte> buf = stackalloc byte[SegmentHeader.Size + RecordFrame.HeaderSize];
            int n = file.Read(0, buf);
            var header = SegmentHeader.TryRead(buf[..Math.Min(n, SegmentHeader.Size)], out var problem);
            if (header is not null && header.BaseOffset != nameBase)
            {
                problem = $"header says base {header.BaseOffset} but the file name says {nameBase}";
                header = null;
            }
            bool hasData = header is null || (n > SegmentHeader.Size && buf[SegmentHeader.Size..n].IndexOfAnyExcept((byte)0) >= 0);
            return new Candidate(path, file, header, problem, hasData);
        }

        /// <summary>Walks one segment's frames, the way open's scan does, reporting instead of repairing.</summary>
        private InspectedSegment Scan(Candidate c, bool isLast, bool mustHaveData)
        {
            var header = c.Header!;
            var file = c.File;
            long limit = Math.Min(header.Capacity, file.Length);
            var reader = new FrameReader(file, SegmentHeader.Size, limit);
            long dataEnd = SegmentHeader.Size, records = 0, payloadBytes = 0, frameBytes = 0, paddingBytes = 0;
            long batchStart = -1, batchRecords = 0, batchPayload = 0, batchFrames = 0;

            while (!_stopped)
            {
                ct.ThrowIfCancellationRequested();
                var st = reader.Next(out var f);
                string? problem = null;
                long at = f.Offset;
                switch (st)
                {
                    case FrameStatus.Record:
                        Emit(header, c.Path, f);
                        switch (f.Type)
                        {
                            case RecordType.Full when batchStart < 0:
                                records++;
                                payloadBytes += f.Payload.Length;
                                frameBytes += f.Span;
                                dataEnd = reader.Offset;
                                break;
                            case RecordType.BatchFirst when batchStart < 0:
                                batchStart = f.Offset;
                                (batchRecords, batchPayload, batchFrames) = (1, f.Payload.Length, f.Span);
                                break;
                            case RecordType.BatchMiddle or RecordType.BatchLast when batchStart >= 0:
                                batchRecords++;
                                batchPayload += f.Payload.Length;
                                batchFrames += f.Span;
                                if (f.Type == RecordType.BatchLast)
                                {
                                    records += batchRecords;
                                    payloadBytes += batchPayload;
                                    frameBytes += batchFrames;
                                    batchStart = -1;
                                    dataEnd = reader.Offset;
                                }
                                break;
                            case RecordType.BatchMiddle or RecordType.BatchLast:
                                problem = $"{f.Type} record without a BatchFirst before it";
                                break;
                            default:
                                problem = $"the batch starting here is interrupted by a {f.Type} record at offset {f.Offset}";
                                at = batchStart;
                                break;
                        }
                        break;
                    case FrameStatus.Padding when batchStart < 0:
                        Emit(header, c.Path, f);
                        paddingBytes += f.Span;
                        dataEnd = reader.Offset;
                        break;
                    case FrameStatus.Padding:
                        problem = $"the batch starting here is interrupted by padding at offset {f.Offset}";
                        at = batchStart;
                        break;
                    case FrameStatus.EndOfData or FrameStatus.EndOfSegment:
                        long nonZero = FrameReader.EndOfNonZero(file, f.Offset, limit);
                        if (batchStart >= 0)
                        {
                            problem = $"incomplete batch: data ends at offset {f.Offset} before its BatchLast record";
                            at = batchStart;
                        }
                        else if (nonZero >= 0)
                            problem = $"non-zero bytes up to offset {nonZero} after the end of data";
                        else if (mustHaveData && dataEnd == SegmentHeader.Size)
                            problem = "sealed segment holds no data although later segments do (lost writes?)";
                        break;
                    default:
                        problem = f.Problem;
                        if (batchStart >= 0)
                        {
                            problem = $"batch starting here is broken: {problem} at offset {f.Offset}";
                            at = batchStart;
                        }
                        break;
                }
                if (st is FrameStatus.EndOfData or FrameStatus.EndOfSegment && problem is null) break;
                if (problem is null) continue;

                long nonZeroEnd = Math.Max(FrameReader.EndOfNonZero(file, at, limit), at);
                if (isLast && nonZeroEnd <= at + header.TornWriteWindow)
                {
                    Add(FindingSeverity.TornTail, c.Path, at,
                        $"{problem} (torn tail: {nonZeroEnd - at} bytes of one unsynced write, never acknowledged; open truncates them)");
                    break;
                }
                Add(FindingSeverity.Problem, c.Path, at, problem + (isLast
                    ? $" (non-zero data continues to offset {nonZeroEnd}, beyond the {header.TornWriteWindow}-byte window of one unsynced write, so it is not a torn tail)"
                    : " (in a sealed segment)"));
                long resume = Resync(file, at + 1, nonZeroEnd);
                if (resume >= nonZeroEnd) break;
                reader = new FrameReader(file, resume, limit);
                batchStart = -1;
            }
            return new InspectedSegment(c.Path, header.BaseOffset, header.Capacity, file.Length, header.SegmentNumber, dataEnd,
                records, payloadBytes, frameBytes, paddingBytes, Readable: true);
        }

        private void Emit(SegmentHeader header, string path, in Frame f)
        {
            long position = header.BaseOffset + f.Offset;
            if (onFrame is null || position < from || _stopped) return;
            if (!onFrame(new InspectedFrame(position, f.Type, f.Payload, f.HoleBytes, path, f.Offset))) _stopped = true;
        }

        private void Note(string name, string what) => Add(FindingSeverity.Note, Path.Combine(dir, name), 0, what);

        private void Add(FindingSeverity severity, string path, long offset, string description) =>
            _findings.Add(new InspectionFinding(severity, path, offset, description));
    }

    /// <summary>First offset in [from, end) where a valid Full, BatchFirst or Padding frame starts; end if none
    /// (the same rule as SkipCorrupted recovery).</summary>
    private static long Resync(IWalFile file, long from, long end)
    {
        if (from >= end) return end;
        var buf = new byte[end - from];
        int n = file.Read(from, buf);
        for (int i = 0; i + RecordFrame.HeaderSize <= n; i++)
        {
            uint len = BinaryPrimitives.ReadUInt32LittleEndian(buf.AsSpan(i));
            if (len == 0 || len > n - i - 8) continue;
            byte type = buf[i + 8];
            if (type is not ((byte)RecordType.Full or (byte)RecordType.BatchFirst or (byte)RecordType.Padding)) continue;
            uint crc = BinaryPrimitives.ReadUInt32LittleEndian(buf.AsSpan(i + 4));
            if (Crc32C.Mask(Crc32C.Compute(buf.AsSpan(i + 8, (int)len))) == crc) return from + i;
        }
        return end;
    }
}
