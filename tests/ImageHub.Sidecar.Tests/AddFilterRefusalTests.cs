using System.Net;
using System.Text;
using System.Text.Json;
using ImageHub.Sidecar.Tests.Support;

namespace ImageHub.Sidecar.Tests;

/// <summary>One sidecar for every refusal: a refused request must leave it exactly as it was, so they can share it.</summary>
public sealed class RefusalSidecarFixture : IAsyncLifetime
{
    public AddedFilterSidecar Sidecar { get; private set; } = null!;

    public async Task InitializeAsync() => Sidecar = await AddedFilterSidecar.StartAsync();

    public async Task DisposeAsync() => await Sidecar.DisposeAsync();
}

/// <summary>
/// Bad requests to add a filter get a clear 4xx and change nothing: the chain, the filter list
/// and the traffic stay as the bootstrap made them. Each refusal sits next to the good request it
/// differs from, which is accepted (on its own sidecar, in <see cref="AddFilterTests"/> or here).
/// </summary>
[Collection("real wasm")]
public class AddFilterRefusalTests(RefusalSidecarFixture fixture) : IClassFixture<RefusalSidecarFixture>
{
    private AddedFilterSidecar Sidecar => fixture.Sidecar;

    public static TheoryData<string, string, int, string> RawRefusals => new()
    {
        // name, query, status, what the error says
        { "gate", "root_id=local-reply&position=before%3Dnope", 400, "has no wasm filter named \"nope\"" },
        { "gate", "root_id=local-reply&position=sideways", 400, "is not one of: last" },
        { "gate", "root_id=local-reply&position=before%3D", 400, "is not one of: last" },
        { "gate", "root_id=local-reply&listener=nope", 400, "no listener named \"nope\"" },
        { "gate", "root_id=local-reply&fail_open=maybe", 400, "fail_open must be true or false" },
        { "gate", "rootId=local-reply", 400, "unknown field \"rootId\"" },
        { "gate", "root_id=local-reply&root_id=headers", 400, "given twice" },
        { "bad%20name", "root_id=local-reply", 400, "is not a filter name" },
        { "gate", "root_id=no-such-root", 422, "nothing was added" },
        { "gate", "root_id=lifecycle&configuration=reject", 422, "nothing was added" },
        { "multi-tenancy", "position=first", 409, "declared in the bootstrap" },
        { "multi-tenancy", "configuration=%7B%7D", 409, "only its code can be replaced" },
    };

    [Theory]
    [MemberData(nameof(RawRefusals))]
    public async Task A_refused_request_says_why_and_changes_nothing(string name, string query, int status, string message)
    {
        using var response = await Sidecar.PostModuleAsync(name, query);
        await AssertRefused(response, status, message);
    }

    [Fact]
    public async Task A_module_that_is_not_wasm_is_refused()
    {
        using var response = await Sidecar.PostModuleAsync("gate", "root_id=local-reply", "not wasm at all"u8.ToArray());
        await AssertRefused(response, 422, "filter gate:");
        // The same module truncated: a broken binary rather than text.
        using var truncated = await Sidecar.PostModuleAsync("gate", "root_id=local-reply", Sidecar.Conformance[..(Sidecar.Conformance.Length / 2)]);
        await AssertRefused(truncated, 422, "filter gate:");
    }

    [Fact]
    public async Task Bad_bodies_are_refused()
    {
        using (var empty = await Sidecar.Admin.PostAsync("/filters/gate", new ByteArrayContent([])))
            await AssertRefused(empty, 400, "empty body");
        using (var missing = await Sidecar.Admin.PostAsync("/filters/gate", Json("""{"path": "missing.wasm"}""")))
            await AssertRefused(missing, 422, "cannot read");
        using (var objectConfig = await Sidecar.Admin.PostAsync("/filters/gate", Json("""{"path": "conformance.wasm", "configuration": {"a": 1}}""")))
            await AssertRefused(objectConfig, 400, "configuration must be a string");
        using (var noPath = await Sidecar.Admin.PostAsync("/filters/gate", Json("""{"root_id": "headers"}""")))
            await AssertRefused(noPath, 400, "needs \"path\"");
        using var noFile = new MultipartFormDataContent { { new StringContent("headers"), "root_id" } };
        using (var form = await Sidecar.Admin.PostAsync("/filters/gate", noFile))
            await AssertRefused(form, 400, "the form has no file");
    }

    [Fact]
    public async Task The_configuration_on_configure_accepts_is_added_next_to_the_one_it_refuses()
    {
        using (var refused = await Sidecar.PostModuleAsync("lifecycle-check", "root_id=lifecycle&configuration=reject"))
            await AssertRefused(refused, 422, "nothing was added");
        using var accepted = await Sidecar.PostModuleAsync("lifecycle-check", "root_id=lifecycle&configuration=accept");
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        using var deleted = await Sidecar.Admin.DeleteAsync("/filters/lifecycle-check");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
    }

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    private async Task AssertRefused(HttpResponseMessage response, int status, string message)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Contains(message, JsonDocument.Parse(body).RootElement.GetProperty("error").GetString());

        var filters = JsonDocument.Parse(await Sidecar.Admin.GetStringAsync("/filters")).RootElement;
        Assert.Equal(["multi-tenancy"], filters.EnumerateArray().Select(f => f.GetProperty("name").GetString()));
        Assert.Equal(["multi-tenancy"], Sidecar.Sidecar.Host.Listeners[0].Filters.Select(f => f.Name));
        Assert.Equal(1, filters[0].GetProperty("generation").GetInt32());
        using var request = await Sidecar.GetAsync("/deny");
        Assert.Equal(HttpStatusCode.OK, request.StatusCode);
    }
}
