using System.Net;
using System.Text;

namespace AkkaWal.Cli.Tests.Serve;

/// <summary>Every endpoint and every error code of `akkawal serve`, over HTTP on loopback against the real host.</summary>
public sealed class HttpApiTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private ServeTestHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await ServeTestHost.StartAsync(_data.Path, "akkawal.transactions.max-changes-bytes=200");

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _data.Dispose();
    }

    private static string NewId() => "tx-" + Guid.NewGuid().ToString("N")[..10];

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? reason = null, string? detailFragment = null)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await ServeTestHost.JsonAsync(response);
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        if (reason is not null)
            Assert.Equal(reason, problem.GetProperty("reason").GetString());
        if (detailFragment is not null)
            Assert.Contains(detailFragment, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Prepare_with_an_id_answers_201_with_its_location_and_the_transaction_is_prepared()
    {
        var id = NewId();
        var response = await _host.PrepareAsync(id, new Dictionary<string, object> { ["a"] = 1, ["b"] = "x" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/transactions/{id}", response.Headers.Location?.OriginalString);
        var body = await ServeTestHost.JsonAsync(response);
        Assert.Equal(id, body.GetProperty("id").GetString());
        Assert.Equal("prepared", body.GetProperty("status").GetString());

        var get = await ServeTestHost.JsonAsync(await _host.Client.GetAsync($"/transactions/{id}"));
        Assert.Equal("prepared", get.GetProperty("status").GetString());
        Assert.Equal(1, get.GetProperty("changes").GetProperty("a").GetInt32());
        Assert.Equal("x", get.GetProperty("changes").GetProperty("b").GetString());
    }

    [Fact]
    public async Task Prepare_without_an_id_gets_a_generated_one()
    {
        var response = await _host.PrepareAsync(null, new { k = true });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await ServeTestHost.JsonAsync(response)).GetProperty("id").GetString();
        Assert.False(string.IsNullOrEmpty(id));
        Assert.Equal(HttpStatusCode.OK, (await _host.Client.GetAsync($"/transactions/{id}")).StatusCode);
    }

    [Theory]
    [InlineData("{bad", "not JSON")]
    [InlineData("", "not JSON")]
    [InlineData("[1,2]", "JSON object")]
    [InlineData("{\"id\":\"x\"}", "\"changes\" is missing")]
    [InlineData("{\"changes\":[1]}", "\"changes\" must be a JSON object")]
    [InlineData("{\"id\":5,\"changes\":{}}", "\"id\" must be a string")]
    [InlineData("{\"changes\":{},\"extra\":1}", "unknown field \"extra\"")]
    [InlineData("{\"changes\":{\"k\":1,\"k\":2}}", "twice")]
    public async Task Prepare_with_a_malformed_body_is_400_with_a_problem_naming_what_is_wrong(string body, string fragment)
    {
        var response = await _host.Client.PostAsync("/transactions", new StringContent(body, Encoding.UTF8, "application/json"));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "InvalidBody", fragment);
    }

    [Fact]
    public async Task Prepare_with_an_id_longer_than_256_characters_is_400_and_nothing_is_stored()
    {
        var id = new string('x', 257);
        await AssertProblemAsync(await _host.PrepareAsync(id, new { k = 1 }), HttpStatusCode.BadRequest, "InvalidTxId");
        await AssertProblemAsync(await _host.Client.GetAsync("/transactions/" + new string('x', 256)), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Prepare_with_changes_over_max_changes_bytes_is_400_and_nothing_is_stored()
    {
        var id = NewId();
        await AssertProblemAsync(await _host.PrepareAsync(id, new { big = new string('y', 500) }), HttpStatusCode.BadRequest, "InvalidChanges", "max-changes-bytes");
        await AssertProblemAsync(await _host.Client.GetAsync($"/transactions/{id}"), HttpStatusCode.NotFound, "UnknownTransaction");
    }

    [Fact]
    public async Task Prepare_of_an_existing_id_is_409_and_the_first_prepare_is_kept()
    {
        var id = NewId();
        Assert.Equal(HttpStatusCode.Created, (await _host.PrepareAsync(id, new { k = 1 })).StatusCode);

        await AssertProblemAsync(await _host.PrepareAsync(id, new { k = 2 }), HttpStatusCode.Conflict, "AlreadyExists");

        var get = await ServeTestHost.JsonAsync(await _host.Client.GetAsync($"/transactions/{id}"));
        Assert.Equal(1, get.GetProperty("changes").GetProperty("k").GetInt32());
    }

    [Fact]
    public async Task Commit_makes_all_changes_visible_and_a_repeated_commit_answers_already_committed()
    {
        var id = NewId();
        var key1 = "k1-" + id;
        var key2 = "k2-" + id;
        await _host.PrepareAsync(id, new Dictionary<string, object> { [key1] = "one", [key2] = new[] { 1, 2 } });
        await AssertProblemAsync(await _host.Client.GetAsync($"/state/{key1}"), HttpStatusCode.NotFound, "UnknownKey");

        var commit = await _host.CommitAsync(id);
        Assert.Equal(HttpStatusCode.OK, commit.StatusCode);
        Assert.Equal("committed", (await ServeTestHost.JsonAsync(commit)).GetProperty("status").GetString());

        var v1 = await ServeTestHost.JsonAsync(await _host.Client.GetAsync($"/state/{key1}"));
        Assert.Equal("one", v1.GetProperty("value").GetString());
        var v2 = await ServeTestHost.JsonAsync(await _host.Client.GetAsync($"/state/{key2}"));
        Assert.Equal(2, v2.GetProperty("value").GetArrayLength());
        Assert.Equal("committed", (await ServeTestHost.JsonAsync(await _host.Client.GetAsync($"/transactions/{id}"))).GetProperty("status").GetString());

        var again = await _host.CommitAsync(id);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.True((await ServeTestHost.JsonAsync(again)).GetProperty("alreadyCommitted").GetBoolean());
    }

    [Fact]
    public async Task Commit_of_an_unknown_id_is_404_and_of_an_aborted_one_409()
    {
        await AssertProblemAsync(await _host.CommitAsync(NewId()), HttpStatusCode.NotFound, "UnknownTransaction");

        var id = NewId();
        await _host.PrepareAsync(id, new { k = 1 });
        Assert.Equal(HttpStatusCode.OK, (await _host.AbortAsync(id)).StatusCode);
        await AssertProblemAsync(await _host.CommitAsync(id), HttpStatusCode.Conflict, "TransactionAborted");
    }

    [Fact]
    public async Task Abort_drops_the_changes_and_a_repeated_abort_answers_already_aborted()
    {
        var id = NewId();
        var key = "k-" + id;
        await _host.PrepareAsync(id, new Dictionary<string, object> { [key] = 1 });

        var abort = await _host.AbortAsync(id);
        Assert.Equal(HttpStatusCode.OK, abort.StatusCode);
        Assert.Equal("aborted", (await ServeTestHost.JsonAsync(abort)).GetProperty("status").GetString());
        Assert.Equal("aborted", (await ServeTestHost.JsonAsync(await _host.Client.GetAsync($"/transactions/{id}"))).GetProperty("status").GetString());
        await AssertProblemAsync(await _host.Client.GetAsync($"/state/{key}"), HttpStatusCode.NotFound);

        var again = await _host.AbortAsync(id);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.True((await ServeTestHost.JsonAsync(again)).GetProperty("alreadyAborted").GetBoolean());
    }

    [Fact]
    public async Task Abort_of_an_unknown_id_is_404_and_of_a_committed_one_409()
    {
        await AssertProblemAsync(await _host.AbortAsync(NewId()), HttpStatusCode.NotFound, "UnknownTransaction");

        var id = NewId();
        await _host.PrepareAsync(id, new { k = 1 });
        await _host.CommitAsync(id);
        await AssertProblemAsync(await _host.AbortAsync(id), HttpStatusCode.Conflict, "TransactionCommitted");
    }

    [Fact]
    public async Task Get_of_an_unknown_transaction_is_404()
    {
        await AssertProblemAsync(await _host.Client.GetAsync($"/transactions/{NewId()}"), HttpStatusCode.NotFound, "UnknownTransaction");
    }

    [Fact]
    public async Task In_doubt_lists_prepared_transactions_only()
    {
        var prepared = NewId();
        var committed = NewId();
        var aborted = NewId();
        foreach (var id in new[] { prepared, committed, aborted })
            await _host.PrepareAsync(id, new { k = id });
        await _host.CommitAsync(committed);
        await _host.AbortAsync(aborted);

        var response = await _host.Client.GetAsync("/transactions?state=in-doubt");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ids = (await ServeTestHost.JsonAsync(response)).GetProperty("transactions").EnumerateArray()
            .Select(t => t.GetProperty("id").GetString()).ToHashSet();
        Assert.Contains(prepared, ids);
        Assert.DoesNotContain(committed, ids);
        Assert.DoesNotContain(aborted, ids);
    }

    [Theory]
    [InlineData("/transactions")]
    [InlineData("/transactions?state=committed")]
    public async Task Listing_without_state_in_doubt_is_400(string url)
    {
        await AssertProblemAsync(await _host.Client.GetAsync(url), HttpStatusCode.BadRequest, detailFragment: "in-doubt");
    }

    [Fact]
    public async Task Compact_answers_what_it_did_and_committed_state_survives_it()
    {
        var id = NewId();
        var key = "k-" + id;
        await _host.PrepareAsync(id, new Dictionary<string, object> { [key] = 42 });
        await _host.CommitAsync(id);

        using var admin = _host.NewClient(_host.AdminToken);
        var response = await admin.PostAsync("/admin/compact", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await ServeTestHost.JsonAsync(response);
        Assert.True(report.GetProperty("partitionsCompacted").GetInt32() >= 1);
        Assert.True(report.GetProperty("recordsRemoved").GetInt64() >= 0); // the first snapshot of a partition keeps its records
        Assert.True(report.GetProperty("journalDeadBytesBefore").GetInt64() >= 0); // the journal's own compaction ran too
        Assert.Equal(42, (await ServeTestHost.JsonAsync(await _host.Client.GetAsync($"/state/{key}"))).GetProperty("value").GetInt32());
    }

    [Fact]
    public async Task Health_is_200_and_reports_the_journal_check()
    {
        var response = await _host.Client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ServeTestHost.JsonAsync(response);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("akka.persistence.journal.wal").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Liveness_is_the_actor_system_and_readiness_is_the_journal_and_snapshot_store()
    {
        var live = await ServeTestHost.JsonAsync(await _host.Client.GetAsync("/health/live"));
        var ready = await ServeTestHost.JsonAsync(await _host.Client.GetAsync("/health/ready"));

        var liveChecks = live.GetProperty("checks").EnumerateObject().Select(c => c.Name).ToArray();
        var readyChecks = ready.GetProperty("checks").EnumerateObject().Select(c => c.Name).ToArray();
        Assert.NotEmpty(liveChecks);
        Assert.DoesNotContain("akka.persistence.journal.wal", liveChecks);
        Assert.Contains("akka.persistence.journal.wal", readyChecks);
        Assert.Contains(readyChecks, c => c.Contains("snapshot-store", StringComparison.Ordinal));
        Assert.Empty(liveChecks.Intersect(readyChecks));
        Assert.Equal("Healthy", ready.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Metrics_are_prometheus_text_with_the_host_counters()
    {
        var id = NewId();
        await _host.PrepareAsync(id, new { k = 1 });
        await _host.CommitAsync(id);

        var response = await _host.Client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("# TYPE akkawal_host_committed_total counter", text);
        Assert.Matches(@"(?m)^akkawal_host_prepared_total [1-9]\d*$", text);
        Assert.Contains("akkawal_host_commit_duration_seconds_bucket{le=\"+Inf\"}", text);
    }
}
