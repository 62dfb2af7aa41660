using System.Net;
using System.Net.Http.Json;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using AkkaWal.Cli;
using AkkaWal.Cli.Serve.Access;
using AkkaWal.Cli.Tests.Commands;

namespace AkkaWal.Cli.Tests.Serve;

/// <summary>Each rule that keeps `akkawal serve` from being open to everyone, against the real host on loopback.</summary>
public sealed class HostProtectionTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private ServeTestHost _host = null!;

    public async Task InitializeAsync() => _host = await ServeTestHost.StartAsync(_data.Path, "akkawal.transactions.max-changes-bytes=200");

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _data.Dispose();
    }

    internal static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detailFragment)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await ServeTestHost.JsonAsync(response);
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.Contains(detailFragment, problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("Origin", "http://evil.example")]
    [InlineData("Origin", "null")]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    public async Task A_bodiless_commit_sent_by_a_page_of_another_site_is_403_and_decides_nothing(string header, string value)
    {
        Assert.Equal(HttpStatusCode.Created, (await _host.PrepareAsync("cross-site", new { k = 1 })).StatusCode);
        using var commit = new HttpRequestMessage(HttpMethod.Post, "/transactions/cross-site/commit");
        commit.Headers.TryAddWithoutValidation(header, value);

        await AssertProblemAsync(await _host.Client.SendAsync(commit), HttpStatusCode.Forbidden, "another");
        var status = await ServeTestHost.JsonAsync(await _host.Client.GetAsync("/transactions/cross-site"));
        Assert.Equal("prepared", status.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_commit_from_the_hosts_own_origin_is_accepted()
    {
        Assert.Equal(HttpStatusCode.Created, (await _host.PrepareAsync("same-origin", new { k = 1 })).StatusCode);
        using var commit = new HttpRequestMessage(HttpMethod.Post, "/transactions/same-origin/commit");
        commit.Headers.TryAddWithoutValidation("Origin", _host.BaseAddress.GetLeftPart(UriPartial.Authority));
        commit.Headers.TryAddWithoutValidation("Sec-Fetch-Site", "same-origin");
        Assert.Equal(HttpStatusCode.OK, (await _host.Client.SendAsync(commit)).StatusCode);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData("application/json; charset=latin1")]
    public async Task A_post_body_that_is_not_json_is_415_and_nothing_is_prepared(string contentType)
    {
        var content = new StringContent("{\"id\":\"csrf\",\"changes\":{\"k\":1}}");
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);

        await AssertProblemAsync(await _host.Client.PostAsync("/transactions", content), HttpStatusCode.UnsupportedMediaType, "application/json");
        Assert.Equal(HttpStatusCode.NotFound, (await _host.Client.GetAsync("/transactions/csrf")).StatusCode);
    }

    [Fact]
    public async Task A_post_with_a_body_and_no_content_type_is_415_while_a_bodiless_json_less_commit_is_accepted()
    {
        var untyped = new ByteArrayContent("{\"changes\":{\"k\":1}}"u8.ToArray());
        await AssertProblemAsync(await _host.Client.PostAsync("/transactions", untyped), HttpStatusCode.UnsupportedMediaType, "missing");

        Assert.Equal(HttpStatusCode.Created, (await _host.PrepareAsync("bodiless", new { k = 1 })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _host.CommitAsync("bodiless")).StatusCode); // no body, no Content-Type
    }

    [Theory]
    [InlineData("evil.example")]
    [InlineData("rebind.attacker.test:5080")]
    public async Task A_host_header_naming_another_host_is_400(string hostHeader)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        request.Headers.Host = hostHeader;

        await AssertProblemAsync(await _host.Client.SendAsync(request), HttpStatusCode.BadRequest, "Host header");
    }

    [Fact]
    public async Task The_bound_loopback_names_are_accepted_as_host_headers()
    {
        foreach (var name in new[] { "127.0.0.1", "localhost" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/health");
            request.Headers.Host = $"{name}:{_host.BaseAddress.Port}";
            Assert.Equal(HttpStatusCode.OK, (await _host.Client.SendAsync(request)).StatusCode);
        }
    }

    [Fact]
    public async Task Admin_needs_the_generated_token_which_is_written_0600_into_the_data_directory()
    {
        var file = AdminTokenFile.PathIn(_data.Path);
        if (!OperatingSystem.IsWindows()) // Unix file modes: the token file is readable by its owner only
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal(64, _host.AdminToken.Length);

        var anonymous = await _host.Client.PostAsync("/admin/compact", null);
        await AssertProblemAsync(anonymous, HttpStatusCode.Unauthorized, "admin token");
        Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.Single().Scheme);
        using var wrong = _host.NewClient(new string('x', 64));
        await AssertProblemAsync(await wrong.PostAsync("/admin/compact", null), HttpStatusCode.Unauthorized, "admin token");

        using var admin = _host.NewClient(_host.AdminToken);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/admin/compact", null)).StatusCode);
    }

    [Fact]
    public async Task A_body_declared_larger_than_the_limit_is_413_before_any_of_it_is_sent()
    {
        // Raw HTTP: headers only, announcing 100 MB. The host must answer without waiting for (or buffering) the body.
        var (status, headers) = await RawHttp.SendHeadAsync(_host.BaseAddress, "POST /transactions", "Content-Length: 100000000");

        Assert.Equal(413, status);
        Assert.Contains("content-type: application/problem+json", headers, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_is_413_with_a_problem()
    {
        var limit = 200 + HostAccessSettings.BodyOverheadBytes;
        var body = "{\"changes\":{\"k\":\"" + new string('a', (int)limit) + "\"}}";
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body))); // no length: sent chunked
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        await AssertProblemAsync(await _host.Client.PostAsync("/transactions", content), HttpStatusCode.RequestEntityTooLarge, "max-changes-bytes");
    }

    [Fact]
    public async Task Serve_refuses_to_listen_beyond_loopback_without_an_api_token_naming_the_key()
    {
        using var data = new TempDirectory();
        var result = await CliHarness.RunAsync("serve", "--data", data.Path, "--urls", "http://0.0.0.0:0");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("akkawal.host.api-token", result.Error);
        Assert.False(Directory.Exists(Path.Combine(data.Path, "journal"))); // nothing started
    }
}

