using System.Runtime.CompilerServices;

namespace ImageHub.Wasm.Runtime;

/// <summary>
/// Loads and stores of linear memory, inlined into compiled code. The effective
/// address is computed in 64 bits (an i32 address plus a u32 offset cannot wrap)
/// and checked once against the memory's length less the access size; the access itself is unaligned.
/// Arguments come in the order the operand stack has them, then the cached memory.
/// </summary>
public static class MemoryAccess
{
    private const MethodImplOptions Inline = MethodImplOptions.AggressiveInlining;

    /// <summary>The first byte of a memory's array (not generic, so compiled code can name it by token).</summary>
    [MethodImpl(Inline)]
    public static ref byte Base(byte[] bytes) => ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(bytes);

    /// <summary>
    /// <paramref name="limit"/> is the memory's length minus the access size, cached by compiled
    /// code per size (negative when the memory is smaller than one access): one signed compare
    /// per access, and none of the extra arithmetic when the offset is zero.
    /// </summary>
    [MethodImpl(Inline)]
    private static ref byte At(int address, ulong offset, ref byte memory, long limit)
    {
        long effective = (long)(uint)address + (long)offset;
        if (effective > limit) throw Traps.OutOfBoundsMemory();
        return ref Unsafe.Add(ref memory, (nint)effective);
    }

    [MethodImpl(Inline)] public static int I32(int a, ref byte m, long n, ulong o) => Unsafe.ReadUnaligned<int>(ref At(a, o, ref m, n));
    [MethodImpl(Inline)] public static long I64(int a, ref byte m, long n, ulong o) => Unsafe.ReadUnaligned<long>(ref At(a, o, ref m, n));
    [MethodImpl(Inline)] public static float F32(int a, ref byte m, long n, ulong o) => Unsafe.ReadUnaligned<float>(ref At(a, o, ref m, n));
    [MethodImpl(Inline)] public static double F64(int a, ref byte m, long n, ulong o) => Unsafe.ReadUnaligned<double>(ref At(a, o, ref m, n));
    [MethodImpl(Inline)] public static int I32S8(int a, ref byte m, long n, ulong o) => (sbyte)At(a, o, ref m, n);
    [MethodImpl(Inline)] public static int I32U8(int a, ref byte m, long n, ulong o) => At(a, o, ref m, n);
    [MethodImpl(Inline)] public static int I32S16(int a, ref byte m, long n, ulong o) => Unsafe.ReadUnaligned<short>(ref At(a, o, ref m, n));
    [MethodImpl(Inline)] public static int I32U16(int a, ref byte m, long n, ulong o) => Unsafe.ReadUnaligned<ushort>(ref At(a, o, ref m, n));
    [MethodImpl(Inline)] public static long I64S8(int a, ref byte m, long n, ulong o) => (sbyte)At(a, o, ref m, n);
    [MethodImpl(Inline)] public static long I64U8(int a, ref byte m, long n, ulong o) => At(a, o, ref m, n);
    [MethodImpl(Inline)] public static long I64S16(int a, ref byte m, long n, ulong o) => Unsafe.ReadUnaligned<short>(ref At(a, o, ref m, n));
    [MethodImpl(Inline)] public static long I64U16(int a, ref byte m, long n, ulong o) => Unsafe.ReadUnaligned<ushort>(ref At(a, o, ref m, n));
    [MethodImpl(Inline)] public static long I64S32(int a, ref byte m, long n, ulong o) => Unsafe.ReadUnaligned<int>(ref At(a, o, ref m, n));
    [MethodImpl(Inline)] public static long I64U32(int a, ref byte m, long n, ulong o) => Unsafe.ReadUnaligned<uint>(ref At(a, o, ref m, n));

    [MethodImpl(Inline)] public static void StoreI32(int a, int v, ref byte m, long n, ulong o) => Unsafe.WriteUnaligned(ref At(a, o, ref m, n), v);
    [MethodImpl(Inline)] public static void StoreI64(int a, long v, ref byte m, long n, ulong o) => Unsafe.WriteUnaligned(ref At(a, o, ref m, n), v);
    [MethodImpl(Inline)] public static void StoreF32(int a, float v, ref byte m, long n, ulong o) => Unsafe.WriteUnaligned(ref At(a, o, ref m, n), v);
    [MethodImpl(Inline)] public static void StoreF64(int a, double v, ref byte m, long n, ulong o) => Unsafe.WriteUnaligned(ref At(a, o, ref m, n), v);
    [MethodImpl(Inline)] public static void StoreI32As8(int a, int v, ref byte m, long n, ulong o) => At(a, o, ref m, n) = (byte)v;
    [MethodImpl(Inline)] public static void StoreI32As16(int a, int v, ref byte m, long n, ulong o) => Unsafe.WriteUnaligned(ref At(a, o, ref m, n), (short)v);
    [MethodImpl(Inline)] public static void StoreI64As8(int a, long v, ref byte m, long n, ulong o) => At(a, o, ref m, n) = (byte)v;
    [MethodImpl(Inline)] public static void StoreI64As16(int a, long v, ref byte m, long n, ulong o) => Unsafe.WriteUnaligned(ref At(a, o, ref m, n), (short)v);
    [MethodImpl(Inline)] public static void StoreI64As32(int a, long v, ref byte m, long n, ulong o) => Unsafe.WriteUnaligned(ref At(a, o, ref m, n), (int)v);
}
