namespace AkkaWal.Cli.Tests.Packaging;

/// <summary>The user's app of the packaging test: a generic host with Akka.Hosting and WithWalPersistence, and a
/// persistent actor that persists three events ("write") or reports what it recovered ("read").</summary>
internal static class ConsoleApp
{
    public const string Source = """
        using Akka.Actor;
        using Akka.Hosting;
        using Akka.Persistence;
        using AkkaWal.Persistence.Hosting;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.Extensions.Hosting;

        var (data, mode) = (args[0], args[1]);
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddAkka("app", akka => akka
            .WithWalPersistence(data)
            .WithActors((system, registry) => registry.Register<Notes>(system.ActorOf(Props.Create(() => new Notes()), "notes"))));
        using var host = builder.Build();
        await host.StartAsync();
        var notes = await host.Services.GetRequiredService<ActorRegistry>().GetAsync<Notes>();
        if (mode == "write")
            foreach (var note in new[] { "one", "two", "three" })
                await notes.Ask<string>(note, TimeSpan.FromSeconds(60));
        Console.WriteLine("recovered: " + await notes.Ask<string>("list", TimeSpan.FromSeconds(60)));
        await host.StopAsync();

        sealed class Notes : ReceivePersistentActor
        {
            private readonly List<string> _notes = [];
            public override string PersistenceId => "notes";

            public Notes()
            {
                Recover<string>(n => _notes.Add(n));
                Command<string>(c => c == "list", _ => Sender.Tell(string.Join(',', _notes)));
                Command<string>(n => Persist(n, e => { _notes.Add(e); Sender.Tell("ok"); }));
            }
        }
        """;
}
