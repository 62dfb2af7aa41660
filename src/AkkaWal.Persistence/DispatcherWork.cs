using Akka.Dispatch;

namespace AkkaWal.Persistence;

/// <summary>Runs blocking work (log reads) on a configured Akka dispatcher instead of the caller's thread pool.</summary>
internal static class DispatcherWork
{
    public static Task RunAsync(MessageDispatcher dispatcher, Action work)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        dispatcher.Schedule(() =>
        {
            try { work(); done.SetResult(); }
            catch (Exception e) { done.SetException(e); }
        });
        return done.Task;
    }
}
