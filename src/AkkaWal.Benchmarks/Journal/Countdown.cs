namespace AkkaWal.Benchmarks.Journal;

/// <summary>Completes when <c>count</c> signals arrived, or faults at the first reported failure (thread-safe).</summary>
public sealed class Countdown
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _remaining;

    public Countdown(int count)
    {
        _remaining = count;
        if (count <= 0) _done.TrySetResult();
    }

    public Task Task => _done.Task;

    public void Signal()
    {
        if (Interlocked.Decrement(ref _remaining) == 0) _done.TrySetResult();
    }

    public void Fail(Exception cause) => _done.TrySetException(cause);

    /// <summary>Waits for completion; a timeout is an error naming what was awaited (a stuck journal must not hang the run).</summary>
    public async Task WaitAsync(TimeSpan timeout, string what, CancellationToken ct)
    {
        try { await _done.Task.WaitAsync(timeout, ct); }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{what}: {Volatile.Read(ref _remaining)} signal(s) still missing after {timeout}");
        }
    }
}
