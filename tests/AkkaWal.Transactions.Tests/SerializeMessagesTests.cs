using Akka.Actor;
using AkkaWal.Transactions.Protocol;
using Xunit.Abstractions;

namespace AkkaWal.Transactions.Tests;

/// <summary>
/// The pipeline with every message serialized and deserialized on its way (akka.actor.serialize-messages = on), as
/// the messages between a coordinator and partitions on other nodes are: single- and multi-partition transactions,
/// conflicts, reads, status queries and a restart all work when nothing travels as a shared object reference.
/// </summary>
public sealed class SerializeMessagesTests(ITestOutputHelper output)
    : PipelineTestKit(output, "akka.actor.serialize-messages = on")
{
    [Fact]
    public async Task Transactions_work_when_every_message_is_serialized()
    {
        Assert.NotEqual(PartitionOf("alice"), PartitionOf("bob"));
        await AskAsync<Prepared>(new Prepare("t1", Changes(("alice", 90), ("bob", 10))));
        var conflict = await AskAsync<TransactionRejected>(new Prepare("t2", Changes(("alice", 1))));
        Assert.Equal((RejectionReason.LockConflict, "alice", "t1"), (conflict.Reason, conflict.Key, conflict.Holder));
        Assert.Equal(["t1"], (await AskAsync<InDoubtTransactions>(GetInDoubt.Instance)).Transactions.Select(t => t.TxId));
        await AskAsync<Committed>(new Commit("t1"));
        await AskAsync<Prepared>(new Prepare("t3", Changes(("carol", 5)), new Dictionary<string, long> { ["alice"] = 1 }));
        await AskAsync<Aborted>(new Abort("t3"));

        var read = await AskAsync<ReadKeysResult>(new ReadKeys(["alice", "bob", "carol"]));
        Assert.Equal((90, 10), (read.Values["alice"].GetInt32(), read.Values["bob"].GetInt32()));
        Assert.False(read.Values.ContainsKey("carol"));
        Assert.Equal(TransactionStatus.Committed, (await AskAsync<TransactionInfo>(new GetTransaction("t1"))).Status);
        Assert.Null((await AskAsync<LayoutChecked>(AwaitLayoutChecked.Instance)).Error);

        await Sys.Terminate();
        var (system, coordinator) = StartAgain();
        try
        {
            var again = await AskAsync<ReadResult>(coordinator, new Read("bob"));
            Assert.Equal((10, 1L), (again.Value!.Value.GetInt32(), again.Version));
            Assert.Equal(TransactionStatus.Aborted, (await AskAsync<TransactionInfo>(coordinator, new GetTransaction("t3"))).Status);
        }
        finally
        {
            await system.Terminate();
        }
    }
}
