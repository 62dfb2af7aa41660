using Akka.Actor;
using Akka.Persistence;

namespace AkkaWal.Hosting.Tests;

/// <summary>A persistent actor that appends strings and answers with everything it holds (recovered and new).</summary>
public sealed class Notebook : ReceivePersistentActor
{
    public sealed record Write(string Text);

    public sealed record Read;

    private readonly List<string> _lines = [];

    public Notebook(string persistenceId)
    {
        PersistenceId = persistenceId;
        Recover<string>(_lines.Add);
        Command<Write>(w => Persist(w.Text, text =>
        {
            _lines.Add(text);
            Sender.Tell(_lines.ToArray());
        }));
        Command<Read>(_ => Sender.Tell(_lines.ToArray()));
    }

    public override string PersistenceId { get; }

    public static Props Props(string persistenceId) => Akka.Actor.Props.Create(() => new Notebook(persistenceId));
}
