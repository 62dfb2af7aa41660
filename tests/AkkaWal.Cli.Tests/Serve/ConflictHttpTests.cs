using System.Net;
using System.Net.Http.Json;

namespace AkkaWal.Cli.Tests.Serve;

/// <summary>Locks and expected versions over HTTP: the 409 problem bodies name the key and the holder, or the key and
/// both versions; GET /state/{key} reports the version a client then expects.</summary>
public sealed class ConflictHttpTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private ServeTestHost _host = null!;

    public async Task InitializeAsync() => _host = await ServeTestHost.StartAsync(_data.Path);

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _data.Dispose();
    }

    private Task<HttpResponseMessage> PrepareAsync(string id, object changes, object? expect = null) =>
        _host.Client.PostAsJsonAsync("/transactions", new { id, changes, expect });

    [Fact]
    public async Task A_prepare_on_a_locked_key_is_409_naming_the_key_and_the_holder_until_the_holder_commits()
    {
        Assert.Equal(HttpStatusCode.Created, (await PrepareAsync("t1", new { alice = 90 })).StatusCode);
        var conflict = await PrepareAsync("t2", new { alice = 1, bob = 2 });
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Equal("application/problem+json", conflict.Content.Headers.ContentType?.MediaType);
        var problem = await ServeTestHost.JsonAsync(conflict);
        Assert.Equal("LockConflict", problem.GetProperty("reason").GetString());
        Assert.Equal("alice", problem.GetProperty("key").GetString());
        Assert.Equal("t1", problem.GetProperty("holder").GetString());

        Assert.Equal(HttpStatusCode.OK, (await _host.CommitAsync("t1")).StatusCode);
        var alice = await ServeTestHost.JsonAsync(await _host.Client.GetAsync("/state/alice"));
        Assert.Equal(90, alice.GetProperty("value").GetInt32());
        Assert.Equal(1, alice.GetProperty("version").GetInt64());
        Assert.Equal(HttpStatusCode.Created, (await PrepareAsync("t3", new { alice = 1 })).StatusCode);
    }

    [Fact]
    public async Task An_expected_version_that_does_not_match_is_409_naming_the_key_and_both_versions()
    {
        Assert.Equal(HttpStatusCode.Created, (await PrepareAsync("new", new { acct = 10 }, new { acct = 0 })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _host.CommitAsync("new")).StatusCode);

        var stale = await PrepareAsync("stale", new { acct = 5 }, new { acct = 0 });
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        var problem = await ServeTestHost.JsonAsync(stale);
        Assert.Equal("VersionMismatch", problem.GetProperty("reason").GetString());
        Assert.Equal("acct", problem.GetProperty("key").GetString());
        Assert.Equal(0, problem.GetProperty("expected").GetInt64());
        Assert.Equal(1, problem.GetProperty("actual").GetInt64());

        Assert.Equal(HttpStatusCode.Created, (await PrepareAsync("fresh", new { acct = 5 }, new { acct = 1 })).StatusCode);
        var bad = await PrepareAsync("bad", new { other = 1 }, new { other = -1 });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }
}
