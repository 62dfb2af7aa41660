using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;

namespace AkkaWal.Cluster.Tests;

/// <summary>
/// Three real `akkawal serve` nodes on loopback form one cluster on a real PostgreSQL: every node answers /health 200
/// and serves transactions; after kill -9 of the node holding the pipeline the survivors down it, the pipeline comes
/// back on one of them from the shared database with every acknowledged commit, the killed node rejoins, and a graceful
/// leave hands the pipeline over.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterTests(PostgresServer postgres, ITestOutputHelper output)
{
    private static readonly TimeSpan ClusterTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Three_nodes_form_a_cluster_serve_transactions_survive_a_kill_9_and_a_leave()
    {
        var connectionString = await postgres.CreateDatabaseAsync("cluster");
        var ports = Enumerable.Range(0, 3).Select(_ => ClusterNode.FreeLoopbackPort()).ToArray();
        // Two seeds, so a restarted first node joins the running cluster instead of forming a new one.
        var seeds = ports.Take(2).ToArray();
        // The split-brain resolver decides sooner than its 20 s default, to keep the test short.
        var nodes = ports.Select(p => new ClusterNode(p, seeds, connectionString,
            "akka.cluster.split-brain-resolver.stable-after=5s", "akkawal.transactions.partitions=4")).ToArray();
        try
        {
            await nodes[0].StartAsync(); // the oldest: it holds the pipeline singleton
            await Task.WhenAll(nodes.Skip(1).Select(n => n.StartAsync()));
            await Task.WhenAll(nodes.Select(n => n.WaitHealthyAsync(ClusterTimeout)));
            output.WriteLine("three nodes Up");

            // One transaction through every node: prepared on the first, committed on the second, read on the third.
            Assert.Equal(HttpStatusCode.Created, (await PostWithRetryAsync(nodes[0], "/transactions", new { id = "t1", changes = new { a = 1, b = 2 } })).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await PostWithRetryAsync(nodes[1], "/transactions/t1/commit", null)).StatusCode);
            foreach (var node in nodes)
                Assert.Equal(1, await ReadAsync(node, "a"));
            // And one prepared but undecided: in doubt across the move.
            Assert.Equal(HttpStatusCode.Created, (await PostWithRetryAsync(nodes[2], "/transactions", new { id = "t2", changes = new { c = 3 } })).StatusCode);

            await nodes[0].KillAsync();
            output.WriteLine("node 0 killed");
            // The survivors down it and start the pipeline on the oldest of them, recovering from PostgreSQL.
            Assert.Equal(1, await ReadAsync(nodes[2], "a"));
            Assert.Equal(HttpStatusCode.OK, (await PostWithRetryAsync(nodes[2], "/transactions/t2/commit", null)).StatusCode);
            Assert.Equal(3, await ReadAsync(nodes[1], "c"));

            await nodes[0].StartAsync();
            await nodes[0].WaitHealthyAsync(ClusterTimeout);
            output.WriteLine("node 0 rejoined");
            Assert.Equal(3, await ReadAsync(nodes[0], "c"));

            // A graceful leave of the node holding the pipeline now (the oldest survivor): handed over, no errors.
            Assert.Equal(0, await nodes[1].TerminateAsync());
            output.WriteLine("node 1 left");
            Assert.Equal(HttpStatusCode.Created, (await PostWithRetryAsync(nodes[0], "/transactions", new { id = "t3", changes = new { d = 4 } })).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await PostWithRetryAsync(nodes[2], "/transactions/t3/commit", null)).StatusCode);
            Assert.Equal(4, await ReadAsync(nodes[0], "d"));
            Assert.Equal(1, await ReadAsync(nodes[2], "a"));
        }
        finally
        {
            foreach (var node in nodes) await node.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_node_that_is_not_Up_in_a_cluster_answers_health_503()
    {
        // Its only seed is a port nobody listens on: the node starts and serves HTTP, but never joins a cluster.
        await using var node = new ClusterNode(ClusterNode.FreeLoopbackPort(), [ClusterNode.FreeLoopbackPort()],
            await postgres.CreateDatabaseAsync("lonely"));
        await node.StartAsync();

        using var response = await node.Http.GetAsync("/health");
        var body = await response.Content.ReadAsStringAsync();
        output.WriteLine(body);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("not Up", body, StringComparison.Ordinal);
    }

    /// <summary>A client that retries while the pipeline moves (503 or a dropped connection), as a real one would.
    /// A retried prepare that had been stored answers 409 AlreadyExists, which counts as prepared here.</summary>
    private static async Task<HttpResponseMessage> PostWithRetryAsync(ClusterNode node, string path, object? body)
    {
        var deadline = DateTime.UtcNow + ClusterTimeout;
        while (true)
        {
            try
            {
                var response = await node.Http.PostAsync(path, body is null ? null : JsonContent.Create(body));
                if (response.StatusCode == HttpStatusCode.Conflict && path == "/transactions" &&
                    (await response.Content.ReadAsStringAsync()).Contains("AlreadyExists", StringComparison.Ordinal))
                    return new HttpResponseMessage(HttpStatusCode.Created);
                if (response.StatusCode != HttpStatusCode.ServiceUnavailable || DateTime.UtcNow > deadline) return response;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && DateTime.UtcNow < deadline)
            {
            }
            await Task.Delay(500);
        }
    }

    private static async Task<int> ReadAsync(ClusterNode node, string key)
    {
        var deadline = DateTime.UtcNow + ClusterTimeout;
        while (true)
        {
            try
            {
                using var response = await node.Http.GetAsync("/state/" + key);
                if (response.IsSuccessStatusCode)
                    return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("value").GetInt32();
                if (response.StatusCode != HttpStatusCode.ServiceUnavailable || DateTime.UtcNow > deadline)
                    throw new InvalidOperationException($"GET /state/{key}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && DateTime.UtcNow < deadline)
            {
            }
            await Task.Delay(500);
        }
    }
}
