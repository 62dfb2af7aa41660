namespace AkkaWal.Storage;

/// <summary>Rewrites one sealed segment: &lt;name&gt;.tmp (same directory) gets the original header, every kept record at
/// its original offset (batch records as Full) and one padding frame per removed run, the rest left as a sparse hole;
/// then fdatasync, rename over the original (atomic replace), fsync the directory, and swap the open file.</summary>
internal sealed class SegmentCompactor(Segment segment, IWalFileSystem fs, string directory)
{
    private const int MinHole = 64 * 1024;
    private const int MaxPending = 4 << 20;

    public readonly record struct Result(bool Rewritten, long Kept, long Removed, long Reclaimed);

    private readonly record struct Piece(long Offset, long End, bool Keep, RecordType Type, ReadOnlyMemory<byte> Payload);

    /// <summary>Points the segment at the rewritten file; readers that hit the closed old one retry on the new one.</summary>
    private void Swap(IWalFile output, List<(long Start, long End)>? stillSkipped)
    {
        var old = segment.File;
        segment.File = output;
        segment.SkipRanges = stillSkipped;
        old.Dispose();
    }

    public Result Run(Func<LogRecord, bool> keep)
    {
        var file = segment.File;
        long limit = Math.Min(segment.Capacity, segment.DataEnd);
        var reader = new FrameReader(file, SegmentHeader.Size, limit, 1 << 20, freshChunks: true);
        var pieces = new List<Piece>();
        long kept = 0, removed = 0, bytesBefore = 0, bytesAfter = 0;
        bool hadSkips = segment.SkipRanges is { Count: > 0 };
        int skip = 0;
        while (true)
        {
            if (segment.SkipRanges is { } ranges && skip < ranges.Count && ranges[skip].Start == reader.Offset)
            {
                pieces.Add(new Piece(ranges[skip].Start, ranges[skip].End, false, RecordType.Padding, default));
                reader.Offset = ranges[skip++].End;
                continue;
            }
            var st = reader.Next(out var f);
            if (st == FrameStatus.Record)
            {
                bool k = keep(new LogRecord(segment.Base + f.Offset, f.Payload));
                pieces.Add(new Piece(f.Offset, f.Offset + f.Span, k, f.Type, f.Payload));
                bytesBefore += f.Span;
                if (k) { kept++; bytesAfter += f.Span; }
                else removed++;
            }
            else if (st == FrameStatus.Padding)
            {
                pieces.Add(new Piece(f.Offset, f.Offset + f.Span, false, RecordType.Padding, default));
                bytesBefore += f.Span - f.HoleBytes;
            }
            else if (st == FrameStatus.Bad)
                throw new WalCorruptionException(segment.Path, f.Offset, f.Problem + " (found while compacting)");
            else break;
        }
        if (removed == 0 && !hadSkips) return new Result(false, kept, 0, 0);

        string tmp = segment.Path + ".tmp";
        bool renamed = false;
        List<(long Start, long End)>? stillSkipped = null;
        if (fs.FileExists(tmp)) fs.Delete(tmp);
        var output = fs.OpenFile(tmp, WalFileOpen.CreateNew);
        try
        {
            output.SetLength(segment.Capacity); // sparse: holes are never written
            // Contiguous frames are gathered into one buffer; only holes of at least MinHole stay unwritten
            // (smaller ones free no whole file-system block, so zeros are written instead).
            var pending = new List<byte>(capacity: 1 << 16);
            long pendingStart = 0;
            var header = new byte[SegmentHeader.Size];
            file.Read(0, header);
            pending.AddRange(header);
            var frame = new byte[64 * 1024];
            void FlushPending(long nextStart)
            {
                if (pending.Count > 0) output.Write(pendingStart, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(pending));
                pending.Clear();
                pendingStart = nextStart;
            }
            for (int i = 0; i < pieces.Count; i++)
            {
                var p = pieces[i];
                if (pending.Count >= MaxPending) FlushPending(p.Offset);
                if (p.Keep)
                {
                    int size = RecordFrame.HeaderSize + p.Payload.Length;
                    if (size > frame.Length) frame = new byte[size];
                    RecordFrame.Write(frame, RecordType.Full, p.Payload.Span);
                    pending.AddRange(frame.AsSpan(0, size));
                    continue;
                }
                long runEnd = p.End;
                while (i + 1 < pieces.Count && !pieces[i + 1].Keep) runEnd = pieces[++i].End;
                if (runEnd - p.Offset < RecordFrame.HeaderSize)
                {
                    // Only a skipped damaged range can be this short (every frame is at least a header), and no frame
                    // fits it: keep its bytes and keep skipping it.
                    var damaged = new byte[runEnd - p.Offset];
                    file.Read(p.Offset, damaged);
                    pending.AddRange(damaged);
                    (stillSkipped ??= []).Add((p.Offset, runEnd));
                    continue;
                }
                int written = RecordFrame.WritePadding(frame, runEnd - p.Offset);
                pending.AddRange(frame.AsSpan(0, written));
                bytesAfter += written;
                long hole = runEnd - p.Offset - written;
                if (hole >= MinHole) FlushPending(runEnd);
                else for (long z = 0; z < hole; z++) pending.Add(0);
            }
            FlushPending(0);
            output.FlushData();
            fs.Rename(tmp, segment.Path);
            renamed = true;
            fs.SyncDirectory(directory);
        }
        catch (Exception e) when (renamed)
        {
            // The new file is in place but the directory fsync failed: what the disk holds is unknown and a later
            // fsync may "succeed" without it, so the whole log must stop writing (WriteAheadLog fails it).
            Swap(output, stillSkipped);
            throw new DirectorySyncFailedException(directory, e);
        }
        catch
        {
            output.Dispose();
            try { if (fs.FileExists(tmp)) fs.Delete(tmp); } catch (IOException) { /* removed on next open */ }
            throw;
        }
        Swap(output, stillSkipped);
        return new Result(true, kept, removed, Math.Max(0, bytesBefore - bytesAfter));
    }
}

/// <summary>A directory fsync failed after a rename: the log cannot know what is durable and stops writing.</summary>
internal sealed class DirectorySyncFailedException(string directory, Exception inner)
    : IOException($"fsync of directory '{directory}' failed after a compaction rename: {inner.Message}", inner);
