namespace ImageHub.Wasm;

/// <summary>An import a module declares. <see cref="Signature"/> is set for functions.</summary>
public sealed record ImportDescriptor(string Module, string Name, ExternKind Kind, FunctionSignature? Signature)
{
    public override string ToString() => $"{Module}.{Name} ({Kind.ToString().ToLowerInvariant()}{(Signature is null ? "" : " " + Signature)})";
}

/// <summary>An export a module declares. <see cref="Signature"/> is set for functions.</summary>
public sealed record ExportDescriptor(string Name, ExternKind Kind, FunctionSignature? Signature);
