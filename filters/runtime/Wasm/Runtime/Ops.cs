using System.Numerics;
using System.Runtime.CompilerServices;

namespace ImageHub.Wasm.Runtime;

/// <summary>
/// Numeric operations whose WebAssembly meaning differs from a plain IL opcode
/// (traps, NaN and signed-zero rules, saturation). Compiled code calls them; the
/// JIT inlines them.
/// </summary>
public static class Ops
{
    private const MethodImplOptions Inline = MethodImplOptions.AggressiveInlining;

    [MethodImpl(Inline)] public static int DivS32(int a, int b) { if (b == 0) throw Traps.DivideByZero(); if (b == -1 && a == int.MinValue) throw Traps.IntegerOverflow(); return a / b; }
    [MethodImpl(Inline)] public static int DivU32(int a, int b) { if (b == 0) throw Traps.DivideByZero(); return (int)((uint)a / (uint)b); }
    [MethodImpl(Inline)] public static int RemS32(int a, int b) { if (b == 0) throw Traps.DivideByZero(); return b == -1 ? 0 : a % b; }
    [MethodImpl(Inline)] public static int RemU32(int a, int b) { if (b == 0) throw Traps.DivideByZero(); return (int)((uint)a % (uint)b); }
    [MethodImpl(Inline)] public static long DivS64(long a, long b) { if (b == 0) throw Traps.DivideByZero(); if (b == -1 && a == long.MinValue) throw Traps.IntegerOverflow(); return a / b; }
    [MethodImpl(Inline)] public static long DivU64(long a, long b) { if (b == 0) throw Traps.DivideByZero(); return (long)((ulong)a / (ulong)b); }
    [MethodImpl(Inline)] public static long RemS64(long a, long b) { if (b == 0) throw Traps.DivideByZero(); return b == -1 ? 0 : a % b; }
    [MethodImpl(Inline)] public static long RemU64(long a, long b) { if (b == 0) throw Traps.DivideByZero(); return (long)((ulong)a % (ulong)b); }

    [MethodImpl(Inline)] public static int Clz32(int a) => BitOperations.LeadingZeroCount((uint)a);
    [MethodImpl(Inline)] public static int Ctz32(int a) => BitOperations.TrailingZeroCount(a);
    [MethodImpl(Inline)] public static int Popcnt32(int a) => BitOperations.PopCount((uint)a);
    [MethodImpl(Inline)] public static int Rotl32(int a, int b) => (int)BitOperations.RotateLeft((uint)a, b);
    [MethodImpl(Inline)] public static int Rotr32(int a, int b) => (int)BitOperations.RotateRight((uint)a, b);
    [MethodImpl(Inline)] public static long Clz64(long a) => BitOperations.LeadingZeroCount((ulong)a);
    [MethodImpl(Inline)] public static long Ctz64(long a) => BitOperations.TrailingZeroCount(a);
    [MethodImpl(Inline)] public static long Popcnt64(long a) => BitOperations.PopCount((ulong)a);
    [MethodImpl(Inline)] public static long Rotl64(long a, long b) => (long)BitOperations.RotateLeft((ulong)a, (int)b);
    [MethodImpl(Inline)] public static long Rotr64(long a, long b) => (long)BitOperations.RotateRight((ulong)a, (int)b);

