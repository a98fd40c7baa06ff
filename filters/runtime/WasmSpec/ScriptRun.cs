using System.Text.Json;

namespace ImageHub.Wasm.SpecRunner;

/// <summary>Executes the commands of one script (wast2json's JSON) and counts the outcomes.</summary>
internal sealed class ScriptRun(string directory)
{
    private readonly WasmEngine _engine = new();
    private readonly Dictionary<string, IWasmInstance> _named = new();
    private readonly Dictionary<string, IWasmInstance> _registered = new();
    private readonly IWasmTable _table = WasmEngine.CreateTable(WasmValueType.FuncRef, 10, 20);
    private readonly IWasmMemory _memory = WasmEngine.CreateMemory(1, 2);
    private IWasmInstance? _current;

    public int Passed { get; private set; }
    public int Failed { get; private set; }
    public int Skipped { get; private set; }
    public List<string> Failures { get; } = [];

    public void Run(JsonElement commands)
    {
        foreach (var command in commands.EnumerateArray())
        {
            string type = command.GetProperty("type").GetString()!;
            int line = command.GetProperty("line").GetInt32();
            try
            {
                string? problem = Execute(type, command);
                if (problem == Skip) Skipped++;
                else if (problem is null) Passed++;
                else Fail(line, type, problem);
            }
            catch (Exception e)
            {
                Fail(line, type, $"unexpected {e.GetType().Name}: {e.Message}");
            }
        }
    }

    private const string Skip = "skip";

    private void Fail(int line, string type, string problem)
    {
        Failed++;
        Failures.Add($"line {line}: {type}: {problem}");
    }

    private string? Execute(string type, JsonElement c)
    {
        switch (type)
        {
            case "module":
            {
                var instance = Instantiate(c.GetProperty("filename").GetString()!);
                _current = instance;
                if (c.TryGetProperty("name", out var name)) _named[name.GetString()!] = instance;
                return null;
            }
            case "register":
            {
                var instance = c.TryGetProperty("name", out var name) ? _named[name.GetString()!] : _current!;
                _registered[c.GetProperty("as").GetString()!] = instance;
                return CountNothing();
            }
            case "action":
                if (Values.UsesV128(c)) return Skip;
                Perform(c.GetProperty("action"));
                return null;
            case "assert_return":
            {
                if (Values.UsesV128(c)) return Skip;
                var results = Perform(c.GetProperty("action"));
                return Values.Match(c.GetProperty("expected"), results);
            }
            case "assert_trap":
            case "assert_exhaustion":
            {
                if (Values.UsesV128(c)) return Skip;
                try
                {
                    var results = Perform(c.GetProperty("action"));
                    return $"expected trap \"{c.GetProperty("text").GetString()}\", got [{string.Join(", ", results.Select(Values.Show))}]";
                }
                catch (WasmTrapException e)
                {
                    if (type == "assert_exhaustion" && e.Kind != TrapKind.CallStackExhausted) return $"expected call stack exhaustion, got {e.Kind}";
                    return null;
                }
            }
            case "assert_malformed":
            case "assert_invalid":
            {
                if (c.GetProperty("module_type").GetString() != "binary") return Skip;
                var expected = type == "assert_malformed" ? WasmFormatProblem.Malformed : WasmFormatProblem.Invalid;
                try
                {
                    _engine.Compile(File.ReadAllBytes(Path.Combine(directory, c.GetProperty("filename").GetString()!)));
                    return $"module was accepted, expected \"{c.GetProperty("text").GetString()}\"";
                }
                catch (WasmFormatException e)
                {
                    return e.Problem == expected ? null : $"expected {expected} (\"{c.GetProperty("text").GetString()}\"), got {e.Message}";
                }
            }
            case "assert_unlinkable":
            case "assert_uninstantiable":
            {
                try
                {
                    Instantiate(c.GetProperty("filename").GetString()!);
                    return $"module was instantiated, expected \"{c.GetProperty("text").GetString()}\"";
                }
                catch (WasmLinkException) when (type == "assert_unlinkable") { return null; }
                catch (WasmTrapException) when (type == "assert_uninstantiable") { return null; }
            }
            default:
                return Skip;
        }
    }

    private string? CountNothing()
    {
        // register is bookkeeping, not an assertion.
        Passed--;
        return null;
    }

    private IWasmInstance Instantiate(string file)
    {
        var module = _engine.Compile(File.ReadAllBytes(Path.Combine(directory, file)));
        var instance = module.Instantiate(SpecTestHost.Create(_table, _memory, _registered));
        // A script that loops forever fails instead of hanging the run.
        instance.SetBudget(null, TimeSpan.FromSeconds(30));
        return instance;
    }

    private object?[] Perform(JsonElement action)
    {
        var instance = action.TryGetProperty("module", out var name) ? _named[name.GetString()!] : _current
            ?? throw new InvalidOperationException("no module instantiated");
        string field = action.GetProperty("field").GetString()!;
        switch (action.GetProperty("type").GetString())
        {
            case "invoke":
                var function = instance.GetFunction(field) ?? throw new InvalidOperationException($"no exported function {field}");
                var args = action.GetProperty("args").EnumerateArray().Select(Values.Parse).ToArray();
                return function.Invoke(args);
            case "get":
                var global = instance.GetGlobal(field) ?? throw new InvalidOperationException($"no exported global {field}");
                return [global.Value];
            default:
                throw new InvalidOperationException("unknown action type");
        }
    }
}
