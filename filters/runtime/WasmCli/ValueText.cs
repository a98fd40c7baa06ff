using System.Globalization;

namespace ImageHub.Wasm.Cli;

/// <summary>Command-line text to and from WebAssembly values, for --invoke.</summary>
internal static class ValueText
{
    /// <summary>
    /// Parses <paramref name="text"/> as a value of <paramref name="type"/>. Integers accept the
    /// signed and the unsigned range (4294967295 is -1 as an i32); floats accept nan and inf.
    /// </summary>
    public static object Parse(string text, WasmValueType type)
    {
        var invariant = CultureInfo.InvariantCulture;
        switch (type)
        {
            case WasmValueType.I32:
                if (int.TryParse(text, invariant, out var i32)) return i32;
                if (uint.TryParse(text, invariant, out var u32)) return unchecked((int)u32);
                break;
            case WasmValueType.I64:
                if (long.TryParse(text, invariant, out var i64)) return i64;
                if (ulong.TryParse(text, invariant, out var u64)) return unchecked((long)u64);
                break;
            case WasmValueType.F32:
                if (float.TryParse(Normalize(text), NumberStyles.Float, invariant, out var f32)) return f32;
                break;
            case WasmValueType.F64:
                if (double.TryParse(Normalize(text), NumberStyles.Float, invariant, out var f64)) return f64;
                break;
            default:
                throw new FormatException($"parameters of type {type.ToString().ToLowerInvariant()} cannot be given on the command line");
        }
        throw new FormatException($"'{text}' is not a valid {type.ToString().ToLowerInvariant()}");
    }

    public static string Format(object? value) => value switch
    {
        null => "null",
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Normalize(string text) => text.ToLowerInvariant() switch
    {
        "nan" or "+nan" => "NaN",
        "-nan" => "NaN",
        "inf" or "+inf" or "infinity" => "Infinity",
        "-inf" or "-infinity" => "-Infinity",
        _ => text,
    };
}
