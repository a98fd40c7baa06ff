using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;

namespace ImageHub.Web.Ui;

/// <summary>
/// A piece of HTML. Built with <see cref="Html.Of"/> from an interpolated string whose holes are
/// HTML-encoded unless they are themselves <see cref="Html"/>, so user text can only ever become text.
/// </summary>
public readonly struct Html(string value)
{
    public string Value { get; } = value ?? "";

    public static Html Of(ref HtmlBuilder builder) => builder.Build();

    public static Html Join(IEnumerable<Html> parts) => new(string.Concat(parts.Select(p => p.Value)));

    public static Html When(bool condition, Html html) => condition ? html : Empty;

    public static readonly Html Empty = new("");

    public override string ToString() => Value;
}

[InterpolatedStringHandler]
public ref struct HtmlBuilder
{
    private readonly StringBuilder _sb;

    public HtmlBuilder(int literalLength, int formattedCount) => _sb = new StringBuilder(literalLength + formattedCount * 16);

    public void AppendLiteral(string literal) => _sb.Append(literal);

    public void AppendFormatted(Html html) => _sb.Append(html.Value);

    public void AppendFormatted<T>(T value)
    {
        var text = value is IFormattable f ? f.ToString(null, System.Globalization.CultureInfo.InvariantCulture) : value?.ToString();
        _sb.Append(HtmlEncoder.Default.Encode(text ?? ""));
    }

    public Html Build() => new(_sb.ToString());
}
