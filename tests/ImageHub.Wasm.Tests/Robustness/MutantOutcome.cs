namespace ImageHub.Wasm.Tests.Robustness;

/// <summary>How far a mutated module got. Every one is acceptable; anything else thrown is a bug.</summary>
internal enum MutantOutcome
{
    /// <summary>Compile threw <see cref="WasmFormatException"/>.</summary>
    Rejected,
    /// <summary>Instantiate threw <see cref="WasmLinkException"/>.</summary>
    LinkFailed,
    /// <summary>Instantiation or a call threw <see cref="WasmTrapException"/> (fuel and deadline included).</summary>
    Trapped,
    /// <summary>Every exported function returned.</summary>
    Returned,
}
