using Akka.Event;

namespace AkkaWal.Transactions;

/// <summary>
/// Test-only: <c>akkawal.transactions.test.crash-at</c> names a step of the commit protocol at which the process kills
/// itself (SIGKILL, no shutdown code runs), so crash tests can stop a child process deterministically at each step.
/// Empty (the default) disables it; a production configuration never sets it.
/// </summary>
internal static class CrashPoint
{
    /// <summary>Every share of a multi-partition transaction is prepared; the decision is not written yet.</summary>
    public const string ParticipantsPrepared = "participants-prepared";
    /// <summary>The home wrote the decision; no other participant applied it yet.</summary>
    public const string DecisionWritten = "decision-written";
    /// <summary>One participant other than the home applied the decision; the client has no answer yet.</summary>
    public const string PartlyApplied = "partly-applied";

    public static readonly IReadOnlyList<string> Known = [ParticipantsPrepared, DecisionWritten, PartlyApplied];

    public static void Reached(TransactionSettings settings, string step, ILoggingAdapter? log = null)
    {
        if (settings.CrashAt != step)
            return;
        Console.Error.WriteLine($"crash-at {step}: killing the process");
        Console.Error.Flush();
        System.Diagnostics.Process.GetCurrentProcess().Kill();
        Thread.Sleep(Timeout.Infinite); // the kill is asynchronous: nothing after the step may run
    }
}
