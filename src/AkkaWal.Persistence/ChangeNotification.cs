namespace AkkaWal.Persistence;

/// <summary>
/// Raises a store's Changed notification to every subscriber. A subscriber's exception is swallowed: the write or
/// delete that raised it is already durable, so it must not fail, and the other subscribers must still be woken
/// (a query that misses a wake-up still catches up on its refresh timer).
/// </summary>
internal static class ChangeNotification
{
    public static void Raise(Action? subscribers)
    {
        if (subscribers is null) return;
        if (subscribers.HasSingleTarget)
        {
            // No invocation list (an array per call) for the usual single subscriber.
            try { subscribers(); }
            catch (Exception) { /* the subscriber's own failure; see the summary */ }
            return;
        }
        foreach (var subscriber in subscribers.GetInvocationList())
        {
            try { ((Action)subscriber)(); }
            catch (Exception) { /* the subscriber's own failure; see the summary */ }
        }
    }
}
