namespace AkkaWal.Storage;

// Compaction: rewrite sealed segments by copy, kept records at their original offsets, removed runs as padding + hole.
public sealed partial class WriteAheadLog
{
    private readonly SemaphoreSlim _compactionGate = new(1, 1);

    /// <summary>Rewrites sealed segments (those <paramref name="selectSegment"/> picks, default all) keeping only the
    /// records <paramref name="keep"/> returns true for. Kept records keep their positions and bytes; removed ones become
    /// padding over a sparse hole. Appends continue meanwhile. Batch records that are kept are rewritten as Full.</summary>
    public async Task<CompactionResult> CompactAsync(Func<LogRecord, bool> keep, Func<SegmentInfo, bool>? selectSegment = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(keep);
        ThrowIfDisposed();
        await _compactionGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            ThrowIfDisposed();
            return await Task.Factory.StartNew(() => CompactSealed(keep, selectSegment, ct), ct,
                TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
        }
        finally
        {
            _compactionGate.Release();
        }
    }

    private CompactionResult CompactSealed(Func<LogRecord, bool> keep, Func<SegmentInfo, bool>? select, CancellationToken ct)
    {
        int rewritten = 0;
        long kept = 0, removed = 0, reclaimed = 0;
        foreach (var seg in Volatile.Read(ref _segments))
        {
            if (!seg.Sealed || (select is not null && !select(seg.ToInfo(false)))) continue;
            ct.ThrowIfCancellationRequested();
            SegmentCompactor.Result r;
            try
            {
                r = new SegmentCompactor(seg, _fs, _options.Directory).Run(keep);
            }
            catch (DirectorySyncFailedException e)
            {
                FailFromOutside(e);
                throw Failure!;
            }
            kept += r.Kept;
            removed += r.Removed;
            // Compaction keeps the data end (removed runs become padding), so the seal on disk still fits; only its record
            // count (a figure of the recovery report) is now high, and the seal file gets the new one at the next roll.
            if (r.Rewritten) seg.Records = r.Kept;
            if (r.Rewritten && seg.Seal is { } seal) seg.Seal = seal with { Records = r.Kept };
            reclaimed += r.Reclaimed;
            if (r.Rewritten) rewritten++;
        }
        WalMetrics.CompactionRuns.Add(1);
        WalMetrics.BytesReclaimed.Add(reclaimed);
        return new CompactionResult(rewritten, kept, removed, reclaimed);
    }
}
