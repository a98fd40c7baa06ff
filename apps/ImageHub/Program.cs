using ImageHub.Web.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddImageHub();

var app = builder.Build();
app.UseImageHub();
app.Run();

public partial class Program;
