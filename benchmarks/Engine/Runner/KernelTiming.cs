using System.Globalization;

namespace ImageHub.Wasm.Benchmarks;

/// <summary>One runner's result for one kernel: "NAME MEDIAN_MS MIN_MS CHECKSUM", the line every runner prints.</summary>
internal sealed record KernelTiming(string Kernel, double MedianMs, double MinMs, uint Checksum)
{
    public static KernelTiming Parse(string line)
    {
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 4) throw new FormatException($"not a timing line: '{line}'");
        return new KernelTiming(parts[0],
            double.Parse(parts[1], CultureInfo.InvariantCulture),
            double.Parse(parts[2], CultureInfo.InvariantCulture),
            uint.Parse(parts[3], CultureInfo.InvariantCulture));
    }

    /// <summary>Every timing line of a runner's output file, by kernel name.</summary>
    public static Dictionary<string, KernelTiming> ReadAll(string path) =>
        File.ReadAllLines(path).Where(l => !string.IsNullOrWhiteSpace(l)).Select(Parse).ToDictionary(t => t.Kernel);

    public static KernelTiming FromSamples(string kernel, List<double> samplesMs, uint checksum)
    {
        samplesMs.Sort();
        return new KernelTiming(kernel, samplesMs[samplesMs.Count / 2], samplesMs[0], checksum);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Kernel} {MedianMs:F4} {MinMs:F4} {Checksum}");
}
