namespace AkkaWal.Loopback
{
    /// <summary>The shared <see cref="PostgresServer"/> (src/Shared/Loopback) as an xunit fixture: xunit calls its
    /// InitializeAsync and DisposeAsync.</summary>
    public sealed partial class PostgresServer : IAsyncLifetime;
}

namespace AkkaWal.Cluster.Tests
{
    /// <summary>One PostgreSQL server shared by every test class of the collection.</summary>
    [CollectionDefinition(Name)]
    public sealed class PostgresCollection : ICollectionFixture<AkkaWal.Loopback.PostgresServer>
    {
        public const string Name = "postgres";
    }
}
