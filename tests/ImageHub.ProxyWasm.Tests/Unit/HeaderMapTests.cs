using ImageHub.ProxyWasm;

namespace ImageHub.ProxyWasm.Tests.Unit;

public class HeaderMapTests
{
    [Fact]
    public void Names_are_lower_cased_and_lookups_ignore_case()
    {
        var map = new HeaderMap();
        map.Add("Content-Type", "text/plain");
        Assert.Equal("content-type", map[0].Key);
        Assert.Equal("text/plain", map.Get("CONTENT-TYPE"));
        Assert.Null(map.Get("content-length"));
    }

    [Fact]
    public void Repeated_names_keep_every_value_in_order()
    {
        var map = HeaderMap.Of(("set-cookie", "a=1"), ("x", "y"), ("Set-Cookie", "b=2"));
        Assert.Equal(["a=1", "b=2"], map.GetAll("set-cookie"));
        Assert.Equal("a=1", map.Get("set-cookie"));
        Assert.Equal(["set-cookie", "x", "set-cookie"], map.Select(e => e.Key));
    }

    [Fact]
    public void Pseudo_headers_stay_in_front_of_regular_headers()
    {
        var map = HeaderMap.Of(("user-agent", "curl"), (":method", "GET"), ("accept", "*/*"), (":path", "/"));
        Assert.Equal([":method", ":path", "user-agent", "accept"], map.Select(e => e.Key));
    }

    [Fact]
    public void Set_replaces_the_first_value_in_place_and_drops_the_rest()
    {
        var map = HeaderMap.Of(("a", "1"), ("b", "2"), ("a", "3"));
        map.Set("A", "9");
        Assert.Equal([("a", "9"), ("b", "2")], map.Select(e => (e.Key, e.Value)));
    }

    [Fact]
    public void Set_of_a_missing_header_appends_it()
    {
        var map = HeaderMap.Of(("a", "1"));
        map.Set("b", "2");
        Assert.Equal("2", map.Get("b"));
        Assert.Equal(2, map.Count);
    }

    [Fact]
    public void Remove_drops_every_occurrence_and_says_how_many()
    {
        var map = HeaderMap.Of(("a", "1"), ("b", "2"), ("A", "3"));
        Assert.Equal(2, map.Remove("a"));
        Assert.Equal(0, map.Remove("a"));
        Assert.Single(map);
    }

    [Fact]
    public void Remove_where_sees_lower_case_names_and_keeps_the_order_of_the_rest()
    {
        var map = HeaderMap.Of(("X-A", "1"), ("b", "2"), ("x-c", "3"), ("d", "4"));
        var seen = new List<string>();
        Assert.Equal(2, map.RemoveWhere(name => { seen.Add(name); return name.StartsWith("x-"); }));
        Assert.Equal(["x-a", "b", "x-c", "d"], seen);
        Assert.Equal([("b", "2"), ("d", "4")], map.Select(e => (e.Key, e.Value)));
        Assert.Equal(0, map.RemoveWhere(_ => false));
    }

    [Fact]
    public void Byte_size_is_the_sum_of_name_and_value_lengths_like_envoy()
    {
        var map = HeaderMap.Of((":status", "200"), ("server", "x"));
        Assert.Equal(":status".Length + 3 + "server".Length + 1, map.ByteSize);
    }

    // The hostcalls look names up by their UTF-8 bytes in guest memory; they must answer as the string lookups do.

    [Fact]
    public void A_name_given_as_utf8_is_found_ignoring_case_like_a_string_name()
    {
        var map = HeaderMap.Of(("Content-Type", "text/plain"), ("x-a", "1"), ("X-A", "2"));
        Assert.Equal("text/plain", map.Get("content-TYPE"u8));
        Assert.Equal("1", map.Get("X-a"u8));
        Assert.Null(map.Get("x-missing"u8));
        Assert.Null(map.Get(""u8));
    }

    [Fact]
    public void Set_and_remove_by_utf8_name_keep_envoys_rules()
    {
        var map = HeaderMap.Of((":path", "/"), ("x-a", "1"), ("b", "2"), ("X-A", "3"));
        map.Set("X-A"u8, "new");
        Assert.Equal([(":path", "/"), ("x-a", "new"), ("b", "2")], map.Select(e => (e.Key, e.Value)));
        map.Set(":Authority"u8, "host");
        Assert.Equal(":authority", map[1].Key);
        Assert.Equal(1, map.Remove("B"u8));
        Assert.Equal(0, map.Remove("b"u8));
        Assert.Equal(3, map.Count);
    }

    [Fact]
    public void A_utf8_name_that_is_not_ascii_is_decoded_and_compared_as_text()
    {
        var map = new HeaderMap();
        map.Add("x-grüße", "1");
        Assert.Equal("1", map.Get("x-grüße"u8));
        map.Set("x-grüße"u8, "2");
        Assert.Equal("2", map.Get("x-grüße"));
        Assert.Equal(1, map.Remove("x-grüße"u8));
        // Bytes that are not UTF-8 at all decode to replacement characters: no match, no exception.
        Assert.Null(map.Get(new byte[] { 0xff, 0xfe }));
    }
}
