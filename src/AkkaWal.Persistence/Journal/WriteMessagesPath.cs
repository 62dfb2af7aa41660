using System.Collections.Immutable;
using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.Journal;

namespace AkkaWal.Persistence.Journal;

/// <summary>
/// The journal actor's fast path for <see cref="WriteMessages"/>, past AsyncWriteJournal's generic machinery (circuit
/// breaker, task continuations, the resequencer actor). It keeps that machinery's contract:
/// <list type="bullet">
/// <item>each AtomicWrite is one atomic engine batch; one that cannot be serialized or is too large is rejected
/// (WriteMessageRejected for each of its events; the actor lives on) while the others are stored;</item>
/// <item>a log failure fails the whole WriteMessages (WriteMessagesFailed, then WriteMessageFailure per event; the
/// actor stops);</item>
/// <item>replies go out in the order the WriteMessages arrived, as the resequencer delivered them: first
/// WriteMessagesSuccessful (or WriteMessagesFailed) from the journal, then per envelope in order WriteMessageSuccess /
/// WriteMessageRejected / WriteMessageFailure with the actor instance id and the event's sender, or
/// LoopMessageSuccess for a non-persistent envelope;</item>
/// <item>outstanding writes of an id hold back ReadHighestSequenceNr (the store counts them from submission).</item>
/// </list>
/// Replies are sent by the thread that settles the last batch of a group (the log's writer), with no hop through a
/// task continuation or an actor.
/// </summary>
internal sealed class WriteMessagesPath
{
    private readonly JournalStore _store;
    private readonly IActorRef _journal;
    private readonly Func<IPersistentRepresentation, IPersistentRepresentation> _adaptToJournal;
    private readonly EventAdapters _adapters;
    private readonly Action<JournalWrite> _settled;
    // Groups not yet replied to, in arrival order; a group replies once it and every earlier one have settled.
    private readonly Queue<(JournalWrite Write, WriteMessages Message)> _replyOrder = new();

    public WriteMessagesPath(JournalStore store, IActorRef journal, EventAdapters adapters,
        Func<IPersistentRepresentation, IPersistentRepresentation> adaptToJournal)
    {
        _store = store;
        _journal = journal;
        _adapters = adapters;
        _adaptToJournal = adaptToJournal;
        _settled = OnSettled;
    }

    /// <summary>Runs on the journal actor: prepares every AtomicWrite and hands the group to the store.</summary>
    public void Handle(WriteMessages message)
    {
        var envelopes = message.Messages as IReadOnlyList<IPersistentEnvelope> ?? message.Messages.ToArray();
        var atomicWrites = 0;
        for (var i = 0; i < envelopes.Count; i++)
            if (envelopes[i] is AtomicWrite) atomicWrites++;
        var write = new JournalWrite(atomicWrites, _settled);
        lock (_replyOrder) _replyOrder.Enqueue((write, message));
        var batches = atomicWrites == 0 ? [] : new List<PreparedBatch>(atomicWrites);
        var index = 0;
        for (var i = 0; i < envelopes.Count; i++)
        {
            if (envelopes[i] is not AtomicWrite atomic) continue;
            try
            {
                var batch = _store.Prepare(atomic.PersistenceId, Adapt((IImmutableList<IPersistentRepresentation>)atomic.Payload));
                batch.Index = index;
                batches.Add(batch);
            }
            catch (Exception e)
            {
                write.Reject(index, e);
            }
            index++;
        }
        _store.Append(write, batches);
    }

    /// <summary>Write-side event adapters, as WriteJournalBase.PreparePersistentBatch applies them; no copy when none applies.</summary>
    private IReadOnlyList<IPersistentRepresentation> Adapt(IImmutableList<IPersistentRepresentation> events)
    {
        IPersistentRepresentation[]? adapted = null;
        for (var k = 0; k < events.Count; k++)
        {
            var e = events[k];
            if (ReferenceEquals(_adapters.Get(e.Payload.GetType()), IdentityEventAdapter.Instance)) continue;
            adapted ??= [.. events];
            adapted[k] = _adaptToJournal(e);
        }
        return adapted ?? (IReadOnlyList<IPersistentRepresentation>)events;
    }

    private void OnSettled(JournalWrite write)
    {
        // Under the lock so replies of consecutive groups never interleave or overtake each other.
        lock (_replyOrder)
        {
            write.Settled = true;
            while (_replyOrder.Count > 0 && _replyOrder.Peek().Write.Settled)
            {
                var (settled, message) = _replyOrder.Dequeue();
                Reply(settled, message);
            }
        }
    }

    private void Reply(JournalWrite write, WriteMessages message)
    {
        var target = message.PersistentActor;
        var instanceId = message.ActorInstanceId;
        var failure = write.Failure is { } cause ? _store.WriteFailure(cause) : null;
        target.Tell(failure is null ? WriteMessagesSuccessful.Instance : new WriteMessagesFailed(failure, write.AtomicWrites), _journal);
        var index = 0;
        foreach (var envelope in message.Messages)
        {
            if (envelope is AtomicWrite atomic)
            {
                var rejection = failure is null ? write.RejectionOf(index) : null;
                foreach (var p in (IImmutableList<IPersistentRepresentation>)atomic.Payload)
                {
                    object reply = failure is not null ? new WriteMessageFailure(p, failure, instanceId)
                        : rejection is not null ? new WriteMessageRejected(p, rejection, instanceId)
                        : new WriteMessageSuccess(p, instanceId);
                    target.Tell(reply, p.Sender);
                }
                index++;
            }
            else
            {
                target.Tell(new LoopMessageSuccess(envelope.Payload, instanceId), envelope.Sender);
            }
        }
    }
}
