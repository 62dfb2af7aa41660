using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;

namespace AkkaWal.Cluster.Tests;

/// <summary>
/// Three real `akkawal serve` nodes on loopback form one cluster on a real PostgreSQL, the partitions sharded over them:
/// every node answers /health 200 and serves transactions (single- and multi-partition); under a small bank workload a
/// node is killed (-9), the survivors down it and its partitions come back on them from the shared database with every
/// acknowledged transfer applied exactly once and in-doubt transactions still holding their locks; the killed node
/// restarts and rejoins, and a graceful leave hands its partitions over.
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
            await nodes[0].StartAsync(); // the oldest: it holds the shard coordinator
            await Task.WhenAll(nodes.Skip(1).Select(n => n.StartAsync()));
            await Task.WhenAll(nodes.Select(n => n.WaitHealthyAsync(ClusterTimeout)));
            output.WriteLine("three nodes Up");

            // Transactions through every node: prepared on one, committed on the next, read on all; one key (one
            // partition) and many keys (every partition).
            var manyKeys = Enumerable.Range(0, 16).ToDictionary(i => "k" + i, i => i);
            for (var i = 0; i < nodes.Length; i++)
            {
                Assert.Equal(HttpStatusCode.Created, (await PostWithRetryAsync(nodes[i], "/transactions", new { id = "one-" + i, changes = new Dictionary<string, int> { ["single-" + i] = i } })).StatusCode);
                Assert.Equal(HttpStatusCode.OK, (await PostWithRetryAsync(nodes[(i + 1) % 3], "/transactions/one-" + i + "/commit", null)).StatusCode);
            }
            Assert.Equal(HttpStatusCode.Created, (await PostWithRetryAsync(nodes[0], "/transactions", new { id = "t1", changes = manyKeys })).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await PostWithRetryAsync(nodes[1], "/transactions/t1/commit", null)).StatusCode);
            foreach (var node in nodes)
            {
                for (var i = 0; i < nodes.Length; i++)
                    Assert.Equal(i, await ReadAsync(node, "single-" + i));
                foreach (var (key, value) in manyKeys)
                    Assert.Equal(value, await ReadAsync(node, key));
            }
            // And one prepared but undecided: in doubt across the move.
            Assert.Equal(HttpStatusCode.Created, (await PostWithRetryAsync(nodes[2], "/transactions", new { id = "t2", changes = new { c = 3 } })).StatusCode);

            // The bank: 4 clients, kill -9 of a node once some transfers are acknowledged.
            var bank = new BankWorkload(nodes, ClusterTimeout);
            await bank.OpenAccountsAsync();
            var clients = Enumerable.Range(0, 4).Select(c => Task.Run(() => bank.RunClientAsync(c, 10))).ToArray();
            while (bank.Acknowledged < 6 && !clients.All(c => c.IsCompleted))
                await Task.Delay(100);
            await nodes[0].KillAsync();
            output.WriteLine($"node 0 killed after {bank.Acknowledged} acknowledged transfers");
            await Task.WhenAll(clients);
            output.WriteLine($"{bank.Acknowledged} transfers acknowledged");
            // The survivors downed it and run its partitions, recovered from PostgreSQL.
            var survivors = nodes.Skip(1).ToArray();
            await bank.VerifyAsync(survivors);
            Assert.Equal(1, await ReadAsync(nodes[2], "k1"));
            // t2 still holds its lock after its partition moved: a write of its key is refused until it is decided.
            using (var locked = await PostWithRetryAsync(nodes[1], "/transactions", new { id = "t2-rival", changes = new { c = 9 } }))
            {
                Assert.Equal(HttpStatusCode.Conflict, locked.StatusCode);
                Assert.Contains("LockConflict", await locked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
            Assert.Equal(HttpStatusCode.OK, (await PostWithRetryAsync(nodes[2], "/transactions/t2/commit", null)).StatusCode);
            Assert.Equal(3, await ReadAsync(nodes[1], "c"));

            await nodes[0].StartAsync();
            await nodes[0].WaitHealthyAsync(ClusterTimeout);
            output.WriteLine("node 0 rejoined");
            Assert.Equal(3, await ReadAsync(nodes[0], "c"));
            await bank.VerifyAsync(nodes);

            // A graceful leave of the oldest (the shard coordinator's node): its partitions hand over, no errors.
            Assert.Equal(0, await nodes[1].TerminateAsync());
            output.WriteLine("node 1 left");
            Assert.Equal(HttpStatusCode.Created, (await PostWithRetryAsync(nodes[0], "/transactions", new { id = "t3", changes = new { d = 4 } })).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await PostWithRetryAsync(nodes[2], "/transactions/t3/commit", null)).StatusCode);
            Assert.Equal(4, await ReadAsync(nodes[0], "d"));
            Assert.Equal(1, await ReadAsync(nodes[2], "k1"));
            await bank.VerifyAsync([nodes[0], nodes[2]]);
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