/// <summary>ASP.NET Core's request timeouts: a request (its body included) longer than http-request-timeout gets 504.</summary>
public sealed class RequestTimeoutTests
{
    [Fact]
    public async Task A_request_whose_body_stalls_past_the_http_request_timeout_is_504()
    {
        using var data = new TempDirectory();
        await using var host = await ServeTestHost.StartAsync(data.Path, "akkawal.host.request-timeout=1s", "akkawal.host.http-request-timeout=2s");
        // Raw HTTP (HttpClient would not hand over a response before its request body is sent): half a body, then nothing.
        var (status, headers) = await RawHttp.SendHeadAsync(host.BaseAddress, "POST /transactions", "Content-Length: 100", "{\"changes\":");

        Assert.Equal(504, status);
        Assert.Contains("content-type: application/problem+json", headers, StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>With an API token every endpoint needs a token; /admin/* needs the admin one.</summary>
public sealed class ApiTokenTests
{
    private const string ApiToken = "api-token-0123456789abcdef";
    private const string AdminToken = "admin-token-0123456789abcdef";

    [Fact]
    public async Task Every_endpoint_needs_the_api_token_and_admin_needs_the_admin_token()
    {
        using var data = new TempDirectory();
        await using var host = await ServeTestHost.StartAsync(data.Path, $"akkawal.host.api-token={ApiToken}", $"akkawal.host.admin-token={AdminToken}");
        Assert.False(File.Exists(AdminTokenFile.PathIn(data.Path))); // configured: nothing generated

        foreach (var path in new[] { "/state/k", "/transactions/t", "/health", "/metrics" })
            Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.PrepareAsync("t", new { k = 1 })).StatusCode);

        using var api = host.NewClient(ApiToken);
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/transactions", new { id = "t", changes = new { k = 1 } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostAsync("/admin/compact", null)).StatusCode);

        using var admin = host.NewClient(AdminToken);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/transactions/t")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/admin/compact", null)).StatusCode);
    }
}

/// <summary>Runs alone: the limit test needs a request to stall inside the host while others are refused, which the
/// other test classes' hosts, packs and child processes on 2 cores kept from happening within its minute.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConcurrencyLimitCollection
{
    public const string Name = "concurrency limit (alone)";
}

/// <summary>Beyond max-concurrent-requests and request-queue-limit: 503 with Retry-After; probes are not counted.</summary>
[Collection(ConcurrencyLimitCollection.Name)]
public sealed class ConcurrencyLimitTests
{
    [Fact]
    public async Task A_saturated_host_answers_503_with_retry_after_and_still_answers_probes()
    {
        using var data = new TempDirectory();
        await using var host = await ServeTestHost.StartAsync(data.Path,
            "akkawal.host.max-concurrent-requests=1", "akkawal.host.request-queue-limit=0");
        HeldRequest? held = null;
        HttpResponseMessage refused;
        var answers = new List<string>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        try
        {
            while (true)
            {
                // A request whose body is held back holds the only permit. A probe racing it may take the permit first,
                // and the held request is refused: its answer is read off the socket, so stall another one. A probe
                // refused while the held request is unanswered proves the limit.
                if (held is null || held.Answered)
                {
                    if (held is not null) answers.Add(await held.StatusLineAsync());
                    held?.Dispose();
                    held = await HeldRequest.SendAsync(host.BaseAddress, "/transactions", "{\"id\":\"held\",\"changes\":{\"k\":1}}");
                }
                refused = await host.Client.GetAsync("/state/k");
                if (refused.StatusCode == HttpStatusCode.ServiceUnavailable && !held.Answered) break;
                if (DateTime.UtcNow > deadline)
                    Assert.Fail($"no probe was refused while a request held the permit; the held requests were answered: {string.Join(", ", answers)}");
                await Task.Delay(20);
            }

            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.NotNull(refused.Headers.RetryAfter);
            Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/health")).StatusCode);

            Assert.Equal(201, await held.ReleaseAsync());
            Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync("/state/k")).StatusCode); // permit given back
        }
        finally
        {
            held?.Dispose();
        }
    }
}

/// <summary>HTTP/1.1 by hand over a socket, for requests HttpClient will not make (a body announced and never sent).</summary>
internal static class RawHttp
{
    /// <summary>Sends the request line, Host, JSON Content-Type, <paramref name="header"/> and <paramref name="bodyStart"/>,
    /// keeps the connection open without sending more, and returns the response's status and its header block.</summary>
    public static async Task<(int Status, string Headers)> SendHeadAsync(Uri host, string requestLine, string header, string bodyStart = "")
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, host.Port);
        var stream = tcp.GetStream();
        var head = $"{requestLine} HTTP/1.1\r\nHost: 127.0.0.1:{host.Port}\r\nContent-Type: application/json\r\n{header}\r\n\r\n{bodyStart}";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var statusLine = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)) ?? "";
        var headers = new StringBuilder();
        while (await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)) is { Length: > 0 } line)
            headers.AppendLine(line);
        return (int.Parse(statusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), headers.ToString());
    }
}

/// <summary>A JSON POST over a raw socket whose body is announced (Content-Length) and held back until released. Unlike an
/// HttpClient request with a stalled body, its answer can be read while the body is unsent: a request the host refused
/// at once is seen as answered.</summary>
internal sealed class HeldRequest : IDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly byte[] _body;
    private readonly Task<string?> _statusLine;

    private HeldRequest(TcpClient tcp, byte[] body)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        _body = body;
        _statusLine = new StreamReader(_stream, Encoding.ASCII).ReadLineAsync();
    }

    public static async Task<HeldRequest> SendAsync(Uri host, string path, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, host.Port);
        var head = $"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{host.Port}\r\nContent-Type: application/json\r\nContent-Length: {bytes.Length}\r\n\r\n";
        await tcp.GetStream().WriteAsync(Encoding.ASCII.GetBytes(head));
        return new HeldRequest(tcp, bytes);
    }

    /// <summary>True once the host answered (or closed the connection).</summary>
    public bool Answered => _statusLine.IsCompleted;

    public async Task<string> StatusLineAsync() => await _statusLine.WaitAsync(TimeSpan.FromSeconds(60)) ?? "(connection closed)";

    /// <summary>Sends the body and returns the status code of the answer.</summary>
    public async Task<int> ReleaseAsync()
    {
        await _stream.WriteAsync(_body);
        var statusLine = await StatusLineAsync();
        return int.Parse(statusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Dispose() => _tcp.Dispose();
}
