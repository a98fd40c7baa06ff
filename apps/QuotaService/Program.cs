namespace ImageHub.Quota;

// An explicit class (not top-level statements) so that a test project referencing several
// apps does not see two global `Program` types.
public class Program
{
    public static void Main(string[] args) => QuotaServiceApp.Create(args).Run();
}
