using Akka.Actor;
using Akka.Configuration;
using Akka.Hosting;
using AkkaWal.Transactions;
using AkkaWal.Transactions.Protocol;
using Microsoft.Extensions.DependencyInjection;

namespace AkkaWal.Cli.Serve;

/// <summary>
/// Serve refuses to run on data written with another partition count: it waits for the coordinator's layout check
/// before it announces that it listens, and throws (so the process exits) when the check failed. Without this the
/// host would listen and fail every request.
/// </summary>
internal static class LayoutStartupCheck
{
    /// <summary>Throws <see cref="ConfigurationException"/> with the coordinator's reason when the pipeline cannot start.</summary>
    public static async Task EnsureAsync(IServiceProvider services, CancellationToken ct)
    {
        var system = services.GetRequiredService<ActorSystem>();
        var coordinator = await ActorRegistry.For(system).GetAsync<TransactionCoordinator>(ct);
        // The coordinator answers within its own attempts (each bounded by the internal ask timeout), so this bound
        // only guards against a coordinator that died before answering.
        var bound = TransactionSettings.Create(system).InternalAskTimeout * 4;
        var layout = await coordinator.Ask<LayoutChecked>(AwaitLayoutChecked.Instance, bound, ct);
        if (layout.Error is { } error)
            throw new ConfigurationException(error);
    }
}
