namespace ImageHub.Wasm.Runtime;

/// <summary>
/// A global's storage. Compiled code reads the field of its type directly; an
/// imported or exported global is the same cell in every instance that shares it.
/// </summary>
public sealed class GlobalCell(WasmValueType type, bool mutable) : IWasmGlobal
{
    public int I32;
    public long I64;
    public float F32;
    public double F64;
    public object? Ref;

    public WasmValueType Type { get; } = type;
    public bool Mutable { get; } = mutable;

    public object? Value
    {
        get => Type switch
        {
            WasmValueType.I32 => I32,
            WasmValueType.I64 => I64,
            WasmValueType.F32 => F32,
            WasmValueType.F64 => F64,
            _ => Ref,
        };
        set
        {
            switch (Type)
            {
                case WasmValueType.I32: I32 = Convert.ToInt32(value); break;
                case WasmValueType.I64: I64 = Convert.ToInt64(value); break;
                case WasmValueType.F32: F32 = (float)value!; break;
                case WasmValueType.F64: F64 = (double)value!; break;
                default:
                    if (Type == WasmValueType.FuncRef && value is not null and not FuncRef)
                        throw new ArgumentException("a funcref global holds only functions or null");
                    Ref = value;
                    break;
            }
        }
    }
}
