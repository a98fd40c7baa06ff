namespace ImageHub.Wasm.SpecRunner;

/// <summary>Expands the command line into the list of scripts to run, in a stable order.</summary>
internal static class WastFiles
{
    public static List<string> Find(IEnumerable<string> paths)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
                files.AddRange(Directory.GetFiles(path, "*.wast", SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal));
            else if (File.Exists(path)) files.Add(path);
            else Console.Error.WriteLine($"{path}: not found");
        }
        return files;
    }
}
