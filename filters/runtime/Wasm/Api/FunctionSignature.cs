namespace ImageHub.Wasm;

/// <summary>
/// A function type: parameter and result types. Two signatures are equal when
/// their type lists are equal, which is what <c>call_indirect</c> and import
/// linking compare.
/// </summary>
public sealed class FunctionSignature(IReadOnlyList<WasmValueType> parameters, IReadOnlyList<WasmValueType> results)
    : IEquatable<FunctionSignature>
{
    public IReadOnlyList<WasmValueType> Parameters { get; } = parameters;
    public IReadOnlyList<WasmValueType> Results { get; } = results;

    public bool Equals(FunctionSignature? other) =>
        other is not null && Parameters.SequenceEqual(other.Parameters) && Results.SequenceEqual(other.Results);

    public override bool Equals(object? obj) => Equals(obj as FunctionSignature);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var type in Parameters) hash.Add(type);
        hash.Add(-1);
        foreach (var type in Results) hash.Add(type);
        return hash.ToHashCode();
    }

    public override string ToString() =>
        $"({string.Join(", ", Parameters).ToLowerInvariant()}) -> ({string.Join(", ", Results).ToLowerInvariant()})";
}
