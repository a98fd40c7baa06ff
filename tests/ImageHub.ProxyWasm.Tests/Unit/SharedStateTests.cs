using ImageHub.ProxyWasm.Abi;
using ImageHub.ProxyWasm.Shared;

namespace ImageHub.ProxyWasm.Tests.Unit;

public class SharedDataStoreTests
{
    [Fact]
    public void A_missing_key_is_not_found()
    {
        var store = new SharedDataStore();
        Assert.Equal(WasmResult.NotFound, store.Get("vm", "k", out _, out _));
    }

    [Fact]
    public void Every_write_gets_a_new_nonzero_cas()
    {
        var store = new SharedDataStore();
        store.Set("vm", "k", "1"u8, 0);
        store.Get("vm", "k", out _, out var first);
        store.Set("vm", "k", "2"u8, 0);
        store.Get("vm", "k", out var value, out var second);
        Assert.NotEqual(0u, first);
        Assert.NotEqual(first, second);
        Assert.Equal("2"u8.ToArray(), value);
    }

    [Fact]
    public void A_write_with_a_stale_cas_is_refused_and_changes_nothing()
    {
        var store = new SharedDataStore();
        store.Set("vm", "k", "1"u8, 0);
        store.Get("vm", "k", out _, out var cas);
        Assert.Equal(WasmResult.Ok, store.Set("vm", "k", "2"u8, cas));
        Assert.Equal(WasmResult.CasMismatch, store.Set("vm", "k", "3"u8, cas));
        store.Get("vm", "k", out var value, out _);
        Assert.Equal("2"u8.ToArray(), value);
    }

    [Fact]
    public void Vm_ids_do_not_see_each_others_data()
    {
        var store = new SharedDataStore();
        store.Set("a", "k", "1"u8, 0);
        Assert.Equal(WasmResult.NotFound, store.Get("b", "k", out _, out _));
        Assert.Equal(["k"], store.Keys("a"));
    }
}

public class SharedQueueRegistryTests
{
    [Fact]
    public void Enqueue_notifies_the_registrant_and_dequeue_is_fifo()
    {
        var queues = new SharedQueueRegistry();
        var ready = new List<uint>();
        var token = queues.Register("vm", "q", ready.Add);
        Assert.NotEqual(0u, token);
        Assert.Equal(token, queues.Resolve("vm", "q"));

        Assert.Equal(WasmResult.Ok, queues.Enqueue(token, "a"u8));
        Assert.Equal(WasmResult.Ok, queues.Enqueue(token, "b"u8));
        Assert.Equal([token, token], ready);
        Assert.Equal(WasmResult.Ok, queues.Dequeue(token, out var first));
        Assert.Equal("a"u8.ToArray(), first);
        Assert.Equal(WasmResult.Ok, queues.Dequeue(token, out _));
        Assert.Equal(WasmResult.Empty, queues.Dequeue(token, out _));
    }

    [Fact]
    public void Unknown_queues_are_not_found()
    {
        var queues = new SharedQueueRegistry();
        Assert.Equal(0u, queues.Resolve("vm", "missing"));
        Assert.Equal(WasmResult.NotFound, queues.Enqueue(42, "x"u8));
        Assert.Equal(WasmResult.NotFound, queues.Dequeue(42, out _));
    }

    [Fact]
    public void Registering_again_keeps_the_token_and_the_data_and_moves_the_notification()
    {
        var queues = new SharedQueueRegistry();
        var first = new List<uint>();
        var second = new List<uint>();
        var token = queues.Register("vm", "q", first.Add);
        queues.Enqueue(token, "a"u8);
        Assert.Equal(token, queues.Register("vm", "q", second.Add));
        queues.Enqueue(token, "b"u8);
        Assert.Single(first);
        Assert.Single(second);
        Assert.Equal(WasmResult.Ok, queues.Dequeue(token, out var data));
        Assert.Equal("a"u8.ToArray(), data);
    }
}
