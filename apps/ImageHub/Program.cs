var app = WebApplication.CreateBuilder(args).Build();
app.MapGet("/healthz", () => Results.Ok(new { status = "alive" }));
app.Run();

public partial class Program;