    // Sign manipulation is bitwise in WebAssembly, NaNs included.
    [MethodImpl(Inline)] public static float AbsF32(float a) => BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(a) & 0x7FFFFFFF);
    [MethodImpl(Inline)] public static float NegF32(float a) => BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(a) ^ int.MinValue);
    [MethodImpl(Inline)] public static float CopysignF32(float a, float b) =>
        BitConverter.Int32BitsToSingle((BitConverter.SingleToInt32Bits(a) & 0x7FFFFFFF) | (BitConverter.SingleToInt32Bits(b) & int.MinValue));
    [MethodImpl(Inline)] public static double AbsF64(double a) => BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(a) & long.MaxValue);
    [MethodImpl(Inline)] public static double NegF64(double a) => BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(a) ^ long.MinValue);
    [MethodImpl(Inline)] public static double CopysignF64(double a, double b) =>
        BitConverter.Int64BitsToDouble((BitConverter.DoubleToInt64Bits(a) & long.MaxValue) | (BitConverter.DoubleToInt64Bits(b) & long.MinValue));

    [MethodImpl(Inline)] public static float CeilF32(float a) => MathF.Ceiling(a);
    [MethodImpl(Inline)] public static float FloorF32(float a) => MathF.Floor(a);
    [MethodImpl(Inline)] public static float TruncF32(float a) => MathF.Truncate(a);
    [MethodImpl(Inline)] public static float NearestF32(float a) => MathF.Round(a, MidpointRounding.ToEven);
    [MethodImpl(Inline)] public static float SqrtF32(float a) => MathF.Sqrt(a);
    [MethodImpl(Inline)] public static double CeilF64(double a) => Math.Ceiling(a);
    [MethodImpl(Inline)] public static double FloorF64(double a) => Math.Floor(a);
    [MethodImpl(Inline)] public static double TruncF64(double a) => Math.Truncate(a);
    [MethodImpl(Inline)] public static double NearestF64(double a) => Math.Round(a, MidpointRounding.ToEven);
    [MethodImpl(Inline)] public static double SqrtF64(double a) => Math.Sqrt(a);

    // IEEE 754-2019 minimum/maximum: NaN propagates and -0 < +0, which is WebAssembly's rule.
    [MethodImpl(Inline)] public static float MinF32(float a, float b) => float.IsNaN(a) || float.IsNaN(b) ? a + b : MathF.Min(a, b);
    [MethodImpl(Inline)] public static float MaxF32(float a, float b) => float.IsNaN(a) || float.IsNaN(b) ? a + b : MathF.Max(a, b);
    [MethodImpl(Inline)] public static double MinF64(double a, double b) => double.IsNaN(a) || double.IsNaN(b) ? a + b : Math.Min(a, b);
    [MethodImpl(Inline)] public static double MaxF64(double a, double b) => double.IsNaN(a) || double.IsNaN(b) ? a + b : Math.Max(a, b);

    /// <summary>An f32 constant with exact bits: the JIT keeps float constants as doubles, which would quiet a signalling NaN.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)] public static float F32Constant(int bits) => BitConverter.Int32BitsToSingle(bits);

    /// <summary>Sets the quiet bit of a NaN; used where the JIT folds an identity (x*1, x-0, demote(promote x)) that WebAssembly must not.</summary>
    [MethodImpl(Inline)] public static float QuietF32(float a) => float.IsNaN(a) ? BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(a) | 0x00400000) : a;
    [MethodImpl(Inline)] public static double QuietF64(double a) => double.IsNaN(a) ? BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(a) | 0x0008000000000000) : a;

    [MethodImpl(Inline)] public static float F32FromU64(long a)
    {
        ulong u = (ulong)a;
        if ((long)u >= 0) return (float)(long)u;
        // Halve with a sticky bit so that the one rounding happens in the conversion.
        return (float)(long)((u >> 1) | (u & 1)) * 2f;
    }

    [MethodImpl(Inline)] public static double F64FromU64(long a)
    {
        ulong u = (ulong)a;
        if ((long)u >= 0) return (double)(long)u;
        return (double)(long)((u >> 1) | (u & 1)) * 2.0;
    }

    [MethodImpl(Inline)] public static float F32FromU32(int a) => (float)(long)(uint)a;
    [MethodImpl(Inline)] public static double F64FromU32(int a) => (uint)a;

    [MethodImpl(Inline)] public static int TruncF32ToI32(float a) { if (!(a >= -2147483648f && a < 2147483648f)) throw TruncTrap(a); return (int)a; }
    [MethodImpl(Inline)] public static int TruncF32ToU32(float a) { if (!(a > -1f && a < 4294967296f)) throw TruncTrap(a); return (int)(uint)a; }
    [MethodImpl(Inline)] public static int TruncF64ToI32(double a) { if (!(a > -2147483649.0 && a < 2147483648.0)) throw TruncTrap(a); return (int)a; }
    [MethodImpl(Inline)] public static int TruncF64ToU32(double a) { if (!(a > -1.0 && a < 4294967296.0)) throw TruncTrap(a); return (int)(uint)a; }
    [MethodImpl(Inline)] public static long TruncF32ToI64(float a) { if (!(a >= -9223372036854775808f && a < 9223372036854775808f)) throw TruncTrap(a); return (long)a; }
    [MethodImpl(Inline)] public static long TruncF32ToU64(float a) { if (!(a > -1f && a < 18446744073709551616f)) throw TruncTrap(a); return (long)(ulong)a; }
    [MethodImpl(Inline)] public static long TruncF64ToI64(double a) { if (!(a >= -9223372036854775808.0 && a < 9223372036854775808.0)) throw TruncTrap(a); return (long)a; }
    [MethodImpl(Inline)] public static long TruncF64ToU64(double a) { if (!(a > -1.0 && a < 18446744073709551616.0)) throw TruncTrap(a); return (long)(ulong)a; }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Exception TruncTrap(double a) => double.IsNaN(a) ? Traps.InvalidConversion() : Traps.IntegerOverflow();

    public static int SatF32ToI32(float a) => float.IsNaN(a) ? 0 : a <= -2147483648f ? int.MinValue : a >= 2147483648f ? int.MaxValue : (int)a;
    public static int SatF32ToU32(float a) => float.IsNaN(a) || a <= -1f ? 0 : a >= 4294967296f ? -1 : (int)(uint)a;
    public static int SatF64ToI32(double a) => double.IsNaN(a) ? 0 : a <= -2147483649.0 ? int.MinValue : a >= 2147483648.0 ? int.MaxValue : (int)a;
    public static int SatF64ToU32(double a) => double.IsNaN(a) || a <= -1.0 ? 0 : a >= 4294967296.0 ? -1 : (int)(uint)a;
    public static long SatF32ToI64(float a) => float.IsNaN(a) ? 0 : a <= -9223372036854775808f ? long.MinValue : a >= 9223372036854775808f ? long.MaxValue : (long)a;
    public static long SatF32ToU64(float a) => float.IsNaN(a) || a <= -1f ? 0 : a >= 18446744073709551616f ? -1 : (long)(ulong)a;
    public static long SatF64ToI64(double a) => double.IsNaN(a) ? 0 : a <= -9223372036854775808.0 ? long.MinValue : a >= 9223372036854775808.0 ? long.MaxValue : (long)a;
    public static long SatF64ToU64(double a) => double.IsNaN(a) || a <= -1.0 ? 0 : a >= 18446744073709551616.0 ? -1 : (long)(ulong)a;

    [MethodImpl(Inline)] public static int SelectI32(int a, int b, int c) => c != 0 ? a : b;
    [MethodImpl(Inline)] public static long SelectI64(long a, long b, int c) => c != 0 ? a : b;
    [MethodImpl(Inline)] public static float SelectF32(float a, float b, int c) => c != 0 ? a : b;
    [MethodImpl(Inline)] public static double SelectF64(double a, double b, int c) => c != 0 ? a : b;
    [MethodImpl(Inline)] public static object? SelectRef(object? a, object? b, int c) => c != 0 ? a : b;
}
