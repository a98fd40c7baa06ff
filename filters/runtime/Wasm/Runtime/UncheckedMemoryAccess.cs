using System.Runtime.CompilerServices;

namespace ImageHub.Wasm.Runtime;

/// <summary>
/// The loads and stores of <see cref="MemoryAccess"/> without their bounds check, for the
/// accesses a merged check has already proven inside memory (see the compiler's
/// BoundsCheckPlan). They take the effective address (64 bits, already zero-extended), so
/// that a group's accesses become one register plus constant displacements; then the memory.
/// </summary>
public static class UncheckedMemoryAccess
{
    private const MethodImplOptions Inline = MethodImplOptions.AggressiveInlining;

    [MethodImpl(Inline)]
    private static ref byte At(ref byte memory, long effective) => ref Unsafe.Add(ref memory, (nint)effective);

    [MethodImpl(Inline)] public static int I32(long e, ref byte m) => Unsafe.ReadUnaligned<int>(ref At(ref m, e));
    [MethodImpl(Inline)] public static long I64(long e, ref byte m) => Unsafe.ReadUnaligned<long>(ref At(ref m, e));
    [MethodImpl(Inline)] public static float F32(long e, ref byte m) => Unsafe.ReadUnaligned<float>(ref At(ref m, e));
    [MethodImpl(Inline)] public static double F64(long e, ref byte m) => Unsafe.ReadUnaligned<double>(ref At(ref m, e));
    [MethodImpl(Inline)] public static int I32S8(long e, ref byte m) => (sbyte)At(ref m, e);
    [MethodImpl(Inline)] public static int I32U8(long e, ref byte m) => At(ref m, e);
    [MethodImpl(Inline)] public static int I32S16(long e, ref byte m) => Unsafe.ReadUnaligned<short>(ref At(ref m, e));
    [MethodImpl(Inline)] public static int I32U16(long e, ref byte m) => Unsafe.ReadUnaligned<ushort>(ref At(ref m, e));
    [MethodImpl(Inline)] public static long I64S8(long e, ref byte m) => (sbyte)At(ref m, e);
    [MethodImpl(Inline)] public static long I64U8(long e, ref byte m) => At(ref m, e);
    [MethodImpl(Inline)] public static long I64S16(long e, ref byte m) => Unsafe.ReadUnaligned<short>(ref At(ref m, e));
    [MethodImpl(Inline)] public static long I64U16(long e, ref byte m) => Unsafe.ReadUnaligned<ushort>(ref At(ref m, e));
    [MethodImpl(Inline)] public static long I64S32(long e, ref byte m) => Unsafe.ReadUnaligned<int>(ref At(ref m, e));
    [MethodImpl(Inline)] public static long I64U32(long e, ref byte m) => Unsafe.ReadUnaligned<uint>(ref At(ref m, e));

    [MethodImpl(Inline)] public static void StoreI32(long e, ref byte m, int v) => Unsafe.WriteUnaligned(ref At(ref m, e), v);
    [MethodImpl(Inline)] public static void StoreI64(long e, ref byte m, long v) => Unsafe.WriteUnaligned(ref At(ref m, e), v);
    [MethodImpl(Inline)] public static void StoreF32(long e, ref byte m, float v) => Unsafe.WriteUnaligned(ref At(ref m, e), v);
    [MethodImpl(Inline)] public static void StoreF64(long e, ref byte m, double v) => Unsafe.WriteUnaligned(ref At(ref m, e), v);
    [MethodImpl(Inline)] public static void StoreI32As8(long e, ref byte m, int v) => At(ref m, e) = (byte)v;
    [MethodImpl(Inline)] public static void StoreI32As16(long e, ref byte m, int v) => Unsafe.WriteUnaligned(ref At(ref m, e), (short)v);
    [MethodImpl(Inline)] public static void StoreI64As8(long e, ref byte m, long v) => At(ref m, e) = (byte)v;
    [MethodImpl(Inline)] public static void StoreI64As16(long e, ref byte m, long v) => Unsafe.WriteUnaligned(ref At(ref m, e), (short)v);
    [MethodImpl(Inline)] public static void StoreI64As32(long e, ref byte m, long v) => Unsafe.WriteUnaligned(ref At(ref m, e), (int)v);
}
