using Akka.Actor;
using AkkaWal.Transactions.Protocol;
using Xunit.Abstractions;

namespace AkkaWal.Transactions.Tests;

/// <summary>The ActorSystem stops in the middle of a workload; a new one on the same stores must hold every
/// acknowledged outcome and no half-applied transaction.</summary>
public sealed class RestartTests(ITestOutputHelper output) : PipelineTestKit(output)
{
    [Fact]
    public async Task Restart_in_the_middle_of_a_workload_keeps_every_acknowledged_outcome()
    {
        var ledger = new Ledger();
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, 16).Select(c => Task.Run(() => LedgerWorkload.Client(Coordinator, c, ledger, stop.Token, stop.Token))).ToArray();

        await LedgerWorkload.WaitFor(() => ledger.Committed.Count >= 300);
        stop.Cancel(); // clients stop waiting; requests already sent are still in flight
        await Sys.Terminate(); // abrupt: requests in flight get no answer
        await Task.WhenAll(clients);

        var (system, coordinator) = StartAgain();
        try
        {
            await LedgerWorkload.VerifyAgainstLedger(coordinator, ledger);
            // The restarted service keeps working and remembers decisions.
            var anyCommitted = ledger.Committed.Keys.First();
            Assert.Equal(new AlreadyCommitted(anyCommitted), await AskAsync<ITransactionReply>(coordinator, new Commit(anyCommitted)));
        }
        finally
        {
            await system.Terminate();
        }
    }
}
