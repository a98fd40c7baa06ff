namespace ImageHub.Wasm.Tests.Robustness;

/// <summary>Writes small modules in the binary format, for hostile shapes no toolchain emits.</summary>
internal static class ModuleBytes
{
    public const byte I32 = 0x7F, I64 = 0x7E, F64 = 0x7C;

    public static byte[] Module(params (byte Id, byte[] Content)[] sections)
    {
        var bytes = new List<byte> { 0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00 };
        foreach (var (id, content) in sections)
        {
            bytes.Add(id);
            bytes.AddRange(Leb128.Encode((ulong)content.Length));
            bytes.AddRange(content);
        }
        return bytes.ToArray();
    }

    public static byte[] Vector(params byte[][] items) => [.. Leb128.Encode((ulong)items.Length), .. items.SelectMany(i => i)];

    public static byte[] FunctionType(byte[] parameters, byte[] results) =>
        [0x60, .. Leb128.Encode((ulong)parameters.Length), .. parameters, .. Leb128.Encode((ulong)results.Length), .. results];

    public static byte[] Name(string name) => [.. Leb128.Encode((ulong)name.Length), .. System.Text.Encoding.UTF8.GetBytes(name)];

    public static byte[] ExportFunction(string name, int index) => [.. Name(name), 0x00, .. Leb128.Encode((ulong)index)];

    /// <summary>A function body: local groups (count, type), then code (without the final end).</summary>
    public static byte[] Body((ulong Count, byte Type)[] locals, byte[] code)
    {
        byte[] inner = [.. Leb128.Encode((ulong)locals.Length), .. locals.SelectMany(l => (byte[])[.. Leb128.Encode(l.Count), l.Type]), .. code, 0x0B];
        return [.. Leb128.Encode((ulong)inner.Length), .. inner];
    }

    /// <summary>One exported function "f" of the given type with the given body.</summary>
    public static byte[] SingleFunction(byte[] parameters, byte[] results, byte[] body, byte[]? memory = null) =>
        Module([
            (1, Vector(FunctionType(parameters, results))),
            (3, Vector([0x00])),
            .. memory is null ? Array.Empty<(byte, byte[])>() : [(5, memory)],
            (7, Vector(ExportFunction("f", 0))),
            (10, Vector(body)),
        ]);

    public static byte[] Repeat(byte[] pattern, int times) => Enumerable.Repeat(pattern, times).SelectMany(p => p).ToArray();
}
