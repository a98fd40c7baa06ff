using ImageHub.Wasm.Decoding;
using ImageHub.Wasm.Runtime;

namespace ImageHub.Wasm.Compilation;

/// <summary>
/// Links imports, creates an instance's state, runs element and data segments and
/// the start function, in the order the specification gives.
/// </summary>
internal sealed class Instantiation(CompiledModule module, ModuleInfo info, WasmImports imports, InstanceLimits limits)
{
    private readonly List<ImportDescriptor> _unresolved = [];
    private readonly List<string> _problems = [];

    public WasmInstance Run()
    {
        var instance = new WasmInstance(module, limits);
        var functions = new FuncRef[info.FunctionTypes.Count];
        var hostDelegates = new Delegate?[info.FunctionTypes.Count];
        var tables = new List<TableInstance>();
        var globals = new List<GlobalCell>();
        MemoryInstance? memory = null;

        int f = 0;
        for (int i = 0; i < info.Imports.Count; i++)
        {
            var import = info.Imports[i];
            var descriptor = module.Imports[i];
            object? offered = imports.Resolve(import.Module, import.Name)
                ?? (imports.RegisteredInstance(import.Module) as WasmInstance)?.GetExport(import.Name);
            switch (import.Kind)
            {
                case ExternKind.Function:
                    var fn = LinkFunction(instance, import, descriptor, offered);
                    if (fn is not null) functions[f] = fn;
                    f++;
                    break;
                case ExternKind.Table:
                    if (offered is TableInstance table && table.ElementType == import.Table.ElementType && Fits(table.Size, table.DeclaredMax, import.Table.Limits))
                        tables.Add(table);
                    else Fail(descriptor, offered, "table");
                    break;
                case ExternKind.Memory:
                    if (offered is MemoryInstance mem && Fits(mem.PageCount, mem.DeclaredMax, import.Memory)) memory = mem;
                    else Fail(descriptor, offered, "memory");
                    break;
                case ExternKind.Global:
                    if (offered is GlobalCell cell && cell.Type == import.Global.Type && cell.Mutable == import.Global.Mutable) globals.Add(cell);
                    else Fail(descriptor, offered, "global");
                    break;
            }
        }
        if (_unresolved.Count > 0)
            throw new WasmLinkException($"cannot link: {string.Join("; ", _problems)}", _unresolved);

        instance.Globals = [.. globals];
        var names = module.FunctionNames;
        var typeIds = module.TypeIds;
        for (int fi = info.ImportedFunctionCount; fi < functions.Length; fi++)
        {
            int type = info.FunctionTypes[fi];
            functions[fi] = new FuncRef(info.Types[type], typeIds[type], module.Code(fi), instance, names[fi]);
        }
        instance.Functions = functions;
        instance.HostDelegates = hostDelegates;

        // Globals are initialised in order; an initialiser may read imported globals and name functions.
        var cells = new GlobalCell[info.Globals.Count];
        globals.CopyTo(cells);
        instance.Globals = cells;
        for (int g = info.ImportedGlobalCount; g < info.Globals.Count; g++)
        {
            var cell = new GlobalCell(info.Globals[g].Type, info.Globals[g].Mutable);
            cell.Value = ConstExpressions.Evaluate(info, info.GlobalInits[g]!, instance);
            cells[g] = cell;
        }

        for (int t = info.ImportedTableCount; t < info.Tables.Count; t++)
        {
            var type = info.Tables[t];
            tables.Add(new TableInstance(type.ElementType, CheckedSize(type.Limits.Min, limits.MaxTableElements, "table"), (uint?)type.Limits.Max, limits.MaxTableElements));
        }
        instance.Tables = [.. tables];
        if (info.ImportedMemoryCount == 0 && info.Memories.Count > 0)
        {
            var type = info.Memories[0];
            memory = new MemoryInstance(CheckedSize(type.Min, limits.MaxMemoryPages, "memory"), (uint?)type.Max, limits.MaxMemoryPages);
        }
        instance.Memory = memory;

        instance.ElementSegments = info.Elements.Select(seg => seg.FunctionIndices is { } indices
            ? indices.Select(i => (object?)functions[i]).ToArray()
            : seg.Expressions!.Select(e => ConstExpressions.Evaluate(info, e, instance)).ToArray()).ToArray();
        instance.DataSegments = (byte[]?[])module.DataBytes.Clone();

        foreach (var e in info.Exports)
        {
            instance.Exports[e.Name] = e.Kind switch
            {
                ExternKind.Function => functions[e.Index],
                ExternKind.Table => instance.Tables[e.Index],
                ExternKind.Memory => memory!,
                _ => instance.Globals[e.Index],
            };
        }

        for (int s = 0; s < info.Elements.Count; s++)
        {
            var seg = info.Elements[s];
            if (seg.Mode == SegmentMode.Active)
            {
                int offset = (int)ConstExpressions.Evaluate(info, seg.Offset!, instance)!;
                Bulk.TableInit(offset, 0, seg.Count, s, seg.TableIndex, instance);
            }
            if (seg.Mode != SegmentMode.Passive) instance.ElementSegments[s] = null;
        }
        for (int d = 0; d < info.Data.Count; d++)
        {
            var seg = info.Data[d];
            if (seg.Mode != SegmentMode.Active) continue;
            int offset = (int)ConstExpressions.Evaluate(info, seg.Offset!, instance)!;
            Bulk.MemoryInit(offset, 0, seg.Bytes.Length, d, instance);
            instance.DataSegments[d] = null;
        }

        if (info.Start is { } start)
        {
            // The start function runs under the instance's start budget, so a module that loops
            // forever in it fails to instantiate instead of hanging its host; afterwards calls are unlimited
            // until the host sets a budget of its own.
            instance.SetBudget(limits.StartFuel, limits.StartDeadline);
            EntryPoints.Invoke(functions[start], []);
            instance.SetBudget(null, null);
        }
        return instance;
    }

