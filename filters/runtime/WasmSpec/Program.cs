using ImageHub.Wasm.SpecRunner;

// Runs .wast specification scripts through wast2json and our engine.
// Usage: ImageHub.Wasm.SpecRunner [-v] FILE.wast|DIR...
var verbose = args.Contains("-v");
var paths = args.Where(a => a != "-v").ToList();
if (paths.Count == 0)
{
    Console.Error.WriteLine("usage: wasm-spec [-v] FILE.wast|DIR...");
    return 2;
}
var files = WastFiles.Find(paths);
if (files.Count == 0)
{
    Console.Error.WriteLine("no .wast files found");
    return 2;
}
int exit = 0;
// Deep (but bounded) recursion in the scripts runs on a thread with a big stack.
var thread = new Thread(() => exit = new SuiteRun(verbose).Run(files), 512 * 1024 * 1024);
thread.Start();
thread.Join();
return exit;
