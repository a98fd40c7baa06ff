using System.Globalization;
using System.Text;

namespace ImageHub.Wasm.Benchmarks;

/// <summary>The benchmark's report: per kernel the three runners' median times and the engine's ratios.</summary>
internal static class ResultTable
{
    /// <summary>The goal the project set: within this factor of V8 on every kernel.</summary>
    public const double GoalVersusV8 = 1.5;

    public static string Render(IReadOnlyList<KernelTiming> engine, IReadOnlyDictionary<string, KernelTiming> v8,
        IReadOnlyDictionary<string, KernelTiming> native, ModuleLoadTiming? load, bool markdown)
    {
        var rows = new List<string[]>
        {
            new[] { "kernel", "engine ms", "V8 ms", "native ms", "engine/V8", "engine/native", "goal" },
        };
        foreach (var e in engine)
        {
            var v = v8.GetValueOrDefault(e.Kernel);
            var n = native.GetValueOrDefault(e.Kernel);
            var ratioV8 = v is null ? (double?)null : e.MedianMs / v.MedianMs;
            var note = ratioV8 is null ? "" : ratioV8 <= GoalVersusV8 ? "ok" : $"over {GoalVersusV8}x";
            rows.Add([e.Kernel, Ms(e.MedianMs), v is null ? "-" : Ms(v.MedianMs), n is null ? "-" : Ms(n.MedianMs),
                Ratio(ratioV8), Ratio(n is null ? null : e.MedianMs / n.MedianMs), note]);
        }

        var text = new StringBuilder();
        if (markdown)
        {
            text.AppendLine("| " + string.Join(" | ", rows[0]) + " |");
            text.AppendLine("|" + string.Concat(rows[0].Select((_, i) => i == 0 ? " --- |" : " ---: |")));
            foreach (var row in rows.Skip(1)) text.AppendLine("| " + string.Join(" | ", row) + " |");
        }
        else
        {
            var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
            foreach (var row in rows)
                text.AppendLine(string.Join("  ", row.Select((cell, c) => c == 0 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))).TrimEnd());
        }

        if (load is not null)
        {
            text.AppendLine();
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"large module ({load.SizeBytes / 1024} KiB): compile {load.CompileMs:F1} ms (first, with the engine's own JIT: {load.FirstCompileMs:F1} ms), " +
                $"instantiate {load.InstantiateMs:F3} ms, first call {load.FirstCallMs:F3} ms"));
        }
        return text.ToString();
    }

    private static string Ms(double ms) => ms.ToString(ms < 10 ? "F2" : "F1", CultureInfo.InvariantCulture);

    private static string Ratio(double? ratio) => ratio is null ? "-" : ratio.Value.ToString("F2", CultureInfo.InvariantCulture) + "x";
}
