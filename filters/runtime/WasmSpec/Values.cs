using System.Globalization;
using System.Text.Json;

namespace ImageHub.Wasm.SpecRunner;

/// <summary>An externref made by the script (<c>ref.extern N</c>).</summary>
internal sealed record HostReference(ulong Id);

/// <summary>Parses wast2json values and compares results, NaN patterns included.</summary>
internal static class Values
{
    public static bool UsesV128(JsonElement command) => command.GetRawText().Contains("\"v128\"", StringComparison.Ordinal);

    public static object? Parse(JsonElement v)
    {
        string type = v.GetProperty("type").GetString()!;
        string value = v.GetProperty("value").GetString()!;
        return type switch
        {
            "i32" => unchecked((int)uint.Parse(value, CultureInfo.InvariantCulture)),
            "i64" => unchecked((long)ulong.Parse(value, CultureInfo.InvariantCulture)),
            "f32" => BitConverter.UInt32BitsToSingle(uint.Parse(value, CultureInfo.InvariantCulture)),
            "f64" => BitConverter.UInt64BitsToDouble(ulong.Parse(value, CultureInfo.InvariantCulture)),
            "externref" => value == "null" ? null : new HostReference(ulong.Parse(value, CultureInfo.InvariantCulture)),
            "funcref" => value == "null" ? null : throw new NotSupportedException("funcref argument"),
            _ => throw new NotSupportedException($"value type {type}"),
        };
    }

    public static string? Match(JsonElement expected, object?[] actual)
    {
        var want = expected.EnumerateArray().ToList();
        if (want.Count != actual.Length) return $"expected {want.Count} results, got {actual.Length}";
        for (int i = 0; i < want.Count; i++)
        {
            if (!Matches(want[i], actual[i]))
                return $"result {i}: expected {want[i].GetRawText()}, got {Show(actual[i])}";
        }
        return null;
    }

    private static bool Matches(JsonElement want, object? actual)
    {
        string type = want.GetProperty("type").GetString()!;
        string? value = want.TryGetProperty("value", out var v) ? v.GetString() : null;
        switch (type)
        {
            case "f32":
                if (actual is not float f) return false;
                uint fb = BitConverter.SingleToUInt32Bits(f);
                return value switch
                {
                    "nan:canonical" => (fb & 0x7FFFFFFF) == 0x7FC00000,
                    "nan:arithmetic" => (fb & 0x7FC00000) == 0x7FC00000,
                    _ => fb == uint.Parse(value!, CultureInfo.InvariantCulture),
                };
            case "f64":
                if (actual is not double d) return false;
                ulong db = BitConverter.DoubleToUInt64Bits(d);
                return value switch
                {
                    "nan:canonical" => (db & 0x7FFFFFFFFFFFFFFF) == 0x7FF8000000000000,
                    "nan:arithmetic" => (db & 0x7FF8000000000000) == 0x7FF8000000000000,
                    _ => db == ulong.Parse(value!, CultureInfo.InvariantCulture),
                };
            case "externref":
                return value == "null" ? actual is null : actual is HostReference h && h.Id == ulong.Parse(value!, CultureInfo.InvariantCulture);
            case "funcref":
                return value == "null" ? actual is null : actual is not null;
            default:
                return Equals(Parse(want), actual);
        }
    }

    public static string Show(object? value) => value switch
    {
        null => "null",
        float f => $"f32:{f} (0x{BitConverter.SingleToUInt32Bits(f):x8})",
        double d => $"f64:{d} (0x{BitConverter.DoubleToUInt64Bits(d):x16})",
        int i => $"i32:{i}",
        long l => $"i64:{l}",
        _ => value.ToString() ?? "?",
    };
}