    private FuncRef? LinkFunction(WasmInstance instance, ImportEntry import, ImportDescriptor descriptor, object? offered)
    {
        var sig = info.Types[import.TypeIndex];
        switch (offered)
        {
            case FuncRef fn when fn.Signature.Equals(sig): return fn;
            case ExportedFunction exported when exported.Signature.Equals(sig): return exported.Function;
            case Delegate d:
                var code = EntryPoints.HostAdapter(d.GetType(), sig);
                if (code is null)
                {
                    Fail(descriptor, offered, $"a delegate matching {sig}");
                    return null;
                }
                var owner = new WasmInstance(module, limits)
                {
                    HostDelegates = [d], HostCaller = instance, HostName = $"{import.Module}.{import.Name}",
                };
                return new FuncRef(sig, code.Value, owner, owner.HostName);
            default:
                Fail(descriptor, offered, $"a function {sig}");
                return null;
        }
    }

    private static bool Fits(int current, uint? declaredMax, Limits wanted) =>
        (ulong)current >= wanted.Min && (wanted.Max is not { } max || (declaredMax is { } have && have <= max));

    private static int CheckedSize(ulong wanted, int limit, string what)
    {
        if (wanted > (ulong)Math.Max(0, limit))
            throw new WasmLinkException($"the module's initial {what} size {wanted} is above this instance's limit {limit}");
        return (int)wanted;
    }

    private void Fail(ImportDescriptor import, object? offered, string expected)
    {
        _unresolved.Add(import);
        _problems.Add(offered is null
            ? $"unknown import {import.Module}.{import.Name}"
            : $"incompatible import type for {import.Module}.{import.Name}: expected {expected}, got {Describe(offered)}");
    }

    private static string Describe(object offered) => offered switch
    {
        FuncRef f => $"function {f.Signature}",
        MemoryInstance m => $"memory of {m.PageCount} pages (max {m.DeclaredMax?.ToString() ?? "none"})",
        TableInstance t => $"{t.ElementType.ToString().ToLowerInvariant()} table of {t.Size} (max {t.DeclaredMax?.ToString() ?? "none"})",
        GlobalCell g => $"{(g.Mutable ? "mutable " : "")}{g.Type.ToString().ToLowerInvariant()} global",
        Delegate d => $"delegate {d.GetType().Name}",
        _ => offered.GetType().Name,
    };
}
